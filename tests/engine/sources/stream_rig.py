"""A stream mapping wired to a scripted invoker, for the stream poller tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from invocations.engine.clock import VirtualClock
from invocations.engine.sources import InMemoryStreamStore, PollerContext, StreamConfig, StreamPoller, StreamRecord

from .esm_helpers import ScriptedInvoker, error, kinesis_items, make_ctx, ok, spec_for

KINESIS_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/orders"
DDB_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000"
KAFKA_ARN = "arn:aws:kafka:us-east-1:123456789012:topic/cluster/orders"
DEST = "arn:aws:sqs:us-east-1:123456789012:failures"
ARNS = {"kinesis": KINESIS_ARN, "dynamodb": DDB_ARN, "kafka": KAFKA_ARN}


@dataclass
class StreamRig:
    clock: VirtualClock
    invoker: ScriptedInvoker
    ctx: PollerContext
    store: InMemoryStreamStore
    poller: StreamPoller
    arn: str

    def put(self, key: str, data: Any) -> StreamRecord:
        return self.store.put_record(self.arn, key, data, now=self.clock.now())

    @property
    def events(self) -> list:
        return self.ctx.sink.events

    def of(self, *types: type) -> list:
        return [e for e in self.events if isinstance(e, types)]

    def delivered(self) -> list[list[Any]]:
        """Decoded data of each invocation's records (Kinesis)."""
        return [[data for _, data in kinesis_items(call.payload)] for call in self.invoker.calls]


def poison_decider(payload: dict) -> tuple:
    """Fail the whole batch when any Kinesis record's data has poison: true."""
    return error() if any(d.get("poison") for _, d in kinesis_items(payload)) else ok()


def stream_rig(
    kind: str = "kinesis",
    *,
    shards: int = 1,
    retention: float = 86_400.0,
    decide: Any = poison_decider,
    duration: float = 0.25,
    start: bool = True,
    **fields: Any,
) -> StreamRig:
    clock = VirtualClock()
    invoker = ScriptedInvoker(clock, decide, duration)
    ctx = make_ctx(clock, invoker)
    store = InMemoryStreamStore()
    arn = ARNS[kind]
    store.create_stream(StreamConfig(arn, kind, shard_count=shards, retention=retention))
    fields.setdefault("StartingPosition", "TRIM_HORIZON")
    poller = StreamPoller(spec_for(kind, arn, **fields), store, ctx)
    rig = StreamRig(clock, invoker, ctx, store, poller, arn)
    if start:
        poller.start()
    return rig
