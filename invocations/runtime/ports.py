"""What the engine host needs from the rest of the application, as Protocols (services/host_adapter.py implements
them with the database): a ConfigSource it reads the account from, a HostReporter it writes its decisions back to.

Pure: nothing here touches Django, the ORM or Redis, so the runtime depends on these shapes, never on the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ..engine.config import AccountConfig, FunctionConfig
    from ..engine.sources.context import MappingSpec
    from ..engine.sources.fanout import BusRule, TopicSubscriber
    from ..engine.sources.queue_store import QueueConfig
    from ..engine.sources.stream_store import StreamConfig
    from .metrics.reader import MetricReader
    from .shared_clock import ClockState
    from .targets import S3Trigger


@dataclass(frozen=True, slots=True)
class AccountSnapshot:
    """The account as the engine host runs it, read in one go (reload.py applies it)."""

    account: AccountConfig
    functions: list[FunctionConfig]
    queues: list[QueueConfig]
    streams: list[StreamConfig]
    subscriptions: list[TopicSubscriber]
    rules: list[BusRule]
    s3_triggers: list[S3Trigger]
    mappings: list[MappingSpec]  # only the enabled mappings that are Enabled: the ones that poll


class ConfigSource(Protocol):
    """Where the runtime reads the configuration it runs and shows."""

    def clock(self) -> ClockState:
        """The shared clock, started from the account's remembered speed if it was never set."""
        ...

    def account(self) -> AccountConfig: ...

    def snapshot(self) -> AccountSnapshot: ...

    def account_summary(self) -> dict[str, Any]:
        """The account as the live diagram shows it (region, limits, clock)."""
        ...

    def function_summaries(self, function: str | None = None) -> list[dict[str, Any]]:
        """Every function (or the one named) as the live diagram draws it."""
        ...


class HostReporter(Protocol):
    """Where the runtime writes back what it decided that the API must show."""

    def settle_mappings(self) -> None:
        """Finish every mapping's transition (Creating, Updating, Enabling, Disabling): the runtime settles them."""
        ...

    def provisioned_allocated(
        self, *, function: str, qualifier: str, allocated: int, status: str, status_reason: str
    ) -> bool:
        """Save a provisioned-concurrency allocation; False if it was already the saved one (or the config is gone)."""
        ...

    def evaluate_alarms(self, at: float, *, metric_reader: MetricReader | None = None) -> int:
        """Evaluate the CloudWatch alarms due at simulated time `at`; returns the transitions made."""
        ...

    def evaluate_scaling(self, at: float, *, metric_reader: MetricReader | None = None) -> int:
        """Run Application Auto Scaling at simulated time `at` (after the alarms); returns the activities started."""
        ...

    def advance_deployments(self, at: float) -> int:
        """Drive the active CodeDeploy deployments to simulated time `at`; returns how many were driven."""
        ...
