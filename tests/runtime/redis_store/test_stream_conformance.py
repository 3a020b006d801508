"""The Redis stream store behaves like the in-memory one: shards, order, positions, retention, checkpoints."""

from __future__ import annotations

import random

import pytest

from invocations.engine.sources import StreamConfig
from invocations.engine.sources.stream_store import shard_index_for

from .conftest import make_stream_store

ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/s"
DDB = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000"
KAFKA = "arn:aws:kafka:us-east-1:123456789012:topic/c/orders"


@pytest.fixture
def store(streams):
    streams.create_stream(StreamConfig(ARN, "kinesis", shard_count=4, retention=100))
    return streams


def test_a_partition_key_always_lands_on_the_same_shard(store):
    # semantics §3: order is kept per partition key because a key maps to one shard
    shards = {store.put_record(ARN, "user-7", i, now=0).shard_id for i in range(5)}
    assert shards == {store.shard_ids(ARN)[shard_index_for("user-7", 4)]}
    assert {store.put_record(ARN, f"k{i}", i, now=0).shard_id for i in range(200)} == set(store.shard_ids(ARN))


def test_records_are_read_back_in_order_with_growing_sequence_numbers(store):
    # semantics §3
    put = [store.put_record(ARN, "k", i, now=i) for i in range(6)]
    shard = put[0].shard_id
    assert [r.seq for r in put] == list(range(6))
    assert all(len(r.sequence_number) == 56 for r in put)
    assert [r.sequence_number for r in put] == sorted(r.sequence_number for r in put)
    got = store.read(ARN, shard, after_seq=1, limit=3, now=6)
    assert got == put[2:5]
    assert store.read(ARN, shard, after_seq=5, limit=10, now=6) == []


def test_data_keeps_its_type_bytes_text_or_json(store):
    shard = store.shard_ids(ARN)[0]
    values = [b"\x00\xffraw", "text", {"eventName": "INSERT", "Keys": {"id": {"N": "1"}}}, 42, [1, "a"]]
    put = [store.put_record(ARN, "k", v, now=0, shard_id=shard) for v in values]
    got = store.read(ARN, shard, after_seq=-1, limit=10, now=0)
    assert [r.data for r in got] == values
    assert [r.size for r in got] == [r.size for r in put]


def test_starting_positions_pick_the_oldest_the_newest_or_a_time(store):
    # semantics §3: TRIM_HORIZON, LATEST, AT_TIMESTAMP
    shard = store.put_record(ARN, "k", "a", now=10).shard_id
    store.put_record(ARN, "k", "b", now=20)
    store.put_record(ARN, "k", "b2", now=20)
    store.put_record(ARN, "k", "c", now=30)
    assert store.trim_horizon_cursor(ARN, shard, now=30) == -1
    assert store.latest_cursor(ARN, shard) == 3
    assert store.cursor_at(ARN, shard, 20, now=30) == 0
    assert store.cursor_at(ARN, shard, 15, now=30) == 0
    assert store.cursor_at(ARN, shard, 21, now=30) == 2
    assert store.cursor_at(ARN, shard, 31, now=30) == 3


def test_an_empty_shard_starts_before_its_first_record(store):
    shard = store.shard_ids(ARN)[1]
    assert store.latest_cursor(ARN, shard) == -1
    assert store.trim_horizon_cursor(ARN, shard, now=0) == -1
    assert store.cursor_at(ARN, shard, 0, now=0) == -1


def test_records_past_retention_are_gone(store):
    # semantics §3: records expire after the retention period (Kinesis default / DynamoDB fixed 24 h)
    shard = store.put_record(ARN, "k", "old", now=0).shard_id
    store.put_record(ARN, "k", "new", now=50)
    assert [r.data for r in store.read(ARN, shard, after_seq=-1, limit=10, now=100)] == ["old", "new"]
    assert [r.data for r in store.read(ARN, shard, after_seq=-1, limit=10, now=120)] == ["new"]
    assert store.trim_horizon_cursor(ARN, shard, now=120) == 0
    assert store.cursor_at(ARN, shard, 0, now=120) == 0
    assert store.read(ARN, shard, after_seq=-1, limit=10, now=151) == []
    assert store.trim_horizon_cursor(ARN, shard, now=151) == 1  # everything expired: LATEST
    assert store.put_record(ARN, "k", "next", now=151).seq == 2  # seqs never restart


def test_checkpoints_are_kept_per_consumer_and_shard(store):
    shard, other = store.shard_ids(ARN)[:2]
    store.set_checkpoint("esm-a", ARN, shard, 5)
    store.set_checkpoint("esm-a", ARN, shard, 7)
    store.set_checkpoint("esm-a", ARN, other, -1)
    assert store.get_checkpoint("esm-a", ARN, shard) == 7
    assert store.get_checkpoint("esm-a", ARN, other) == -1
    assert store.get_checkpoint("esm-b", ARN, shard) is None


def test_dynamodb_and_kafka_shards_look_like_theirs(store):
    store.create_stream(StreamConfig(DDB, "dynamodb"))
    store.create_stream(StreamConfig(KAFKA, "kafka", shard_count=2))
    assert store.shard_ids(DDB)[0].startswith("shardId-")
    assert store.shard_ids(KAFKA) == ["0", "1"]
    assert store.stream_config(DDB).name == "t"
    assert store.put_record(KAFKA, "k", "v", now=0, shard_id="1").sequence_number == "0"
    assert len(store.put_record(DDB, "k", {"eventName": "INSERT"}, now=0).sequence_number) == 28


def test_unknown_streams_and_shards_raise_key_error(store):
    with pytest.raises(KeyError):
        store.shard_ids("arn:aws:kinesis:us-east-1:123456789012:stream/missing")
    with pytest.raises(KeyError):
        store.put_record(ARN, "k", "v", now=0, shard_id="shardId-999")


@pytest.mark.parametrize("seed", range(4))
def test_a_random_script_reads_the_same_from_redis_as_from_memory(request, seed):
    # semantics §3: ordering, positions and retention together, with the clock moving on
    traces = []
    for kind in ("memory", "redis"):
        rng, store, now, trace = random.Random(seed), make_stream_store(kind, request), 0.0, []
        store.create_stream(StreamConfig(ARN, "kinesis", shard_count=3, retention=30))
        for step in range(300):
            shard = rng.choice(store.shard_ids(ARN))
            op = rng.choice(["put", "put", "put", "read", "horizon", "at", "latest", "tick"])
            if op == "put":
                trace.append(store.put_record(ARN, f"k{rng.randrange(20)}", {"step": step}, now=now))
            elif op == "read":
                after = rng.randint(-1, 40)
                trace.append(store.read(ARN, shard, after_seq=after, limit=rng.randint(1, 8), now=now))
            elif op == "horizon":
                trace.append(store.trim_horizon_cursor(ARN, shard, now=now))
            elif op == "at":
                trace.append(store.cursor_at(ARN, shard, now - rng.uniform(0, 40), now=now))
            elif op == "latest":
                trace.append(store.latest_cursor(ARN, shard))
            else:
                now += rng.choice([0.5, 3, 9])
        traces.append(trace)
    assert traces[1] == traces[0]
    assert any(isinstance(t, list) and len(t) > 2 for t in traces[0])
