"""Concurrency pools, provisioned concurrency, scaling rate and throttle reasons (semantics §1, §8, §9)."""

from __future__ import annotations

import pytest

from invocations.engine.config import AccountConfig, AliasConfig, ScalingRate, VersionConfig
from invocations.engine.events import InvocationCompleted, Throttled
from invocations.engine.outcomes import Outcome
from invocations.engine.store import Grant, MemoryConcurrency
from invocations.errors import InvalidParameterValueException

from .helpers import fixed, function, make

ACCOUNT = "ConcurrentInvocationLimitExceeded"
RESERVED = "ReservedFunctionConcurrentInvocationLimitExceeded"


def small_account(limit: int, **kw) -> AccountConfig:
    return AccountConfig(concurrency_limit=limit, unreserved_min=1, **kw)


def test_the_account_limit_throttles_a_sync_invoke_at_once_with_429_and_reason():
    # semantics §1 (429 body) and §8 (account limit): sync invokes are rejected, never queued
    sim = make(function(), account=small_account(3))
    for _ in range(4):
        sim.invoke()
    assert [(r.request_id, r.status_code, r.payload) for r in sim.results] == [
        ("req-4", 429, {"Reason": ACCOUNT, "Type": "User", "message": "Rate Exceeded."})
    ]
    assert sim.results[0].outcome is Outcome.THROTTLED and sim.results[0].throttle_reason == ACCOUNT
    assert sim.log(Throttled) == [(0.0, "Throttled", "req-4", ACCOUNT)]
    sim.clock.run()
    assert [r.outcome for r in sim.results[1:]] == [Outcome.SUCCESS] * 3


def test_slots_are_released_when_invocations_finish():
    # semantics §8: concurrency = invocations in flight
    sim = make(function(), account=small_account(2))
    sim.invoke(), sim.invoke()
    sim.clock.run()
    sim.invoke(), sim.invoke()
    sim.clock.run()
    assert [r.outcome for r in sim.results] == [Outcome.SUCCESS] * 4
    assert sim.engine.store.concurrency.in_use("unreserved") == 0


def test_reserved_concurrency_caps_a_function_with_the_reserved_reason():
    # semantics §8: reserved is a cap; semantics §1: ReservedFunctionConcurrentInvocationLimitExceeded
    sim = make(function(reserved_concurrency=2), account=small_account(10))
    for _ in range(3):
        sim.invoke()
    assert sim.log(Throttled) == [(0.0, "Throttled", "req-3", RESERVED)]


def test_reserved_concurrency_is_a_floor_other_functions_cannot_use():
    # semantics §8: a reservation is kept for its function; the rest share limit minus reservations
    sim = make(function("a", reserved_concurrency=3), function("b"), account=small_account(4))
    sim.invoke("b"), sim.invoke("b")
    assert sim.log(Throttled) == [(0.0, "Throttled", "req-2", ACCOUNT)]
    assert sim.registry.unreserved_capacity() == 1


def test_functions_without_reservation_share_the_unreserved_pool():
    # semantics §8
    sim = make(function("a"), function("b"), account=small_account(3))
    sim.invoke("a"), sim.invoke("b"), sim.invoke("a"), sim.invoke("b")
    assert sim.log(Throttled) == [(0.0, "Throttled", "req-4", ACCOUNT)]


def test_reserved_concurrency_zero_throttles_every_sync_invoke():
    # semantics §8: 0 -> all invokes throttled (sync 429 ReservedFunctionConcurrentInvocationLimitExceeded)
    sim = make(function(reserved_concurrency=0))
    sim.invoke()
    assert sim.log(Throttled) == [(0.0, "Throttled", "req-1", RESERVED)]


def provisioned_fn(pc: int = 2, **kw):
    return function(
        versions={"$LATEST": VersionConfig(profile=fixed()), "1": VersionConfig(profile=fixed())},
        aliases={"live": AliasConfig("1")},
        provisioned={"live": pc},
        **kw,
    )


def test_provisioned_concurrency_serves_first_and_spills_over_to_on_demand():
    # semantics §9: beyond PC -> spillover to on-demand; PC environments are initialised ahead (no cold start)
    sim = make(provisioned_fn(2))
    sim.clock.run(until=1.0)  # PC allocation: init 250 ms
    for _ in range(3):
        sim.invoke("fn:live")
    sim.clock.run(until=2.0)
    done = sim.events(InvocationCompleted)
    assert [(d.result.request_id, d.provisioned, d.result.cold_start) for d in done] == [
        ("req-1", True, False),
        ("req-2", True, False),
        ("req-3", False, True),
    ]


def test_invocations_before_provisioned_allocation_finishes_run_on_demand():
    # semantics §9: Status IN_PROGRESS until allocated; invocations meanwhile are on-demand
    sim = make(provisioned_fn(1))
    sim.invoke("fn:live")
    sim.clock.run(until=1.0)
    (done,) = sim.events(InvocationCompleted)
    assert (done.provisioned, done.result.cold_start) == (False, True)


