"""Typed, past-tense facts the engine emits; a sink (list in tests, publisher in production) receives them.

Events are few per invocation on purpose (hot path): a warm invocation emits exactly one
`InvocationCompleted`, which carries the whole path source → alias → version → environment → outcome.
An environment's warm Busy/Idle transitions are implied by `InvocationCompleted` (`started_at` .. `at`, `env_id`);
every other environment transition (created, ready, reset, reclaimed) is an `EnvironmentStateChanged`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from .fastinit import fast_frozen_init

if TYPE_CHECKING:
    from .outcomes import InvokeResult


@dataclass(frozen=True, slots=True)
class Event:
    """Base class of every engine fact; `at` is simulated seconds on the engine's clock."""

    at: float


class EventSink(Protocol):
    def emit(self, event: Event) -> None: ...


class ListSink:
    """Keeps every event in order; the sink tests and golden traces use."""

    __slots__ = ("events",)

    def __init__(self) -> None:
        self.events: list[Event] = []

    def emit(self, event: Event) -> None:
        self.events.append(event)

    def of_type(self, *types: type[Event]) -> list[Event]:
        return [e for e in self.events if isinstance(e, types)]


class NullSink:
    """Discards events (benchmarks of the bare engine, or when nobody watches)."""

    __slots__ = ()

    def emit(self, event: Event) -> None:
        return None


class InvocationType(StrEnum):
    REQUEST_RESPONSE = "RequestResponse"
    EVENT = "Event"


class EnvState(StrEnum):
    """An execution environment's lifecycle (semantics §9)."""

    INITIALIZING = "Initializing"
    READY = "Ready"  # initialised and idle (frozen), waiting for an invoke
    BUSY = "Busy"  # only implied by InvocationCompleted on the warm path, see module docstring
    RESET = "Reset"  # crashed or timed out; the next invoke runs Init again
    RECLAIMED = "Reclaimed"  # shut down: idle too long, provisioned concurrency lowered, or function removed


# --- invocations ---------------------------------------------------------------------------------------------


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class InvocationCompleted(Event):
    """One finished invocation (one attempt, for async). `qualifier` is what the caller asked for."""

    result: InvokeResult
    source: str
    invocation_type: InvocationType
    function: str
    qualifier: str
    alias: str | None
    env_id: int
    started_at: float
    attempt: int = 1  # async: 1..3; 0 marks an at-least-once duplicate run
    provisioned: bool = False  # ran on a provisioned-concurrency environment


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class Throttled(Event):
    """An invocation refused with 429; `reason` is AWS's Reason (semantics §1). `version` is the routed version."""

    request_id: str
    function: str
    qualifier: str
    alias: str | None
    version: str
    reason: str
    source: str
    invocation_type: InvocationType


@dataclass(frozen=True, slots=True)
class ServiceFailed(Event):
    """Lambda itself failed the invoke with 500 ServiceException (only with EngineOptions.service_error_rate)."""

    request_id: str
    function: str
    qualifier: str
    alias: str | None
    version: str
    source: str
    invocation_type: InvocationType


# --- execution environments ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColdStartBegan(Event):
    """`request_id` needs an Init phase first (new environment, or one reset by a crash/timeout)."""

    request_id: str
    function: str
    version: str
    env_id: int
    init_type: str


@dataclass(frozen=True, slots=True)
class EnvironmentStateChanged(Event):
    """An environment's lifecycle transition; `init_type` is AWS_LAMBDA_INITIALIZATION_TYPE (semantics §9)."""

    env_id: int
    function: str
    version: str
    state: EnvState
    init_type: str


@dataclass(frozen=True, slots=True)
class ProvisionedConcurrencyChanged(Event):
    """A provisioned-concurrency config's allocation moved (Status IN_PROGRESS or READY, semantics §9)."""

    function: str
    qualifier: str
    version: str
    requested: int
    allocated: int
    status: str


# --- asynchronous invocation (semantics §2) --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AsyncEventAccepted(Event):
    """An Event invocation was accepted (202) into the function's internal queue."""

    request_id: str
    function: str
    qualifier: str
    source: str


@dataclass(frozen=True, slots=True)
class RetryScheduled(Event):
    """An async event goes back to the queue; `cause` is FunctionError, Throttled or ServiceError."""

    request_id: str
    function: str
    qualifier: str
    cause: str
    attempts: int  # invocations made so far (approximateInvokeCount)
    retry_at: float


@dataclass(frozen=True, slots=True)
class AsyncEventSettled(Event):
    """Base of the two terminal facts: every accepted async event ends in exactly one of them."""

    request_id: str
    function: str
    qualifier: str
    condition: str
    approximate_invoke_count: int


@dataclass(frozen=True, slots=True)
class AsyncEventProcessed(AsyncEventSettled):
    """The function succeeded on some attempt (condition Success)."""


@dataclass(frozen=True, slots=True)
class AsyncEventDropped(AsyncEventSettled):
    """The event left the queue without success (AWS's AsyncEventsDropped): RetriesExhausted, EventAgeExceeded or
    ZeroReservedConcurrency. A DLQ or on-failure destination, if any, received it just before."""


@dataclass(frozen=True, slots=True)
class DeliveredToDLQ(Event):
    request_id: str
    function: str
    arn: str
    error_code: str


@dataclass(frozen=True, slots=True)
class DestinationDelivered(Event):
    """An invocation record went to an OnSuccess or OnFailure destination."""

    request_id: str
    function: str
    qualifier: str
    condition: str
    kind: str  # "OnSuccess" | "OnFailure"
    arn: str


@dataclass(frozen=True, slots=True)
class DeliveryFailed(Event):
    """The target refused a DLQ message or a destination record (a FIFO queue or topic, a function that is gone):
    AWS's DeadLetterErrors (`kind` "DeadLetterQueue") or DestinationDeliveryFailures ("OnSuccess", "OnFailure").
    It replaces DeliveredToDLQ / DestinationDelivered for that delivery; the event itself is still settled."""

    request_id: str
    function: str
    qualifier: str
    kind: str
    arn: str


@dataclass(frozen=True, slots=True)
class DuplicateDelivered(Event):
    """At-least-once delivery produced a duplicate: `target` is "function" (an extra invocation) or a target ARN."""

    request_id: str
    function: str
    target: str


def event_to_dict(event: Event) -> dict[str, Any]:
    """A JSON-ready dict `{"type": ..., field: value}`; a nested InvokeResult becomes a dict too."""
    out: dict[str, Any] = {"type": type(event).__name__}
    for f in dataclasses.fields(event):
        value = getattr(event, f.name)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            value = value.to_dict() if hasattr(value, "to_dict") else dataclasses.asdict(value)
        elif isinstance(value, StrEnum):
            value = str(value)
        out[f.name] = value
    return out
