"""Exactness across OS processes: a concurrency cap is never exceeded, a hidden message never delivered twice."""

from __future__ import annotations

import pytest

from invocations.engine.sources import QueueConfig, StreamConfig
from invocations.runtime.redis_store import RedisConcurrency, RedisQueueStore, RedisStreamStore

from .conftest import PREFIX
from .processes import release_together, result_of, spawn

KEY, CAP = "reserved:hot", 3


def hammer(redis_client, workers: int, rounds: int, batch: int, mode: str = "lua") -> tuple[int, list[dict]]:
    processes = [spawn("hammer", PREFIX, KEY, CAP, rounds, batch, mode) for _ in range(workers)]
    release_together(redis_client, PREFIX, workers)
    results = [result_of(p) for p in processes]
    return int(redis_client.get(f"{PREFIX}test:max") or 0), results


@pytest.mark.parametrize("batch", [1, 4])
def test_processes_racing_for_a_small_pool_never_hold_more_than_its_cap(redis_client, batch):
    # semantics §8: concurrency is a hard cap; two workers never both take the last slot
    most, results = hammer(redis_client, workers=4, rounds=400, batch=batch)
    assert most == CAP  # the cap was reached (real contention) and never exceeded
    assert all(r["throttled"] > 0 for r in results)  # every process was turned away at least once
    assert RedisConcurrency(redis_client, prefix=PREFIX).in_use(KEY) == 0  # every slot came back


def test_the_probe_catches_a_check_then_increment_store(redis_client):
    # The control: without one atomic script, the same probe sees the cap exceeded, so the test above has teeth.
    most, _ = hammer(redis_client, workers=4, rounds=150, batch=1, mode="naive")
    assert most > CAP


def test_processes_receiving_from_one_queue_never_get_the_same_hidden_message(redis_client):
    # semantics §3: a received message is hidden from every other consumer for its visibility timeout
    arn = "arn:aws:sqs:us-east-1:123456789012:shared"
    store = RedisQueueStore(redis_client, prefix=PREFIX)
    store.create_queue(QueueConfig(arn))
    sent = {store.send_message(arn, f"m{i}", now=0.0) for i in range(3000)}
    processes = [spawn("receive", PREFIX, arn) for _ in range(3)]
    release_together(redis_client, PREFIX, 3)
    received = [result_of(p)["ids"] for p in processes]
    everything = [message_id for ids in received for message_id in ids]
    assert len(everything) == len(set(everything))  # nobody got a message somebody else holds
    assert set(everything) == sent
    assert all(len(ids) > 100 for ids in received)  # all three really competed


def test_concurrent_writers_to_one_shard_get_strictly_increasing_gapless_sequence_numbers(redis_client):
    # semantics §3: a shard is an ordered log; every record gets the next sequence number
    arn = "arn:aws:kinesis:us-east-1:123456789012:stream/shared"
    store = RedisStreamStore(redis_client, prefix=PREFIX)
    store.create_stream(StreamConfig(arn, "kinesis", shard_count=2))
    shard = store.shard_ids(arn)[1]
    processes = [spawn("put", PREFIX, arn, shard, 500, f"writer{w}") for w in range(3)]
    release_together(redis_client, PREFIX, 3)
    per_writer = [result_of(p)["seqs"] for p in processes]
    assert all(seqs == sorted(seqs) for seqs in per_writer)  # each writer sees its own records in order
    assert sorted(s for seqs in per_writer for s in seqs) == list(range(1500))  # no duplicate, no gap
    records = store.read(arn, shard, after_seq=-1, limit=2000, now=0.0)
    assert [r.seq for r in records] == list(range(1500))
    assert [r.sequence_number for r in records] == sorted(r.sequence_number for r in records)
    for w in range(3):  # the log holds each writer's records in the order it wrote them
        assert [r.data for r in records if r.partition_key == f"writer{w}"] == [f"writer{w}-{i}" for i in range(500)]
    writers = [r.partition_key for r in records]
    assert sum(a != b for a, b in zip(writers, writers[1:], strict=False)) > 2  # they really wrote concurrently
