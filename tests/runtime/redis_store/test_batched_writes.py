"""The traffic generator's batched writes (one round trip per slice) store exactly what one-by-one writes store."""

from __future__ import annotations

import random

import pytest

from invocations.engine.sources import InMemoryQueueStore, InMemoryStreamStore, QueueConfig, StreamConfig
from invocations.runtime.redis_store import RedisQueueStore, RedisStreamStore

Q = "arn:aws:sqs:us-east-1:123456789012:batched"
FQ = "arn:aws:sqs:us-east-1:123456789012:batched.fifo"
S = "arn:aws:kinesis:us-east-1:123456789012:stream/batched"


def test_send_many_queues_the_messages_in_order_like_single_sends(redis_client):
    redis_store, memory = RedisQueueStore(redis_client), InMemoryQueueStore(random.Random(1))
    for store in (redis_store, memory):
        store.create_queue(QueueConfig(Q, visibility_timeout=30))
    ids = redis_store.send_many(Q, [f"m{i}" for i in range(250)], now=3.0)
    for i in range(250):
        memory.send_message(Q, f"m{i}", now=3.0)
    assert len(set(ids)) == 250
    assert redis_store.counts(Q, now=3.0) == memory.counts(Q, now=3.0)
    received = redis_store.receive(Q, 10, now=3.0).messages
    assert [m.body for m in received] == [m.body for m in memory.receive(Q, 10, now=3.0).messages]
    assert [m.message_id for m in received] == ids[:10]
    assert redis_store.send_many(Q, [], now=3.0) == []


def test_send_many_refuses_a_fifo_queue_and_sends_nothing(redis_client):
    store = RedisQueueStore(redis_client)
    store.create_queue(QueueConfig(FQ, fifo=True, content_based_deduplication=True))
    with pytest.raises(ValueError, match="MessageGroupId"):
        store.send_many(FQ, ["a", "b"], now=0.0)
    assert store.counts(FQ, now=0.0).visible == 0


def test_put_records_lands_each_record_where_put_record_would_with_growing_sequence_numbers(redis_client):
    # semantics §3: a partition key maps to one shard; sequence numbers grow within a shard.
    redis_store, memory = RedisStreamStore(redis_client), InMemoryStreamStore()
    for store in (redis_store, memory):
        store.create_stream(StreamConfig(S, "kinesis", shard_count=4, retention=100))
    entries = [(f"k{i % 13}", {"n": i}) for i in range(300)]
    batched = redis_store.put_records(S, entries, now=1.0)
    single = [memory.put_record(S, key, data, now=1.0) for key, data in entries]
    assert [(r.shard_id, r.seq, r.sequence_number, r.data) for r in batched] == [
        (r.shard_id, r.seq, r.sequence_number, r.data) for r in single
    ]
    for shard in redis_store.shard_ids(S):
        start = redis_store.trim_horizon_cursor(S, shard, now=1.0)
        read = redis_store.read(S, shard, after_seq=start, limit=1000, now=1.0)
        assert [r.data for r in read] == [r.data for r in batched if r.shard_id == shard]
