"""Turns the engine's event stream into aggregated frames (about 10 per second) that a browser can draw.

Browsers cannot draw 10,000 messages a second (DESIGN.md, hot path), so invocations become counts per edge,
version and outcome, duration percentiles, and a small sample for animated dots. Rare facts (retries, DLQ,
destinations, shard blocking, environment changes) travel as discrete events, capped per frame.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict, deque
from typing import Any

from ..engine.events import (
    AsyncEventDropped,
    DeliveredToDLQ,
    DestinationDelivered,
    Event,
    InvocationCompleted,
    Throttled,
    event_to_dict,
)
from ..engine.sources.events import MessageRedriven, OnFailureRecordSent
from .dropped_events import KEEP as DROPS_KEPT

SAMPLE_SIZE = 24  # dots per frame
DURATION_RESERVOIR = 256  # per function per frame, for p50/p95
MAX_DISCRETE = 200  # discrete events per frame; the rest are counted in `events_dropped`
# Facts that come once per invocation (or per batch) share a smaller budget of their own, so a throttle storm
# cannot crowd out the rare facts a class is watching for (a DLQ delivery, a blocked shard).
FREQUENT = {
    "Throttled",
    "ColdStartBegan",
    "EnvironmentStateChanged",
    "AsyncEventAccepted",
    "BatchInvoked",
    "BatchSucceeded",
    "AsyncEventProcessed",
}
MAX_FREQUENT = 60
MAX_LIST = 20  # a batch event may name 10,000 record ids; a frame carries the first few and the count


class FunctionTally:
    """What one function did during one frame."""

    __slots__ = (
        "edges",
        "outcomes",
        "throttles",
        "throttled_by",
        "cold_starts",
        "provisioned",
        "durations",
        "seen",
        "invocations",
        "delivered",
        "dropped",
        "drops",
    )

    def __init__(self) -> None:
        self.edges: Counter[str] = Counter()
        self.outcomes: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.throttles: Counter[str] = Counter()
        # "<InvocationType>:<source>": a sync caller got a 429, an async event went back to its queue.
        self.throttled_by: Counter[str] = Counter()
        self.cold_starts = 0
        self.provisioned = 0
        self.durations: list[float] = []
        self.seen = 0
        self.invocations = 0
        # Counted from every fact (the discrete list is capped): the server's totals add these up (totals.py).
        self.delivered: Counter[str] = Counter()  # DLQ / destination ARN -> records sent there
        self.dropped: Counter[str] = Counter()  # async events dropped, by condition
        # The latest dropped events themselves, kept for a reload (dropped_events.py); popped before sending.
        self.drops: deque[dict[str, Any]] = deque(maxlen=DROPS_KEPT)

    def as_dict(self) -> dict[str, Any]:
        ordered = sorted(self.durations)
        return {
            "invocations": self.invocations,
            "edges": dict(self.edges),
            "by_version": {v: dict(c) for v, c in self.outcomes.items()},
            "throttles": dict(self.throttles),
            "throttled_by": dict(self.throttled_by),
            "cold_starts": self.cold_starts,
            "provisioned": self.provisioned,
            "duration_p50": _percentile(ordered, 0.50),
            "duration_p95": _percentile(ordered, 0.95),
            "delivered": dict(self.delivered),
            "dropped": dict(self.dropped),
            "recent_drops": list(self.drops),
        }


class FrameAggregator:
    """An engine EventSink that accumulates one frame at a time; `flush()` hands the frame over and starts anew."""

    def __init__(self, rng: random.Random | None = None) -> None:
        self._rng = rng or random.Random()
        self._seq = 0
        self._reset()

    def _reset(self) -> None:
        self._functions: defaultdict[str, FunctionTally] = defaultdict(FunctionTally)
        self._samples: list[dict[str, Any]] = []
        self._sample_seen = 0
        self._events: list[dict[str, Any]] = []
        self._frequent = 0
        self._dropped = 0
        self._last_at: float | None = None
        # Deliveries that name a mapping or a queue, not a function: the publisher finds their function.
        self._mapping_delivered: Counter[tuple[str, str]] = Counter()  # (esm uuid, destination)
        self._queue_delivered: Counter[tuple[str, str]] = Counter()  # (source queue ARN, its DLQ)
        self._done_first: float | None = None  # simulated times of the oldest and newest completion in the frame
        self._done_last: float | None = None
        # request id -> the DLQ / on-failure destination it was just sent to (emitted just before its drop).
        self._failure_targets: dict[str, str] = {}

    def emit(self, event: Event) -> None:
        self._last_at = event.at
        if type(event) is InvocationCompleted:
            self._completed(event)
        elif type(event) is Throttled:
            tally = self._functions[event.function]
            tally.throttles[event.reason] += 1
            tally.throttled_by[f"{event.invocation_type}:{event.source}"] += 1
            tally.edges[f"{event.source}->{event.qualifier}"] += 1
            slot = self._sample_slot()
            if slot >= 0:
                self._put_sample(
                    slot,
                    {
                        "function": event.function,
                        "source": event.source,
                        "qualifier": event.qualifier,
                        "alias": event.alias,
                        "version": event.version,
                        "outcome": "Throttled",
                        "reason": event.reason,
                        "invocation_type": str(event.invocation_type),
                        "cold": False,
                        "request_id": event.request_id,
                    },
                )
            self._discrete(event)
        else:
            kind = type(event)
            if kind is DeliveredToDLQ or kind is DestinationDelivered:
                self._functions[event.function].delivered[event.arn] += 1
                if kind is DeliveredToDLQ or event.kind == "OnFailure":
                    self._failure_targets[event.request_id] = event.arn
            elif kind is AsyncEventDropped:
                tally = self._functions[event.function]
                tally.dropped[event.condition] += 1
                tally.drops.append(
                    {
                        "request_id": event.request_id,
                        "qualifier": event.qualifier,
                        "condition": event.condition,
                        "at": event.at,
                        "target": self._failure_targets.pop(event.request_id, None),
                    }
                )
            elif kind is MessageRedriven:
                self._queue_delivered[(event.queue_arn, event.dead_letter_arn)] += 1
            elif kind is OnFailureRecordSent:
                self._mapping_delivered[(event.esm, event.destination)] += 1
            self._discrete(event)

    def _completed(self, event: InvocationCompleted) -> None:
        # When the invocation really ended in simulated time (the host may run its completion a little later).
        result = event.result
        ended = event.started_at + (result.duration_ms + (result.init_ms or 0.0)) / 1000.0
        if self._done_first is None or ended < self._done_first:
            self._done_first = ended
        if self._done_last is None or ended > self._done_last:
            self._done_last = ended
        result = event.result
        version = result.executed_version or "$LATEST"
        tally = self._functions[event.function]
        tally.invocations += 1
        tally.edges[f"{event.source}->{event.qualifier}"] += 1
        if event.alias:
            tally.edges[f"{event.alias}->{version}"] += 1
        tally.outcomes[version][str(result.outcome)] += 1
        if result.cold_start:
            tally.cold_starts += 1
        if event.provisioned:
            tally.provisioned += 1
        # Reservoir sampling keeps the percentile estimate unbiased without storing every duration.
        tally.seen += 1
        if len(tally.durations) < DURATION_RESERVOIR:
            tally.durations.append(result.duration_ms)
        else:
            slot = int(self._rng.random() * tally.seen)
            if slot < DURATION_RESERVOIR:
                tally.durations[slot] = result.duration_ms
        slot = self._sample_slot()
        if slot < 0:
            return
        self._put_sample(
            slot,
            {
                "function": event.function,
                "source": event.source,
                "qualifier": event.qualifier,
                "alias": event.alias,
                "version": version,
                "outcome": str(result.outcome),
                "cold": result.cold_start,
                "env_id": event.env_id,
                "duration_ms": round(result.duration_ms, 2),
                "attempt": event.attempt,
                "invocation_type": str(event.invocation_type),
                "request_id": result.request_id,
            },
        )

    def _sample_slot(self) -> int:
        """Reservoir sampling: where the next dot goes, or -1 to skip it. Decided before the dot is built: at
        10,000 invocations a second nearly every dot is skipped, and building each one cost more than the rest."""
        self._sample_seen += 1
        kept = len(self._samples)
        if kept < SAMPLE_SIZE:
            return kept
        slot = int(self._rng.random() * self._sample_seen)  # uniform in [0, seen), cheaper than randrange
        return slot if slot < SAMPLE_SIZE else -1

    def _put_sample(self, slot: int, dot: dict[str, Any]) -> None:
        if slot == len(self._samples):
            self._samples.append(dot)
        else:
            self._samples[slot] = dot

    def _discrete(self, event: Event) -> None:
        if type(event).__name__ in FREQUENT:
            if self._frequent >= MAX_FREQUENT:
                self._dropped += 1
                return
            self._frequent += 1
        if len(self._events) < MAX_DISCRETE:
            data = event_to_dict(event)
            for key, value in list(data.items()):
                if isinstance(value, list | tuple) and len(value) > MAX_LIST:
                    data[key] = list(value[:MAX_LIST])
                    data[f"{key}_count"] = len(value)
            self._events.append(data)
        else:
            self._dropped += 1

    def empty(self) -> bool:
        return not (self._functions or self._events or self._dropped or self._queue_delivered)

    def flush(self) -> dict[str, Any]:
        """The frame so far, as JSON-ready data; the aggregator starts a new frame."""
        self._seq += 1
        frame = {
            "type": "frame",
            "seq": self._seq,
            "sim_time": self._last_at,
            # [oldest, newest] completion this frame shows (simulated s): how stale a frame is (bench/latency.py).
            "completed_sim": None if self._done_first is None else [self._done_first, self._done_last],
            "functions": {name: tally.as_dict() for name, tally in self._functions.items()},
            "samples": self._samples,
            "events": self._events,
            "events_dropped": self._dropped,
            "mapping_delivered": [[esm, arn, n] for (esm, arn), n in self._mapping_delivered.items()],
            "queue_delivered": [[queue, arn, n] for (queue, arn), n in self._queue_delivered.items()],
        }
        self._reset()
        return frame


def frame_for_function(frame: dict[str, Any], function: str) -> dict[str, Any]:
    """The part of an account frame one function's page needs."""
    return {
        **frame,
        "functions": {function: frame["functions"][function]} if function in frame["functions"] else {},
        "samples": [s for s in frame["samples"] if s.get("function") == function],
        "events": [e for e in frame["events"] if e.get("function") == function],
        "totals": {function: frame["totals"][function]} if function in frame.get("totals", {}) else {},
    }


def add_delivered(frame: dict[str, Any], function: str, arn: str, n: int) -> None:
    """Count `n` records a mapping or its queue sent to `arn` as `function`'s (the publisher knows whose)."""
    functions = frame["functions"]
    if function not in functions:
        functions[function] = FunctionTally().as_dict()
    delivered = functions[function]["delivered"]
    delivered[arn] = delivered.get(arn, 0) + n


def _percentile(ordered: list[float], q: float) -> float | None:
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)
