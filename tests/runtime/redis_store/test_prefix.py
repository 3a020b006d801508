"""Every key the Redis stores write lives under the configured prefix, so tests and deployments can share a Redis."""

from __future__ import annotations

from invocations.engine.async_invoke import AsyncItem
from invocations.engine.sources import QueueConfig, RedrivePolicy, StreamConfig
from invocations.runtime.redis_store import (
    RedisAsyncQueue,
    RedisConcurrency,
    RedisQueueStore,
    RedisStreamStore,
    reclaim_dead_holders,
)


def test_all_keys_live_under_the_prefix(redis_client):
    prefix = "custom-prefix:"
    queues = RedisQueueStore(redis_client, prefix=prefix)
    dlq, fifo = "arn:aws:sqs:us-east-1:123456789012:p-dlq.fifo", "arn:aws:sqs:us-east-1:123456789012:p.fifo"
    queues.create_queue(QueueConfig(dlq, fifo=True))
    queues.create_queue(QueueConfig(fifo, fifo=True, redrive=RedrivePolicy(dlq, 1)))
    queues.send_message(fifo, "m", now=0, group_id="g", dedup_id="d")
    queues.receive(fifo, 1, now=0, visibility_timeout=0)
    queues.receive(fifo, 1, now=0)  # redriven
    streams = RedisStreamStore(redis_client, prefix=prefix)
    streams.create_stream(StreamConfig("arn:aws:kinesis:us-east-1:123456789012:stream/p", "kinesis"))
    streams.put_record("arn:aws:kinesis:us-east-1:123456789012:stream/p", "k", b"x", now=0)
    streams.set_checkpoint("esm", "arn:aws:kinesis:us-east-1:123456789012:stream/p", "shardId-000000000000", 0)
    concurrency = RedisConcurrency(redis_client, prefix=prefix)
    concurrency.try_acquire("pc", 1, "pool", 1)
    concurrency.take_token("scale", 0.0, 10, 1)
    reclaim_dead_holders(redis_client, ttl=3600, prefix=prefix)
    async_queue = RedisAsyncQueue(redis_client, prefix=prefix, claim_timeout=0)
    async_queue.push(AsyncItem("r", "fn", "fn", None, {}, "sdk", 0.0), 0.0)
    async_queue.pop_due(0.0, 1)
    async_queue.requeue_expired(now=10**12)
    keys = [k.decode() for k in redis_client.keys("*")]
    assert len(keys) > 20
    assert [k for k in keys if not k.startswith(prefix)] == []
