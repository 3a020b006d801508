"""AWS/Lambda metrics per simulated second from the engine's own events (issue 13 point 1; semantics §8, §9)."""

from __future__ import annotations

from invocations.engine.config import AliasConfig, VersionConfig
from invocations.engine.metrics import histogram
from invocations.engine.metrics.aggregator import LambdaMetrics
from invocations.engine.metrics.series import parse_series_key, series_key
from invocations.engine.metrics.stats import Stat

from .helpers import fixed, function, make


def fn_with_alias():
    return function(
        versions={
            "$LATEST": VersionConfig(profile=fixed(100)),
            "1": VersionConfig(profile=fixed(200)),
            "2": VersionConfig(profile=fixed(300)),
        },
        aliases={"prod": AliasConfig("1")},
    )


def test_a_series_key_round_trips_with_dimensions_in_name_order():
    key = series_key("Invocations", (("Resource", "fn:prod"), ("FunctionName", "fn")))
    assert key == "Invocations|FunctionName=fn|Resource=fn:prod"
    assert parse_series_key(key) == ("Invocations", (("FunctionName", "fn"), ("Resource", "fn:prod")))
    assert parse_series_key("Invocations") == ("Invocations", ())


def test_invocations_errors_and_duration_per_second_under_each_dimension_set():
    sim = make(fn_with_alias())
    metrics = LambdaMetrics()
    _run(sim, metrics, lambda: [sim.invoke("fn:prod") for _ in range(3)] + [sim.invoke("fn")])
    seconds = metrics.drain()
    assert list(seconds) == [0]
    second = seconds[0]
    assert second["Invocations"].sum == 4  # account-wide, no dimension
    assert second["Invocations|FunctionName=fn"].sum == 4
    assert second["Invocations|FunctionName=fn|Resource=fn:prod"].sum == 3
    assert second["Invocations|ExecutedVersion=1|FunctionName=fn"].sum == 3
    assert "Invocations|FunctionName=fn|Resource=fn:$LATEST" not in second  # unqualified: no Resource
    duration = second["Duration|FunctionName=fn|Resource=fn:prod"]
    assert (duration.count, duration.minimum, duration.maximum) == (3, 200, 200)
    assert second["Duration|FunctionName=fn"].value("Average") == (3 * 200 + 100) / 4
    assert second["Errors|FunctionName=fn"].sum == 0
    assert second["Errors|FunctionName=fn"].count == 4  # one 0-or-1 sample per invocation: Average = error rate


def _run(sim, metrics, start):
    """Feed every event of the run to `metrics` (the aggregator sees exactly what the engine emitted)."""
    start()
    sim.clock.run(until=60.0)
    for event in sim.sink.events:
        metrics.emit(event)
    return sim.sink.events


def test_errors_count_function_errors_and_timeouts_and_throttles_are_not_invocations():
    # semantics §8: Throttles are counted apart; they are in neither Invocations nor Errors.
    sim = make(
        function("bad", fixed(100, error_rate=1.0)),
        function("capped", fixed(1000), reserved_concurrency=1),
    )
    metrics = LambdaMetrics()
    _run(sim, metrics, lambda: [sim.invoke("bad"), sim.invoke("bad"), sim.invoke("capped"), sim.invoke("capped")])
    second = {k: v for s in metrics.drain().values() for k, v in s.items()}
    assert second["Errors|FunctionName=bad"].sum == 2
    assert second["Errors|FunctionName=bad"].value("Average") == 1.0
    assert second["Throttles|FunctionName=capped"].sum == 1
    assert second["Invocations|FunctionName=capped"].sum == 1
    assert second["Throttles"].sum == 1


def test_seconds_follow_the_virtual_clock_and_drain_hands_over_only_finished_seconds():
    sim = make(function("fn", fixed(100)))
    metrics = LambdaMetrics()
    sim.invoke("fn")
    sim.clock.run(until=2.5)
    sim.invoke("fn")
    sim.invoke("fn")
    sim.clock.run(until=10.0)
    for event in sim.sink.events:
        metrics.emit(event)
    first = metrics.drain(before=2.9)  # second 2 is not over yet at 2.9
    assert list(first) == [0]
    assert first[0]["Invocations|FunctionName=fn"].sum == 1
    rest = metrics.drain()
    assert list(rest) == [2]
    assert rest[2]["Invocations|FunctionName=fn"].sum == 2


