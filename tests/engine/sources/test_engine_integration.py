"""Pollers driving the real Engine: poison records, DLQ redrive and throttles end to end (semantics §3, §8)."""

from __future__ import annotations

import json
import random

from invocations.engine.events import InvocationCompleted, Throttled
from invocations.engine.sources import (
    InMemoryQueueStore,
    InMemoryStreamStore,
    MappingSpec,
    MessageRedriven,
    OnFailureRecordSent,
    PollerContext,
    QueueConfig,
    RedrivePolicy,
    ShardBlocked,
    ShardUnblocked,
    StreamConfig,
    create_poller,
)

from ..helpers import fixed, function, make
from .esm_helpers import spec_for

STREAM = "arn:aws:kinesis:us-east-1:123456789012:stream/orders"
QUEUE = "arn:aws:sqs:us-east-1:123456789012:orders"
DLQ = "arn:aws:sqs:us-east-1:123456789012:orders-dlq"
DEST = "arn:aws:sqs:us-east-1:123456789012:failures"
POISONABLE = fixed(200, 250, fail_when=[{"path": "poison", "equals": True}])


def ctx_for(sim) -> PollerContext:
    return PollerContext(sim.clock, sim.engine, sim.sink, random.Random(9), sim.targets)


def stream_mapping(sim, **fields) -> tuple:
    streams = InMemoryStreamStore()
    streams.create_stream(StreamConfig(STREAM, "kinesis"))
    spec: MappingSpec = spec_for("kinesis", STREAM, StartingPosition="TRIM_HORIZON", **fields)
    poller = create_poller(spec, ctx_for(sim), streams=streams)
    return streams, poller


def test_a_poison_record_blocks_a_kinesis_shard_in_the_real_engine_until_retries_run_out():
    # semantics §3
    sim = make(function("fn", POISONABLE))
    streams, poller = stream_mapping(
        sim, MaximumRetryAttempts=2, DestinationConfig={"OnFailure": {"Destination": DEST}}
    )
    streams.put_record(STREAM, "k", {"poison": True}, now=0)
    poller.start()
    sim.clock.run(until=0.1)
    later = streams.put_record(STREAM, "k", {"ok": 1}, now=sim.clock.now())  # queues up behind the poison one
    sim.clock.run(until=20)
    completed = sim.events(InvocationCompleted)
    assert [(e.source, str(e.result.outcome)) for e in completed] == [
        ("kinesis", "FunctionError"),
        ("kinesis", "FunctionError"),
        ("kinesis", "FunctionError"),
        ("kinesis", "Success"),
    ]
    assert len(sim.events(ShardBlocked)) == 1
    assert sim.events(ShardUnblocked)[0].reason == "RetryAttemptsExhausted"
    (record,) = sim.targets.bodies(DEST)
    last_failure = completed[2].result
    assert record["requestContext"]["requestId"] == last_failure.request_id
    assert record["requestContext"]["approximateInvokeCount"] == 3
    assert record["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"}
    assert record["KinesisBatchInfo"]["batchSize"] == 1
    assert poller.checkpoint("shardId-000000000000") == later.seq


def test_reserved_concurrency_zero_throttles_a_stream_without_consuming_retries():
    # semantics §3 and §8: stream throttles retry until the records expire, retries untouched
    sim = make(function("fn", POISONABLE, reserved_concurrency=0))
    streams, poller = stream_mapping(
        sim, MaximumRetryAttempts=0, DestinationConfig={"OnFailure": {"Destination": DEST}}
    )
    streams.put_record(STREAM, "k", {"ok": 1}, now=0)
    poller.start()
    sim.clock.run(until=30)
    throttles = sim.events(Throttled)
    assert len(throttles) == 5  # t = 0, 1, 3, 7, 15: backoff 1, 2, 4, 8 s
    assert {t.reason for t in throttles} == {"ReservedFunctionConcurrentInvocationLimitExceeded"}
    assert sim.targets.bodies(DEST) == [] and sim.events(OnFailureRecordSent) == []
    sim.registry.put(function("fn", POISONABLE))  # lift the reservation
    sim.clock.run(until=80)
    assert [str(e.result.outcome) for e in sim.events(InvocationCompleted)] == ["Success"]


def test_a_poison_sqs_message_lands_in_the_queue_dlq_through_the_real_engine():
    # semantics §3
    sim = make(function("fn", POISONABLE))
    queues = InMemoryQueueStore(random.Random(2))
    queues.create_queue(QueueConfig(DLQ))
    queues.create_queue(QueueConfig(QUEUE, visibility_timeout=20, redrive=RedrivePolicy(DLQ, 2)))
    poison = queues.send_message(QUEUE, json.dumps({"poison": True}), now=0)
    queues.send_message(QUEUE, json.dumps({"ok": 1}), now=0)
    poller = create_poller(spec_for("sqs", QUEUE, BatchSize=1), ctx_for(sim), queues=queues)
    poller.start()
    sim.clock.run(until=100)
    outcomes = [(e.source, str(e.result.outcome)) for e in sim.events(InvocationCompleted)]
    assert sorted(outcomes) == [("sqs", "FunctionError"), ("sqs", "FunctionError"), ("sqs", "Success")]
    assert [e.message_id for e in sim.events(MessageRedriven)] == [poison]
    assert [m.message_id for m in queues.messages(DLQ)] == [poison]
    assert queues.messages(QUEUE) == []


class Recording:
    """Forwards to the engine and keeps each request payload (InvocationCompleted does not carry it)."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.payloads: list = []

    def invoke_sync(self, target, payload, *, source="sdk", on_complete) -> None:
        self.payloads.append(payload)
        self.engine.invoke_sync(target, payload, source=source, on_complete=on_complete)


def test_fifo_groups_keep_their_order_through_the_real_engine():
    # semantics §3
    sim = make(function("fn", fixed(300, 250)))
    fifo = "arn:aws:sqs:us-east-1:123456789012:orders.fifo"
    queues = InMemoryQueueStore(random.Random(2))
    queues.create_queue(QueueConfig(fifo, fifo=True))
    for i in range(8):
        queues.send_message(fifo, json.dumps({"i": i}), now=0, group_id="AB"[i % 2], dedup_id=str(i))
    recording = Recording(sim.engine)
    ctx = PollerContext(sim.clock, recording, sim.sink, random.Random(9), sim.targets)
    poller = create_poller(spec_for("sqs-fifo", fifo, BatchSize=1), ctx, queues=queues)
    poller.start()
    sim.clock.run(until=30)
    seen: dict[str, list[int]] = {}
    for payload in recording.payloads:
        for record in payload["Records"]:
            seen.setdefault(record["attributes"]["MessageGroupId"], []).append(json.loads(record["body"])["i"])
    assert seen == {"A": [0, 2, 4, 6], "B": [1, 3, 5, 7]}
    assert [str(e.result.outcome) for e in sim.events(InvocationCompleted)] == ["Success"] * 8
    assert queues.messages(fifo) == []
