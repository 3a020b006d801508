"""Builders for engine tests: a seeded engine on a virtual clock, and a compact view of its event log."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from typing import Any

from invocations.engine.clock import VirtualClock
from invocations.engine.config import AccountConfig, AliasConfig, AsyncConfig, FunctionConfig, VersionConfig
from invocations.engine.events import (
    AsyncEventAccepted,
    AsyncEventSettled,
    ColdStartBegan,
    DeliveredToDLQ,
    DestinationDelivered,
    DuplicateDelivered,
    EnvironmentStateChanged,
    Event,
    InvocationCompleted,
    ListSink,
    ProvisionedConcurrencyChanged,
    RetryScheduled,
    ServiceFailed,
    Throttled,
)
from invocations.engine.executors import Executor
from invocations.engine.options import EngineOptions
from invocations.engine.outcomes import InvokeResult
from invocations.engine.profile import BehaviourProfile
from invocations.engine.registry import Registry
from invocations.engine.simulator import Engine
from invocations.engine.targets import MemoryTargets

__all__ = ["AliasConfig", "AsyncConfig", "VersionConfig", "Sim", "brief", "fixed", "function", "make"]


def fixed(duration_ms: float = 100, init_ms: float = 250, **extra: Any) -> BehaviourProfile:
    """A profile with an exact duration (stddev 0), so event times are exact."""
    return BehaviourProfile.from_dict({"duration_ms": duration_ms, "init_ms": init_ms, **extra})


def function(
    name: str = "fn",
    profile: BehaviourProfile | None = None,
    *,
    versions: dict[str, VersionConfig] | None = None,
    timeout_s: float = 3.0,
    **kw: Any,
) -> FunctionConfig:
    if versions is None:
        versions = {"$LATEST": VersionConfig(profile=profile or fixed(), timeout_s=timeout_s)}
    return FunctionConfig(name=name, versions=versions, **kw)


@dataclass
class Sim:
    engine: Engine
    clock: VirtualClock
    sink: ListSink
    targets: MemoryTargets
    results: list[InvokeResult] = field(default_factory=list)

    @property
    def registry(self) -> Registry:
        return self.engine.registry

    def invoke(self, target: str = "fn", payload: Any = None, **kw: Any) -> None:
        self.engine.invoke_sync(target, payload if payload is not None else {}, on_complete=self.results.append, **kw)

    def invoke_async(self, target: str = "fn", payload: Any = None, **kw: Any) -> str:
        return self.engine.invoke_async(target, payload if payload is not None else {}, **kw)

    def log(self, *types: type[Event]) -> list[tuple]:
        return [brief(e) for e in self.sink.events if not types or isinstance(e, types)]

    def events(self, *types: type[Event]) -> list[Any]:
        return self.sink.of_type(*types)


def make(
    *functions: FunctionConfig,
    seed: int = 1,
    account: AccountConfig | None = None,
    options: EngineOptions | None = None,
    executors: dict[str, Executor] | None = None,
    start: float = 0.0,
    readable_ids: bool = True,
    store: Any = None,
) -> Sim:
    clock = VirtualClock(start)
    sink = ListSink()
    targets = MemoryTargets()
    counter = itertools.count(1)
    engine = Engine(
        clock,
        random.Random(seed),
        store=store,
        sink=sink,
        registry=Registry(account or AccountConfig(), functions),
        targets=targets,
        executors=executors,
        options=options,
        request_ids=(lambda: f"req-{next(counter)}") if readable_ids else None,
    )
    return Sim(engine, clock, sink, targets)


def brief(e: Event) -> tuple:
    """One event as a short tuple for `log == [...]` assertions."""
    at = round(e.at, 6)
    name = type(e).__name__
    match e:
        case InvocationCompleted():
            r = e.result
            return (at, name, r.request_id, r.executed_version, e.env_id, str(r.outcome), r.cold_start)
        case Throttled():
            return (at, name, e.request_id, e.reason)
        case ColdStartBegan():
            return (at, name, e.request_id, e.env_id)
        case EnvironmentStateChanged():
            return (at, name, e.env_id, str(e.state))
        case AsyncEventAccepted():
            return (at, name, e.request_id)
        case RetryScheduled():
            return (at, name, e.request_id, e.cause, e.attempts, round(e.retry_at, 6))
        case AsyncEventSettled():
            return (at, name, e.request_id, e.condition, e.approximate_invoke_count)
        case DeliveredToDLQ():
            return (at, name, e.request_id, e.arn)
        case DestinationDelivered():
            return (at, name, e.request_id, e.kind, e.arn)
        case DuplicateDelivered():
            return (at, name, e.request_id, e.target)
        case ProvisionedConcurrencyChanged():
            return (at, name, e.qualifier, e.allocated, e.status)
        case ServiceFailed():
            return (at, name, e.request_id)
    return (at, name)
