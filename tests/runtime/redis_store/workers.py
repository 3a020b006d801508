"""Worker OS processes for the cross-process and crash tests: `python workers.py <mode> <redis url> <prefix> ...`."""

# Each runs with its own Redis connection, like a web process or a Celery worker. The racing modes wait for the
# parent's "go" (so all start together); every mode prints one JSON line.

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import redis  # noqa: E402

from invocations.engine.store import Grant  # noqa: E402
from invocations.runtime.redis_store import (  # noqa: E402
    RedisAsyncQueue,
    RedisConcurrency,
    RedisQueueStore,
    RedisStreamStore,
)

# Count this process in, and keep the highest count ever seen (atomically).
PROBE_ENTER = """
local inside = redis.call('INCR', KEYS[1])
if inside > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], inside) end
return inside
"""


class NaiveConcurrency:
    """Check, then increment, in two round trips: the race the Lua script exists to prevent (the tests' control)."""

    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._client, self._counts = client, f"{prefix}cc:counts"

    def try_acquire(self, pc_key, pc_cap, pool_key, pool_cap) -> Grant:
        if int(self._client.hget(self._counts, pool_key) or 0) < pool_cap:
            time.sleep(0.0005)  # widen the window between the check and the increment
            self._client.hincrby(self._counts, pool_key, 1)
            return Grant.ON_DEMAND
        return Grant.THROTTLED

    def release(self, grant, pc_key, pool_key) -> None:
        self._client.hincrby(self._counts, pool_key, -1)


def wait_for_go(client: redis.Redis, prefix: str) -> None:
    """Count in, then block until the parent pushes one "go" per worker (processes.release_together)."""
    client.incr(f"{prefix}test:ready")
    assert client.blpop([f"{prefix}test:go"], timeout=60), "the test never said go"


def hammer(client: redis.Redis, prefix: str, key: str, cap: int, rounds: int, batch: int, naive: bool) -> dict:
    """Acquire (singly or in batches), hold briefly while counted by the probe, release; many times."""
    store = NaiveConcurrency(client, prefix) if naive else RedisConcurrency(client, prefix=prefix)
    enter = client.register_script(PROBE_ENTER)
    probe = [f"{prefix}test:inside", f"{prefix}test:max"]
    granted = throttled = 0
    wait_for_go(client, prefix)
    for _ in range(rounds):
        if batch == 1:
            grants = [store.try_acquire(None, 0, key, cap)]
        else:
            grants = store.try_acquire_many([(None, 0, key, cap)] * batch)
        held = [g for g in grants if g is not Grant.THROTTLED]
        granted, throttled = granted + len(held), throttled + len(grants) - len(held)
        for _ in held:
            enter(keys=probe)
        time.sleep(0.0002)  # the thing under test: hold the slots a moment so the workers overlap
        for grant in held:  # leave the probe before giving the slot back, so the probe never over-counts
            client.decr(probe[0])
            store.release(grant, None, key)
    return {"granted": granted, "throttled": throttled}


def receive_all(client: redis.Redis, prefix: str, arn: str) -> dict:
    """Receive until the queue looks empty, never deleting and with a visibility timeout longer than the run."""
    store = RedisQueueStore(client, prefix=prefix)
    got: list[str] = []
    wait_for_go(client, prefix)
    while True:
        batch = store.receive(arn, 10, now=0.0, visibility_timeout=1e9).messages
        if not batch:
            return {"ids": got}
        got += [m.message_id for m in batch]


def put_records(client: redis.Redis, prefix: str, arn: str, shard_id: str, count: int, tag: str) -> dict:
    """Append `count` records to one shard as fast as possible; report the seqs this writer was given."""
    store = RedisStreamStore(client, prefix=prefix)
    wait_for_go(client, prefix)
    return {"seqs": [store.put_record(arn, tag, f"{tag}-{i}", now=0.0, shard_id=shard_id).seq for i in range(count)]}


def receive_some(client: redis.Redis, prefix: str, arn: str, count: int) -> dict:
    """Receive (and never delete) up to `count` messages, with a 30 s visibility timeout at simulated time 0."""
    store = RedisQueueStore(client, prefix=prefix)
    return {"received": [m.message_id for m in store.receive(arn, count, now=0.0, visibility_timeout=30).messages]}


def hold(client: redis.Redis, prefix: str, key: str, cap: int, slots: int) -> dict:
    store = RedisConcurrency(client, prefix=prefix)
    grants = [store.try_acquire(None, 0, key, cap) for _ in range(slots)]
    return {"holder": store.holder_id, "granted": sum(g is not Grant.THROTTLED for g in grants)}


def claim(client: redis.Redis, prefix: str, now: float, limit: int) -> dict:
    queue = RedisAsyncQueue(client, prefix=prefix, claim_timeout=5.0)
    return {"claimed": [item.request_id for item in queue.pop_due(now, limit)]}


def main(argv: list[str]) -> None:
    mode, url, prefix, *rest = argv
    client = redis.Redis.from_url(url)
    if mode == "hammer":
        key, cap, rounds, batch, naive = rest
        result = hammer(client, prefix, key, int(cap), int(rounds), int(batch), naive == "naive")
    elif mode == "receive":
        result = receive_all(client, prefix, rest[0])
    elif mode == "put":
        result = put_records(client, prefix, rest[0], rest[1], int(rest[2]), rest[3])
    elif mode == "receive-some":
        result = receive_some(client, prefix, rest[0], int(rest[1]))
    elif mode == "hold":
        result = hold(client, prefix, rest[0], int(rest[1]), int(rest[2]))
    elif mode == "claim":
        result = claim(client, prefix, float(rest[0]), int(rest[1]))
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(result), flush=True)
    if mode in ("hold", "claim", "receive-some"):
        time.sleep(600)  # the thing under test: hold on (a crashed worker) until the test SIGKILLs us


if __name__ == "__main__":
    main(sys.argv[1:])
