"""A worker OS process for test_deferred_releases: `python deferred_workers.py <redis url> <prefix> <key> <cap> ...`.

It races other copies for a small pool through DeferredReleases (batched grants, deferred releases), counting
itself in a probe while it holds slots, and prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import redis  # noqa: E402

from invocations.engine.store import Grant  # noqa: E402
from invocations.runtime.deferred_releases import DeferredReleases  # noqa: E402
from invocations.runtime.redis_store import RedisConcurrency  # noqa: E402

# Count held slots in, and keep the highest total ever seen (atomically).
PROBE_ENTER = """
local inside = redis.call('INCRBY', KEYS[1], ARGV[1])
if inside > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], inside) end
return inside
"""


def main(url: str, prefix: str, key: str, cap: int, rounds: int, batch: int) -> None:
    client = redis.Redis.from_url(url)
    store = DeferredReleases(RedisConcurrency(client, prefix=prefix), client, prefix=prefix)
    enter = client.register_script(PROBE_ENTER)
    probe = [f"{prefix}test:inside", f"{prefix}test:max"]
    client.incr(f"{prefix}test:ready")
    assert client.blpop([f"{prefix}test:go"], timeout=60), "the test never said go"  # one "go" per worker
    granted = throttled = 0
    for _ in range(rounds):
        grants = store.try_acquire_many([(None, 0, key, cap)] * batch)
        held = [g for g in grants if g is not Grant.THROTTLED]
        granted, throttled = granted + len(held), throttled + len(grants) - len(held)
        if held:
            enter(keys=probe, args=[len(held)])
            time.sleep(0.0002)  # the thing under test: hold the slots a moment so the workers overlap
            client.decrby(probe[0], len(held))  # leave the probe before the slots can be given back
        for grant in held:
            store.release(grant, None, key)  # deferred: applied by the next try_acquire_many
    store.flush()
    print(json.dumps({"granted": granted, "throttled": throttled, "round_trips": store.round_trips}), flush=True)


if __name__ == "__main__":
    url, prefix, key, cap, rounds, batch = sys.argv[1:]
    main(url, prefix, key, int(cap), int(rounds), int(batch))
