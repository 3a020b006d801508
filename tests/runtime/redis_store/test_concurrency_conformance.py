"""RedisConcurrency grants, releases and rate-limits exactly like MemoryConcurrency (semantics §8, §9)."""

from __future__ import annotations

import random

import pytest

from invocations.engine.store import Grant

from .conftest import make_concurrency


def test_a_pool_grants_up_to_its_cap_then_throttles(concurrency):
    # semantics §8: a full pool rejects (429); it does not queue
    grants = [concurrency.try_acquire(None, 0, "unreserved", 3) for _ in range(4)]
    assert grants == [Grant.ON_DEMAND] * 3 + [Grant.THROTTLED]
    assert concurrency.in_use("unreserved") == 3


def test_provisioned_slots_are_used_first_then_on_demand(concurrency):
    # semantics §9: invocations beyond provisioned concurrency spill over to on-demand
    grants = [concurrency.try_acquire("pc:fn:live", 2, "reserved:fn", 1) for _ in range(4)]
    assert grants == [Grant.PROVISIONED, Grant.PROVISIONED, Grant.ON_DEMAND, Grant.THROTTLED]
    assert (concurrency.in_use("pc:fn:live"), concurrency.in_use("reserved:fn")) == (2, 1)


def test_release_frees_the_counter_the_grant_came_from(concurrency):
    # semantics §8
    pc = concurrency.try_acquire("pc", 1, "pool", 1)
    od = concurrency.try_acquire("pc", 1, "pool", 1)
    concurrency.release(od, "pc", "pool")
    assert (concurrency.in_use("pc"), concurrency.in_use("pool")) == (1, 0)
    assert concurrency.try_acquire("pc", 1, "pool", 1) is Grant.ON_DEMAND
    concurrency.release(pc, "pc", "pool")
    assert concurrency.in_use("pc") == 0


def test_a_zero_cap_throttles_everything(concurrency):
    # semantics §8: reserved concurrency 0 throttles every invocation
    assert concurrency.try_acquire(None, 0, "reserved:off", 0) is Grant.THROTTLED
    assert concurrency.in_use("reserved:off") == 0


def test_non_string_keys_work(concurrency):
    assert concurrency.try_acquire(("fn", "1"), 1, ("pool", 7), 1) is Grant.PROVISIONED
    assert concurrency.in_use(("fn", "1")) == 1


def test_the_token_bucket_starts_full_and_refills_continuously_up_to_capacity(concurrency):
    # semantics §8: scaling is refilled continuously, not banked beyond the burst
    taken = [concurrency.take_token("fn", 0.0, 3, 0.5) for _ in range(4)]
    assert taken == [True, True, True, False]
    assert concurrency.take_token("fn", 1.0, 3, 0.5) is False  # 0.5 token
    assert concurrency.take_token("fn", 2.0, 3, 0.5) is True  # 1.0 token
    assert [concurrency.take_token("fn", 1000.0, 3, 0.5) for _ in range(4)] == [True, True, True, False]


@pytest.mark.parametrize("seed", range(4))
def test_a_random_mix_of_acquires_releases_and_tokens_matches_memory(request, seed):
    traces = []
    for kind in ("memory", "redis"):
        rng, store, held, trace, now = random.Random(seed), make_concurrency(kind, request), [], [], 0.0
        for _ in range(400):
            op = rng.random()
            if op < 0.5:
                pc = rng.choice([None, "pc:a", "pc:b"])
                args = (pc, rng.randint(0, 2), rng.choice(["unreserved", "reserved:a"]), rng.randint(0, 4))
                grant = store.try_acquire(*args)
                trace.append(grant)
                if grant is not Grant.THROTTLED:
                    held.append((grant, args[0], args[2]))
            elif op < 0.8 and held:
                store.release(*held.pop(rng.randrange(len(held))))
            else:
                now += rng.choice([0.0, 0.3, 1.7])
                trace.append(store.take_token("scale:a", now, 5, 0.7))
            trace.append(tuple(store.in_use(k) for k in ("pc:a", "pc:b", "unreserved", "reserved:a")))
        traces.append(trace)
    assert traces[1] == traces[0]
    assert Grant.THROTTLED in traces[0] and Grant.PROVISIONED in traces[0] and False in traces[0]


def test_try_acquire_many_grants_in_order_as_single_calls_would(request):
    single, batched = make_concurrency("memory", request), make_concurrency("redis", request)
    requests = [("pc", 2, "pool", 3)] * 4 + [(None, 0, "pool", 3)] * 3 + [(None, 0, "other", 1)]
    expected = [single.try_acquire(*r) for r in requests]
    assert batched.try_acquire_many(requests) == expected
    P, D, T = Grant.PROVISIONED, Grant.ON_DEMAND, Grant.THROTTLED
    assert expected == [P, P, D, D, D, T, T, D]
    assert batched.try_acquire_many([]) == []


def test_release_many_returns_every_slot_in_one_call(request):
    store = make_concurrency("redis", request)
    requests = [("pc", 2, "pool", 3)] * 5
    grants = store.try_acquire_many(requests)
    assert store.release_many([(g, "pc", "pool") for g in grants]) == 5
    assert (store.in_use("pc"), store.in_use("pool")) == (0, 0)
    assert store.held() == {}
