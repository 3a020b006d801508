"""Properties over random configurations and traffic (hypothesis): limits hold, nothing is lost, splits converge."""

from __future__ import annotations

import math
from collections import Counter

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from invocations.engine.config import AccountConfig, AliasConfig, AsyncConfig, ScalingRate, VersionConfig
from invocations.engine.environments import PROVISIONED
from invocations.engine.events import AsyncEventAccepted, AsyncEventDropped, AsyncEventSettled, DeliveredToDLQ
from invocations.engine.options import EngineOptions
from invocations.engine.profile import BehaviourProfile
from invocations.errors import LambdaError

from .helpers import function, make

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

profiles = st.builds(
    lambda mean, sd, init, err, tmo: BehaviourProfile.from_dict(
        {"duration_ms": {"mean": mean, "stddev": sd}, "init_ms": init, "error_rate": err, "timeout_rate": tmo}
    ),
    st.integers(50, 800),
    st.integers(0, 100),
    st.integers(0, 400),
    st.sampled_from([0.0, 0.2, 0.6]),
    st.sampled_from([0.0, 0.1]),
)

fn_specs = st.tuples(profiles, st.one_of(st.none(), st.integers(0, 4)), st.integers(0, 2))  # profile, reserved, PC

# Bursts (several arrivals at one instant) are what push pools to their limits.
times = st.one_of(st.sampled_from([0.0, 0.0, 0.05, 0.5, 1.0]), st.floats(0, 3))
arrivals = st.lists(
    st.tuples(times, st.integers(0, 2), st.booleans(), st.booleans()),  # at, function, via alias, async
    max_size=50,
)


def build(specs, limit, scaling, seed, options=None):
    fns = []
    for i, (profile, reserved, pc) in enumerate(specs):
        if reserved is not None:
            pc = min(pc, reserved)
        fns.append(
            function(
                f"f{i}",
                versions={
                    "$LATEST": VersionConfig(profile=profile, timeout_s=1.0),
                    "1": VersionConfig(profile=profile, timeout_s=1.0),
                },
                aliases={"live": AliasConfig("1")},
                reserved_concurrency=reserved,
                provisioned={"live": pc} if pc else {},
            )
        )
    account = AccountConfig(
        concurrency_limit=limit, unreserved_min=0, scaling_rate=ScalingRate(3, 1.0) if scaling else None
    )
    try:
        return make(*fns, account=account, seed=seed, options=options)
    except LambdaError:
        assume(False)  # e.g. reservations above the account limit: AWS would refuse the config


@PROPERTY
@given(
    specs=st.lists(fn_specs, min_size=1, max_size=3),
    limit=st.integers(1, 8),
    scaling=st.booleans(),
    traffic=arrivals,
    seed=st.integers(0, 10_000),
)
def test_concurrency_never_exceeds_any_limit(specs, limit, scaling, traffic, seed):
    # semantics §8, §9: account limit, reserved cap, unreserved pool, provisioned capacity
    sim = build(specs, limit, scaling, seed)
    fns = {f.name: f for f in sim.registry.functions()}
    completions = Counter()

    def arrive(i, via_alias, is_async):
        target = f"f{i % len(fns)}" + (":live" if via_alias else "")
        if is_async:
            sim.engine.invoke_async(target, {})
        else:
            sim.engine.invoke_sync(target, {}, on_complete=lambda r: completions.update([r.request_id]))

    for at, i, via_alias, is_async in traffic:
        sim.clock.schedule_at(at, lambda i=i, a=via_alias, s=is_async: arrive(i, a, s))

    unreserved = sim.registry.unreserved_capacity()
    while sim.clock.step():
        busy = [e for e in sim.engine.live_environments() if e.state == "Busy"]
        assert len(busy) <= limit
        per_fn = Counter(e.function for e in busy)
        on_demand_unreserved = 0
        for name, fn in fns.items():
            pc_busy = sum(1 for e in busy if e.function == name and e.init_type == PROVISIONED)
            assert pc_busy <= sum(fn.provisioned.values())
            if fn.reserved_concurrency is not None:
                assert per_fn[name] <= fn.reserved_concurrency
            else:
                on_demand_unreserved += per_fn[name] - pc_busy
        assert on_demand_unreserved <= unreserved
    # every sync invoke answered exactly once
    assert all(n == 1 for n in completions.values())


