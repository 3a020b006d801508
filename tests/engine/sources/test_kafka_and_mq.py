"""Kafka and Amazon MQ mappings: 500 ms default window, one consumer per partition, MQ concurrency (§3)."""

import base64
import json

from invocations.engine.sources import MessageRedriven, OnFailureRecordSent, ShardBlocked

from .esm_helpers import error, ok
from .queue_rig import queue_rig
from .stream_rig import DEST, stream_rig


def kafka_values(payload: dict) -> list:
    return [json.loads(base64.b64decode(r["value"])) for records in payload["records"].values() for r in records]


def kafka_decider(payload: dict) -> tuple:
    return error() if any(v.get("poison") for v in kafka_values(payload)) else ok()


def test_kafka_batches_wait_for_the_default_half_second_window():
    # semantics §3
    rig = stream_rig("kafka", StartingPosition="TRIM_HORIZON", decide=kafka_decider)
    rig.put("k", {"i": 0})
    rig.clock.run(until=3)
    assert [c.at for c in rig.invoker.calls] == [0.5]


def test_kafka_runs_at_most_one_consumer_per_partition_in_offset_order():
    # semantics §3
    rig = stream_rig("kafka", shards=3, BatchSize=2, duration=1.0, decide=kafka_decider)
    for i in range(30):
        rig.put(f"key-{i % 6}", {"key": f"key-{i % 6}", "i": i})
    rig.clock.run(until=60)
    assert rig.invoker.max_in_flight == 3
    per_partition: dict[str, list[int]] = {}
    for call in rig.invoker.calls:
        for name, records in call.payload["records"].items():
            per_partition.setdefault(name, []).extend(r["offset"] for r in records)
    assert all(offsets == sorted(offsets) == list(range(len(offsets))) for offsets in per_partition.values())
    assert sum(len(v) for v in per_partition.values()) == 30


def test_a_failing_kafka_batch_blocks_its_partition_until_retries_run_out():
    # semantics §3
    rig = stream_rig("kafka", MaximumRetryAttempts=1, DestinationConfig={"OnFailure": {"Destination": DEST}},
                     decide=kafka_decider)  # fmt: skip
    rig.put("k", {"poison": True})
    rig.clock.run(until=0.6)
    rig.put("k", {"i": 1})
    rig.clock.run(until=10)
    assert [kafka_values(c.payload) for c in rig.invoker.calls] == [
        [{"poison": True}], [{"poison": True}], [{"i": 1}]
    ]  # fmt: skip
    assert len(rig.of(ShardBlocked)) == 1
    (sent,) = rig.of(OnFailureRecordSent)
    assert sent.condition == "RetryAttemptsExhausted"
    body = rig.ctx.targets.bodies(DEST)[0]
    assert body["KafkaBatchInfo"]["batchSize"] == 1 and body["requestContext"]["approximateInvokeCount"] == 2


def mq_bodies(payload: dict) -> list:
    if "messages" in payload:
        return [json.loads(base64.b64decode(m["data"])) for m in payload["messages"]]
    return [json.loads(base64.b64decode(m["data"])) for ms in payload["rmqMessagesByQueue"].values() for m in ms]


def mq_decider(payload: dict) -> tuple:
    return error() if any(b.get("poison") for b in mq_bodies(payload)) else ok()


def test_activemq_runs_five_consumers_and_rabbitmq_one():
    # semantics §3
    for kind, expected in [("mq-activemq", 5), ("mq-rabbitmq", 1)]:
        rig = queue_rig(kind, BatchSize=1, duration=10.0, decide=mq_decider)
        for i in range(20):
            rig.send({"i": i})
        rig.clock.run(until=30)
        assert rig.invoker.max_in_flight == expected, kind
        assert rig.poller.concurrency == expected


def test_mq_batches_wait_for_the_default_half_second_window():
    # semantics §3
    rig = queue_rig("mq-activemq", decide=mq_decider)
    rig.send({"i": 0})
    rig.clock.run(until=3)
    assert [c.at for c in rig.invoker.calls] == [0.5]


def test_a_poison_message_blocks_a_rabbitmq_queue_until_the_redelivery_limit():
    # semantics §3
    rig = queue_rig("mq-rabbitmq", BatchSize=1, MaximumBatchingWindowInSeconds=0, max_receive=3, decide=mq_decider)
    rig.send({"poison": True})
    rig.send({"i": 1})
    rig.clock.run(until=30)
    bodies = [mq_bodies(c.payload) for c in rig.invoker.calls]
    assert bodies == [[{"poison": True}]] * 3 + [[{"i": 1}]]
    assert len(rig.of(MessageRedriven)) == 1
    assert rig.invoker.calls[1].payload["rmqMessagesByQueue"]["orders::/"][0]["redelivered"] is True