def test_provisioned_concurrency_counts_toward_the_reservation():
    # semantics §9: "PC = reserved -> $LATEST throttled"
    sim = make(provisioned_fn(2, reserved_concurrency=2), account=small_account(10))
    sim.clock.run(until=1.0)
    sim.invoke("fn"), sim.invoke("fn:live"), sim.invoke("fn:live")
    assert sim.log(Throttled) == [(1.0, "Throttled", "req-1", RESERVED)]


def test_provisioned_concurrency_of_an_unreserved_function_is_carved_from_the_shared_pool():
    # semantics §8, §9: PC counts toward Region quotas (approximation: carved out of the unreserved pool)
    sim = make(provisioned_fn(2), function("other"), account=small_account(5))
    assert sim.registry.unreserved_capacity() == 3
    for _ in range(4):
        sim.invoke("other")
    assert sim.log(Throttled) == [(0.0, "Throttled", "req-4", ACCOUNT)]


def test_the_scaling_rate_limits_new_environments_but_not_warm_reuse():
    # semantics §8: +N environments per period per function, refilled continuously, not banked
    sim = make(function(), account=small_account(100, scaling_rate=ScalingRate(environments=2, per_seconds=10)))
    sim.invoke(), sim.invoke(), sim.invoke()
    assert sim.log(Throttled) == [(0.0, "Throttled", "req-3", "FunctionInvocationRateLimitExceeded")]
    sim.clock.run(until=1.0)
    sim.invoke(), sim.invoke()  # two warm environments: no new environment needed
    sim.clock.run(until=2.0)
    sim.invoke(), sim.invoke(), sim.invoke()  # 2 warm + 1 new: the bucket has refilled 0.4 token only
    assert sim.log(Throttled)[1:] == [(2.0, "Throttled", "req-8", "FunctionInvocationRateLimitExceeded")]
    sim.clock.run(until=10.0)
    for _ in range(3):
        sim.invoke()
    assert len(sim.log(Throttled)) == 2


def test_the_scaling_rate_of_a_reserved_function_uses_the_reserved_rate_reason():
    # semantics §1 Reason enum; which reason AWS sends here is an approximation (see concurrency.py)
    sim = make(function(reserved_concurrency=5), account=small_account(100, scaling_rate=ScalingRate(1, 10)))
    sim.invoke(), sim.invoke()
    assert sim.log(Throttled) == [(0.0, "Throttled", "req-2", "ReservedFunctionInvocationRateLimitExceeded")]


def test_try_acquire_prefers_provisioned_then_on_demand_then_refuses_without_waiting():
    # semantics §8, §9: the store's atomic admit
    store = MemoryConcurrency()
    grants = [store.try_acquire("pc", 1, "pool", 1) for _ in range(3)]
    assert grants == [Grant.PROVISIONED, Grant.ON_DEMAND, Grant.THROTTLED]
    store.release(Grant.PROVISIONED, "pc", "pool")
    assert (store.in_use("pc"), store.in_use("pool")) == (0, 1)
    assert store.try_acquire(None, 0, "pool", 1) is Grant.THROTTLED


def test_the_scaling_rate_option_defaults_to_a_thousand_environments_every_ten_seconds_and_is_off_by_default():
    # semantics §8: since Nov 2023, +1,000 execution environments every 10 s per function
    assert (ScalingRate().environments, ScalingRate().per_seconds) == (1000, 10.0)
    assert AccountConfig().scaling_rate is None


def test_the_scaling_token_bucket_refills_continuously_up_to_its_capacity():
    store = MemoryConcurrency()
    assert [store.take_token("f", 0.0, 2, 0.5) for _ in range(3)] == [True, True, False]
    assert store.take_token("f", 1.0, 2, 0.5) is False  # 0.5 token
    assert store.take_token("f", 2.0, 2, 0.5) is True
    assert [store.take_token("f", 1000.0, 2, 0.5) for _ in range(3)] == [True, True, False]  # not banked


def test_a_reservation_must_leave_the_unreserved_minimum():
    # semantics §8: "...decreases account's UnreservedConcurrentExecution below its minimum value of [100]."
    sim = make(function("a"))
    with pytest.raises(InvalidParameterValueException, match=r"below its minimum value of \[100\]"):
        sim.registry.set_reserved("a", 901)
    sim.registry.set_reserved("a", 900)
    assert sim.registry.unreserved_capacity() == 100


def test_raising_the_account_limit_live_lets_the_next_invoke_through():
    # semantics §8: limits are read per invocation; a config change takes effect at once
    sim = make(function(), account=small_account(1))
    sim.invoke(), sim.invoke()
    sim.registry.set_account(small_account(2))
    sim.invoke()
    assert sim.log(Throttled) == [(0.0, "Throttled", "req-2", ACCOUNT)]
    assert len(sim.engine.live_environments()) == 2