@PROPERTY
@given(
    specs=st.lists(fn_specs, min_size=1, max_size=2),
    limit=st.integers(1, 6),
    traffic=arrivals,
    retries=st.integers(0, 2),
    max_age=st.sampled_from([60.0, 200.0]),
    dup=st.sampled_from([0.0, 0.3]),
    seed=st.integers(0, 10_000),
)
def test_every_accepted_async_event_ends_in_exactly_one_terminal_outcome(
    specs, limit, traffic, retries, max_age, dup, seed
):
    # semantics §2: success, DLQ/on-failure, or dropped by age; duplicates never settle twice; nothing is lost
    sim = build(specs, limit, False, seed, EngineOptions(duplicate_probability=dup))
    for fn in sim.registry.functions():
        versions = {
            q: VersionConfig(profile=v.profile, timeout_s=1.0, dlq_arn=f"arn:aws:sqs:us-east-1:1:{fn.name}")
            for q, v in fn.versions.items()
        }
        sim.registry.update(
            fn.name,
            versions=versions,
            async_configs={"$LATEST": AsyncConfig(retries, max_age), "live": AsyncConfig(retries, max_age)},
        )
    names = [f.name for f in sim.registry.functions()]
    for at, i, via_alias, _ in traffic:
        target = names[i % len(names)] + (":live" if via_alias else "")
        sim.clock.schedule_at(at, lambda t=target: sim.engine.invoke_async(t, {"x": 1}))
    sim.clock.run()
    accepted = [e.request_id for e in sim.events(AsyncEventAccepted)]
    settled = Counter(e.request_id for e in sim.events(AsyncEventSettled))
    assert len(accepted) == len(traffic)
    assert settled == Counter(accepted)  # each exactly once
    dropped = {e.request_id for e in sim.events(AsyncEventDropped)}
    assert Counter(e.request_id for e in sim.events(DeliveredToDLQ)) == Counter(
        dropped
    )  # every failure reached its DLQ
    assert sim.engine.async_queue_depth() == 0
    for e in sim.events(AsyncEventSettled):
        accepted_at = next(a.at for a in sim.events(AsyncEventAccepted) if a.request_id == e.request_id)
        assert e.at - accepted_at <= max_age + 1e-6  # float sums of delays may overshoot by an ulp


@settings(max_examples=25, deadline=None)
@given(weight=st.floats(0.0, 1.0), seed=st.integers(0, 10_000))
def test_an_alias_split_converges_to_its_weight(weight, seed):
    # semantics §5: AdditionalVersionWeights route probabilistically
    n = 1500
    profile = BehaviourProfile.from_dict({"duration_ms": 10, "init_ms": 0})
    fn = function(
        versions={
            "$LATEST": VersionConfig(profile=profile),
            "1": VersionConfig(profile=profile),
            "2": VersionConfig(profile=profile),
        },
        aliases={"canary": AliasConfig("1", {"2": weight})},
    )
    sim = make(fn, seed=seed)
    for i in range(n):
        sim.invoke("fn:canary")
        sim.clock.run(until=i * 0.02)
    sim.clock.run(until=n * 0.02 + 1)
    versions = Counter(r.executed_version for r in sim.results)
    assert set(versions) <= {"1", "2"} and sum(versions.values()) == n
    observed = versions["2"] / n
    # Five standard deviations, plus three invocations of slack: near 0 or 1 the binomial is far from normal.
    assert abs(observed - weight) <= 5 * math.sqrt(weight * (1 - weight) / n) + 3 / n
