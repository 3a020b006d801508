"""The account and functions as the engine sees them: plain frozen dataclasses the runtime builds from models."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .profile import BehaviourProfile

LATEST = "$LATEST"


@dataclass(frozen=True, slots=True)
class ScalingRate:
    """Per-function scaling limit: `environments` new environments per `per_seconds`, refilled continuously and
    not banked beyond one bucket (semantics §8, since Nov 2023: 1,000 every 10 s)."""

    environments: int = 1000
    per_seconds: float = 10.0


@dataclass(frozen=True, slots=True)
class AccountConfig:
    region: str = "us-east-1"
    account_id: str = "123456789012"
    concurrency_limit: int = 1000  # semantics §8: 1,000 per Region by default
    unreserved_min: int = 100  # reservations must leave this much unreserved (semantics §8)
    scaling_rate: ScalingRate | None = None  # None: no per-function scaling limit (option, off by default)


@dataclass(frozen=True, slots=True)
class VersionConfig:
    """Everything locked into a published version (semantics §4); $LATEST is the editable one."""

    memory_mb: int = 128
    timeout_s: float = 3.0
    profile: BehaviourProfile = field(default_factory=BehaviourProfile)
    dlq_arn: str | None = None  # DeadLetterConfig.TargetArn is version-specific (semantics §2)
    env: dict[str, str] = field(default_factory=dict)
    runtime: str = "python3.13"
    executor: str = "modelled"  # key into the Engine's executors
    code: Any = None  # opaque to the engine; what a real-handler executor runs
    ephemeral_storage_mb: int = 512  # EphemeralStorage.Size: a real handler's /tmp (semantics §11)


@dataclass(frozen=True, slots=True)
class AliasConfig:
    """An alias points at one version, optionally sending a weighted share to one more (semantics §5)."""

    function_version: str
    additional_version_weights: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AsyncConfig:
    """EventInvokeConfig for one qualifier (semantics §2)."""

    max_retry_attempts: int = 2
    max_event_age_s: float = 21600.0
    on_success: str | None = None
    on_failure: str | None = None


DEFAULT_ASYNC = AsyncConfig()


@dataclass(frozen=True, slots=True)
class FunctionConfig:
    """One function: its versions, aliases, and the settings that are not versioned (reserved concurrency).

    `async_configs` and `provisioned` are keyed by qualifier: "$LATEST", a version number or an alias name.
    """

    name: str
    versions: dict[str, VersionConfig] = field(default_factory=lambda: {LATEST: VersionConfig()})
    aliases: dict[str, AliasConfig] = field(default_factory=dict)
    reserved_concurrency: int | None = None
    async_configs: dict[str, AsyncConfig] = field(default_factory=dict)
    provisioned: dict[str, int] = field(default_factory=dict)

    def async_config(self, qualifier: str) -> AsyncConfig:
        return self.async_configs.get(qualifier, DEFAULT_ASYNC)

    def version_of(self, qualifier: str) -> str:
        """The version a qualifier points at (an alias's primary version; a version itself otherwise)."""
        alias = self.aliases.get(qualifier)
        return alias.function_version if alias is not None else qualifier

    @property
    def total_provisioned(self) -> int:
        return sum(self.provisioned.values())
