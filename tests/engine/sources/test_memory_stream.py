"""InMemoryStreamStore: shards, sequence numbers, starting positions, retention, checkpoints (semantics §3)."""

import pytest

from invocations.engine.sources import InMemoryStreamStore, StreamConfig
from invocations.engine.sources.stream_store import shard_index_for

ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/s"


@pytest.fixture
def store() -> InMemoryStreamStore:
    s = InMemoryStreamStore()
    s.create_stream(StreamConfig(ARN, "kinesis", shard_count=4, retention=100))
    return s


def test_a_partition_key_always_lands_on_the_same_shard(store):
    # semantics §3
    shards = {store.put_record(ARN, "user-7", i, now=0).shard_id for i in range(5)}
    assert len(shards) == 1
    assert shards == {store.shard_ids(ARN)[shard_index_for("user-7", 4)]}


def test_keys_spread_over_every_shard(store):
    used = {store.put_record(ARN, f"k{i}", i, now=0).shard_id for i in range(200)}
    assert used == set(store.shard_ids(ARN))


def test_sequence_numbers_grow_within_a_shard(store):
    # semantics §3
    records = [store.put_record(ARN, "k", i, now=i) for i in range(3)]
    assert [r.seq for r in records] == [0, 1, 2]
    assert [r.sequence_number for r in records] == sorted(r.sequence_number for r in records)
    assert all(len(r.sequence_number) == 56 for r in records)


def test_read_returns_records_after_a_cursor_in_order(store):
    shard = store.put_record(ARN, "k", 0, now=0).shard_id
    for i in range(1, 5):
        store.put_record(ARN, "k", i, now=0)
    assert [r.data for r in store.read(ARN, shard, after_seq=1, limit=2, now=0)] == [2, 3]


def test_starting_positions_pick_the_oldest_the_newest_or_a_time(store):
    # semantics §3
    shard = store.put_record(ARN, "k", "a", now=10).shard_id
    store.put_record(ARN, "k", "b", now=20)
    store.put_record(ARN, "k", "c", now=30)
    assert store.trim_horizon_cursor(ARN, shard, now=30) == -1
    assert store.latest_cursor(ARN, shard) == 2
    assert store.cursor_at(ARN, shard, 20, now=30) == 0
    assert store.cursor_at(ARN, shard, 31, now=30) == 2


def test_records_past_retention_are_gone(store):
    # semantics §3
    shard = store.put_record(ARN, "k", "old", now=0).shard_id
    store.put_record(ARN, "k", "new", now=50)
    assert [r.data for r in store.read(ARN, shard, after_seq=-1, limit=10, now=120)] == ["new"]
    assert store.trim_horizon_cursor(ARN, shard, now=120) == 0


def test_checkpoints_are_kept_per_consumer_and_shard(store):
    shard = store.shard_ids(ARN)[0]
    store.set_checkpoint("esm-a", ARN, shard, 5)
    assert store.get_checkpoint("esm-a", ARN, shard) == 5
    assert store.get_checkpoint("esm-b", ARN, shard) is None


def test_dynamodb_and_kafka_shards_look_like_theirs():
    s = InMemoryStreamStore()
    ddb = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000"
    s.create_stream(StreamConfig(ddb, "dynamodb"))
    s.create_stream(StreamConfig("arn:aws:kafka:us-east-1:123456789012:topic/c/orders", "kafka", shard_count=2))
    assert s.shard_ids(ddb)[0].startswith("shardId-")
    assert s.shard_ids("arn:aws:kafka:us-east-1:123456789012:topic/c/orders") == ["0", "1"]
    assert s.stream_config(ddb).name == "t"
