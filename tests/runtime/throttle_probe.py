"""A separate OS process for the exact-throttling test: one Engine on the shared Redis store fires a burst."""

import json
import random
import sys
import time

import redis

from invocations.engine.clock import RealtimeClock
from invocations.engine.config import AccountConfig, FunctionConfig, VersionConfig
from invocations.engine.profile import BehaviourProfile
from invocations.engine.registry import Registry
from invocations.engine.simulator import Engine
from invocations.runtime.redis_store import RedisStore


def main(url: str, prefix: str, name: str, burst: int) -> None:
    client = redis.Redis.from_url(url)
    profile = BehaviourProfile.from_dict({"duration_ms": 1500, "init_ms": 0})
    function = FunctionConfig("fn", versions={"$LATEST": VersionConfig(profile=profile)}, reserved_concurrency=5)
    clock = RealtimeClock(1.0, start=0.0, wall=time.time)
    engine = Engine(
        clock,
        random.Random(name),
        store=RedisStore(client, prefix=prefix),
        registry=Registry(AccountConfig(), [function]),
    )
    outcomes: list[str] = []
    # Start together, so both bursts overlap in time: the second to arrive releases both.
    if client.incr(f"{prefix}ready") == 2:
        client.rpush(f"{prefix}go", 1, 1)
    assert client.blpop([f"{prefix}go"], timeout=60), "the other probe never started"
    for _ in range(burst):
        engine.invoke_sync("fn", {}, on_complete=lambda r: outcomes.append(str(r.outcome)))
    while len(outcomes) < burst:
        clock.run_due()
        time.sleep(0.01)  # the thing under test runs on a real-time clock: its 1.5 s invocations take real time
    print(json.dumps(outcomes))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
