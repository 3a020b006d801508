"""Test doubles for the event-source tests: a scripted SyncInvoker and small payload readers."""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from invocations.engine.clock import VirtualClock
from invocations.engine.events import ListSink
from invocations.engine.outcomes import InvokeResult, Outcome
from invocations.engine.sources import EsmSettings, MappingSpec, PollerContext
from invocations.engine.targets import MemoryTargets

Decision = tuple[Outcome, Any]


@dataclass
class Call:
    at: float
    target: str
    payload: Any
    source: str


@dataclass
class ScriptedInvoker:
    """Answers like Engine.invoke_sync: after `duration` simulated seconds (a throttle answers at once).

    `decide(payload) -> (Outcome, response payload)`; by default every call succeeds with a null response.
    """

    clock: VirtualClock
    decide: Callable[[Any], Decision] = lambda payload: (Outcome.SUCCESS, None)
    duration: float = 0.1
    calls: list[Call] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0

    def invoke_sync(self, target: str, payload: Any, *, source: str = "sdk", on_complete: Callable) -> None:
        self.calls.append(Call(self.clock.now(), target, payload, source))
        outcome, body = self.decide(payload)
        n = len(self.calls)
        status = 429 if outcome is Outcome.THROTTLED else 200
        result = InvokeResult(
            request_id=f"req-{n}",
            outcome=outcome,
            status_code=status,
            executed_version="$LATEST",
            payload=body,
            function_error="Unhandled" if outcome in (Outcome.FUNCTION_ERROR, Outcome.TIMEOUT) else None,
            throttle_reason="ReservedFunctionConcurrentInvocationLimitExceeded" if status == 429 else None,
        )
        if outcome is Outcome.THROTTLED:
            on_complete(result)
            return
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)

        def finish() -> None:
            self.in_flight -= 1
            on_complete(result)

        self.clock.schedule(self.duration, finish)


def error(payload: Any = None) -> Decision:
    return Outcome.FUNCTION_ERROR, payload or {"errorMessage": "boom", "errorType": "Exception"}


def ok(payload: Any = None) -> Decision:
    return Outcome.SUCCESS, payload


def make_ctx(clock: VirtualClock, invoker: Any, seed: int = 7) -> PollerContext:
    return PollerContext(
        clock=clock, invoker=invoker, sink=ListSink(), rng=random.Random(seed), targets=MemoryTargets()
    )


def spec_for(kind: str, source_arn: str, uuid: str = "esm-1", **fields: Any) -> MappingSpec:
    settings = EsmSettings.validate(kind, event_source_arn=source_arn, **fields)
    return MappingSpec(
        uuid=uuid,
        function="fn",
        source_arn=source_arn,
        settings=settings,
        function_arn="arn:aws:lambda:us-east-1:123456789012:function:fn",
    )


def kinesis_items(payload: dict) -> list[tuple[str, Any]]:
    """(partitionKey, decoded data) per record of a Kinesis event."""
    out = []
    for record in payload["Records"]:
        raw = base64.b64decode(record["kinesis"]["data"]).decode()
        out.append((record["kinesis"]["partitionKey"], json.loads(raw)))
    return out


def kinesis_seqs(payload: dict) -> list[str]:
    return [r["kinesis"]["sequenceNumber"] for r in payload["Records"]]


def sqs_bodies(payload: dict) -> list[str]:
    return [r["body"] for r in payload["Records"]]


def without_time(events: list) -> list:
    """Events as (type name, fields without `at`) for readable log comparisons."""
    out = []
    for event in events:
        fields = {k: getattr(event, k) for k in event.__dataclass_fields__ if k != "at"}
        out.append((type(event).__name__, fields))
    return out
