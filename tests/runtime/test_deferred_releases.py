"""DeferredReleases: releases ride on the next admission's round trip, and admission stays exact (issue 4)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from invocations.engine.store import Grant, MemoryConcurrency
from invocations.runtime.deferred_releases import DeferredReleases, counter_snapshot
from invocations.runtime.redis_store import RedisConcurrency, reclaim_dead_holders
from tests.conftest import eventually

PREFIX = "lvdr:"
WORKER = Path(__file__).with_name("deferred_workers.py")


def deferred(client) -> DeferredReleases:
    return DeferredReleases(RedisConcurrency(client, prefix=PREFIX), client, prefix=PREFIX)


def test_grants_match_the_in_memory_store_over_random_acquires_and_releases(redis_client):
    # The engine must behave exactly as with immediate releases: this process never sees its own late releases.
    rng = random.Random(7)
    memory, redis_store = MemoryConcurrency(), deferred(redis_client)
    held: list[tuple[Grant, str | None, str]] = []
    for _ in range(400):
        if held and rng.random() < 0.45:
            for _ in range(rng.randint(1, len(held))):
                grant, pc, pool = held.pop(rng.randrange(len(held)))
                memory.release(grant, pc, pool)
                redis_store.release(grant, pc, pool)
            continue
        requests = []
        for _ in range(rng.randint(1, 6)):
            pc = rng.choice([None, "pc:f:live:1"])
            requests.append((pc, 2 if pc else 0, rng.choice(["unreserved", "reserved:f"]), rng.choice([3, 5])))
        expected = [memory.try_acquire(*r) for r in requests]
        got = redis_store.try_acquire_many(requests) if len(requests) > 1 else [redis_store.try_acquire(*requests[0])]
        assert got == expected
        held += [(g, r[0], r[2]) for g, r in zip(got, requests, strict=True) if g is not Grant.THROTTLED]
    redis_store.flush()
    for key in ("unreserved", "reserved:f", "pc:f:live:1"):
        assert redis_store.in_use(key) == memory.in_use(key)


def test_releases_wait_for_the_next_admission_and_cost_no_extra_round_trip(redis_client):
    store = deferred(redis_client)
    assert store.try_acquire_many([(None, 0, "unreserved", 10)] * 4) == [Grant.ON_DEMAND] * 4
    for _ in range(3):
        store.release(Grant.ON_DEMAND, None, "unreserved")
    assert counter_snapshot(redis_client, PREFIX)["unreserved"] == 4  # still counted: conservative
    assert store.pending == 3
    before = store.round_trips
    assert store.try_acquire_many([(None, 0, "unreserved", 2)] * 2) == [Grant.ON_DEMAND, Grant.THROTTLED]
    assert store.round_trips == before + 1  # the 3 releases and the 2 grants in one script
    assert counter_snapshot(redis_client, PREFIX)["unreserved"] == 2
    assert store.held() == {"unreserved": 2}


def test_another_process_is_throttled_early_but_never_over_admitted(redis_client):
    # While A's releases are pending, B sees the pool as full (conservative); after A flushes, B gets the slots.
    a, b = deferred(redis_client), deferred(redis_client)
    assert a.try_acquire_many([(None, 0, "reserved:f", 3)] * 3) == [Grant.ON_DEMAND] * 3
    a.release(Grant.ON_DEMAND, None, "reserved:f")
    a.release(Grant.ON_DEMAND, None, "reserved:f")
    assert b.try_acquire(None, 0, "reserved:f", 3) is Grant.THROTTLED
    a.flush()
    assert b.try_acquire_many([(None, 0, "reserved:f", 3)] * 3) == [Grant.ON_DEMAND, Grant.ON_DEMAND, Grant.THROTTLED]
    assert counter_snapshot(redis_client, PREFIX)["reserved:f"] == 3


def test_a_late_release_after_reclaim_never_frees_somebody_elses_slot(redis_client):
    a = deferred(redis_client)
    assert a.try_acquire(None, 0, "reserved:f", 2) is Grant.ON_DEMAND
    a.release(Grant.ON_DEMAND, None, "reserved:f")  # pending
    redis_client.zadd(f"{PREFIX}cc:heartbeats", {a.holder_id: 0})  # A looks dead
    assert reclaim_dead_holders(redis_client, ttl=5, prefix=PREFIX) == {a.holder_id: {"reserved:f": 1}}
    b = deferred(redis_client)
    assert b.try_acquire_many([(None, 0, "reserved:f", 2)] * 2) == [Grant.ON_DEMAND, Grant.ON_DEMAND]
    a.flush()  # A's late release finds nothing held by A: B's two slots stay counted
    assert counter_snapshot(redis_client, PREFIX)["reserved:f"] == 2


@pytest.mark.parametrize(("batch", "cap"), [(1, 3), (5, 8)])
def test_processes_racing_with_deferred_releases_never_hold_more_than_the_cap(redis_client, batch, cap):
    workers = 4  # each wants `batch` slots at once: more than the cap in total, so they really compete
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), settings.REDIS_URL, PREFIX, "reserved:hot", str(cap), "300", str(batch)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(workers)
    ]
    eventually(
        lambda: int(redis_client.get(f"{PREFIX}test:ready") or 0) >= workers, timeout=30, what="workers to start"
    )
    redis_client.rpush(f"{PREFIX}test:go", *[1] * workers)  # one per worker: each blocks on BLPOP for its own
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    assert int(redis_client.get(f"{PREFIX}test:max")) == cap  # the cap was reached and never exceeded
    # Real contention. (Not every process is throttled: one that holds slots gives them back and takes them again
    # in the same atomic script, so it keeps its share; that is the deferral's only effect on others.)
    assert sum(r["throttled"] for r in results) > 0
    # One script per round (releases ride along), plus the final flush if anything was still pending.
    assert all(r["round_trips"] in (300, 301) for r in results)
    assert counter_snapshot(redis_client, PREFIX)["reserved:hot"] == 0  # every slot came back
