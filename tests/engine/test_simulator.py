"""The engine facade end to end: a seeded scenario asserted on its event log (SimPy's `log == [...]` style)."""

from __future__ import annotations

from invocations.engine.config import AccountConfig, AliasConfig, VersionConfig

from .helpers import fixed, function, make


def test_a_burst_shows_cold_starts_throttles_at_the_limit_and_warm_reuse():
    # semantics §8 (limit, 429 at once), §9 (cold then warm), §5 (alias -> version)
    fn = function(
        versions={"$LATEST": VersionConfig(profile=fixed()), "1": VersionConfig(profile=fixed(50, 200))},
        aliases={"live": AliasConfig("1")},
    )
    sim = make(fn, account=AccountConfig(concurrency_limit=2, unreserved_min=0))
    for _ in range(3):
        sim.invoke("fn:live")
    sim.clock.run(until=1.0)
    sim.invoke("fn:live")
    sim.clock.run(until=2.0)
    assert sim.log() == [
        (0.0, "EnvironmentStateChanged", 1, "Initializing"),
        (0.0, "ColdStartBegan", "req-1", 1),
        (0.0, "EnvironmentStateChanged", 2, "Initializing"),
        (0.0, "ColdStartBegan", "req-2", 2),
        (0.0, "Throttled", "req-3", "ConcurrentInvocationLimitExceeded"),
        (0.25, "InvocationCompleted", "req-1", "1", 1, "Success", True),
        (0.25, "InvocationCompleted", "req-2", "1", 2, "Success", True),
        (1.05, "InvocationCompleted", "req-4", "1", 2, "Success", False),
    ]
    assert [r.request_id for r in sim.results] == ["req-3", "req-1", "req-2", "req-4"]


def test_the_same_seed_and_calls_give_the_same_event_log():
    # DESIGN: deterministic under a virtual clock with a seeded RNG
    def run(seed):
        fn = function(profile=fixed(80, 100, error_rate=0.3))
        sim = make(fn, seed=seed, readable_ids=False)
        for i in range(20):
            sim.invoke(payload={"i": i})
            sim.invoke_async(payload={"i": i})
            sim.clock.run(until=i * 0.05)
        sim.clock.run()
        return [repr(e) for e in sim.sink.events]

    assert run(11) == run(11)
    assert run(11) != run(12)


def test_default_request_ids_look_like_uuids_and_are_unique():
    sim = make(function(), readable_ids=False)
    for _ in range(3):
        sim.invoke()
    sim.clock.run()
    ids = [r.request_id for r in sim.results]
    assert len(set(ids)) == 3
    assert all(len(i) == 36 and i[14] == "4" and i.count("-") == 4 for i in ids)


def test_the_engine_runs_on_the_realtime_clock_for_live_demos():
    # DESIGN "Time": one clock with a speed factor; invocations complete in simulated time
    import random

    from invocations.engine.clock import RealtimeClock
    from invocations.engine.events import ListSink
    from invocations.engine.registry import Registry
    from invocations.engine.simulator import Engine

    wall = [100.0]
    clock = RealtimeClock(factor=10, wall=lambda: wall[0])
    engine = Engine(clock, random.Random(1), sink=ListSink(), registry=Registry(functions=[function()]))
    results = []
    engine.invoke_sync("fn", {}, on_complete=results.append)
    wall[0] += 0.02  # 0.2 simulated s: not done yet (init 250 ms + 100 ms)
    clock.run_due()
    assert results == []
    clock.pause()
    wall[0] += 10
    clock.run_due()
    assert results == []
    clock.resume()
    wall[0] += 0.02
    clock.run_due()
    assert [r.outcome for r in results] == ["Success"]
