"""Routing (semantics §4, §5, §12): resolve a name, ARN, version or alias to a cached Route; a weighted alias
picks its version with the engine's seeded RNG on every invocation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import InvalidParameterValueException, ResourceNotFoundException, ServiceException
from .arns import function_arn, parse_function_ref
from .concurrency import pool_for
from .config import LATEST, AsyncConfig, FunctionConfig, VersionConfig
from .environments import version_pool

if TYPE_CHECKING:
    from .environments import EnvironmentManager, ProvisionedPool
    from .executors import Executor
    from .registry import Registry


@dataclass(frozen=True, slots=True)
class VersionTarget:
    """One version as the invoke path needs it, precomputed."""

    function: str
    version: str
    config: VersionConfig
    arn: str  # qualified with the version: what ran
    pool: str  # idle-environment pool key
    executor: Executor


@dataclass(frozen=True, slots=True)
class Route:
    """A resolved (function, requested qualifier): everything the hot path reads, rebuilt on any config change."""

    fn: FunctionConfig
    function: str
    qualifier: str  # as requested; "$LATEST" for an unqualified invoke
    alias: str | None
    arn: str  # qualified with the requested qualifier (invocation records' functionArn)
    invoked_arn: str  # the ARN as the caller named it: unqualified for an unqualified invoke (invoked_function_arn)
    primary: VersionTarget
    secondary: VersionTarget | None
    weight: float  # probability of the secondary version
    pc: ProvisionedPool | None  # applies only when the primary version is picked
    pool_key: str
    pool_cap: int
    reason: str
    scaling_reason: str
    async_config: AsyncConfig

    def pick(self, draw: Callable[[], float]) -> VersionTarget:
        """The version this invocation runs: a weighted alias draws once from `draw` (the engine's seeded
        rng.random), anything else takes its primary version without a draw."""
        if self.secondary is not None and draw() < self.weight:
            return self.secondary
        return self.primary


class Router:
    def __init__(self, registry: Registry, environments: EnvironmentManager, executors: Mapping[str, Executor]) -> None:
        self._registry = registry
        self._envs = environments
        self._executors = executors
        self._routes: dict[object, Route] = {}
        self._generation = -1

    def route_for(self, target: str, qualifier: str | None = None) -> Route:
        """The route of (target, qualifier): the cached one when configuration has not changed since, else
        resolve(). Raises what resolve() raises."""
        if qualifier is None and self._registry.generation == self._generation:
            route = self._routes.get(target)  # the hot path: one dict lookup
            if route is not None:
                return route
        return self.resolve(target, qualifier)

    def resolve(self, target: str, qualifier: str | None = None) -> Route:
        """Raises ValidationException (bad name/ARN), ResourceNotFoundException, or InvalidParameterValueException."""
        if self._registry.generation != self._generation:
            self._routes.clear()
            self._generation = self._registry.generation
        key = target if qualifier is None else (target, qualifier)
        route = self._routes.get(key)
        if route is None:
            route = self._routes[key] = self._build(target, qualifier)
        return route

    def _build(self, target: str, qualifier: str | None) -> Route:
        registry = self._registry
        account = registry.account
        ref = parse_function_ref(target)
        if ref.account not in (None, account.account_id) or ref.region not in (None, account.region):
            raise ResourceNotFoundException(f"Function not found: {target}")
        if qualifier is not None and ref.qualifier is not None and qualifier != ref.qualifier:
            raise InvalidParameterValueException(
                "The derived qualifier from the function name does not match the specified qualifier."
            )
        q = ref.qualifier or qualifier or LATEST
        fn = registry.get(ref.name)
        alias_cfg = fn.aliases.get(q)
        secondary, weight = None, 0.0
        if alias_cfg is not None:
            primary = self._target(fn, alias_cfg.function_version)
            for version, w in alias_cfg.additional_version_weights.items():
                secondary, weight = self._target(fn, version), w
        elif q in fn.versions:
            primary = self._target(fn, q)
        else:
            raise ResourceNotFoundException(f"Function not found: {function_arn(account, fn.name, q)}")
        pool = pool_for(fn, registry.unreserved_capacity())
        return Route(
            fn=fn,
            function=fn.name,
            qualifier=q,
            alias=q if alias_cfg is not None else None,
            arn=function_arn(account, fn.name, q),
            invoked_arn=function_arn(account, fn.name, ref.qualifier or qualifier),
            primary=primary,
            secondary=secondary,
            weight=weight,
            pc=self._envs.provisioned_pool(fn.name, q),
            pool_key=pool.key,
            pool_cap=pool.cap,
            reason=pool.reason,
            scaling_reason=pool.scaling_reason,
            async_config=fn.async_config(q),
        )

    def _target(self, fn: FunctionConfig, version: str) -> VersionTarget:
        config = fn.versions[version]
        executor = self._executors.get(config.executor)
        if executor is None:
            raise ServiceException(f"No executor named {config.executor!r} is available for {fn.name}:{version}.")
        return VersionTarget(
            function=fn.name,
            version=version,
            config=config,
            arn=function_arn(self._registry.account, fn.name, version),
            pool=version_pool(fn.name, version),
            executor=executor,
        )