def test_provisioned_invocations_and_spillover_from_the_provisioned_environments_events():
    # semantics §9: beyond the provisioned environments, on-demand runs count as spillover.
    fn = function(
        versions={"$LATEST": VersionConfig(profile=fixed()), "1": VersionConfig(profile=fixed(100, 400))},
        aliases={"live": AliasConfig("1")},
        provisioned={"live": 1},
    )
    sim = make(fn)
    metrics = LambdaMetrics()
    sim.clock.run(until=1.0)
    sim.invoke("fn:live")
    sim.invoke("fn:live")
    sim.clock.run(until=3.0)
    for event in sim.sink.events:
        metrics.emit(event)
    second = metrics.drain()[1]
    assert second["ProvisionedConcurrencyInvocations|FunctionName=fn|Resource=fn:live"].sum == 1
    assert second["ProvisionedConcurrencySpilloverInvocations|FunctionName=fn|Resource=fn:live"].sum == 1
    assert second["ProvisionedConcurrencySpilloverInvocations"].sum == 1
    assert sim.engine.spillover_invocations == {"fn": 1}  # the engine's own count agrees


def test_async_events_received_and_dropped():
    sim = make(function("fn", fixed(100, error_rate=1.0)))
    metrics = LambdaMetrics()
    sim.invoke_async("fn")
    sim.clock.run(until=3600.0)
    for event in sim.sink.events:
        metrics.emit(event)
    merged: dict[str, Stat] = {}
    for second in metrics.drain().values():
        for key, stat in second.items():
            merged.setdefault(key, Stat()).merge(stat)
    assert merged["AsyncEventsReceived|FunctionName=fn"].sum == 1
    assert merged["AsyncEventsDropped|FunctionName=fn"].sum == 1
    assert merged["Invocations|FunctionName=fn"].sum == 3  # semantics §2: 1 + 2 retries
    assert merged["Errors|FunctionName=fn"].sum == 3


def test_concurrent_executions_keeps_the_seconds_highest_sample():
    metrics = LambdaMetrics()
    metrics.observe_concurrency(
        5.1, [("fn", "1", True), ("fn", "1", False), ("other", "$LATEST", False)], qualifiers={("fn", "1"): "live"}
    )
    metrics.observe_concurrency(5.7, [("fn", "1", True)], qualifiers={("fn", "1"): "live"})
    second = metrics.drain()[5]
    assert second["ConcurrentExecutions"].value("Maximum") == 3
    assert second["ConcurrentExecutions|FunctionName=fn"].value("Maximum") == 2
    assert second["ConcurrentExecutions|FunctionName=fn|Resource=fn:1"].value("Maximum") == 2
    assert second["ProvisionedConcurrentExecutions|FunctionName=fn|Resource=fn:live"].value("Maximum") == 1


def test_duration_percentiles_come_from_a_histogram_within_its_error():
    values = [float(v) for v in range(1, 1001)]  # 1..1000 ms
    stat = Stat()
    for v in values:
        stat.add(v, with_histogram=True)
    assert len(stat.buckets) < 200  # compact: far fewer buckets than samples
    for p, exact in ((50, 500.0), (90, 900.0), (99, 990.0)):
        assert abs(stat.value(f"p{p}") - exact) / exact <= histogram.GROWTH - 1
    assert stat.value("p100") == 1000.0
    other = Stat()
    other.add(5000.0, with_histogram=True)
    stat.merge(other)
    assert stat.value("Maximum") == 5000.0 and stat.count == 1001


def test_provisioned_concurrency_utilization_is_the_minutes_highest_busy_over_allocated():
    """Issue 13 point 4: one datapoint per alias and minute, stamped at the minute's start; none without traffic."""
    from invocations.engine.events import ProvisionedConcurrencyChanged
    from invocations.engine.metrics.aggregator import LambdaMetrics
    from invocations.engine.metrics.series import series_key

    metrics = LambdaMetrics()
    metrics.emit(ProvisionedConcurrencyChanged(0.0, "checkout", "prod", "1", 4, 4, "READY"))
    for second, busy in ((0, 1), (10, 3), (30, 2)):
        metrics.observe_concurrency(600.0 + second, [("checkout", "1", True)] * busy)
    metrics.observe_concurrency(660.0, [])  # the next minute: 600's datapoint is complete
    metrics.observe_concurrency(720.0, [])
    drained = metrics.drain()
    key = series_key("ProvisionedConcurrencyUtilization", (("FunctionName", "checkout"), ("Resource", "checkout:prod")))
    assert drained[600][key].value("Average") == 0.75
    assert all(key not in seconds for at, seconds in drained.items() if at != 600)
