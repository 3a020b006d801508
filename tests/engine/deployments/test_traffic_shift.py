"""A deployment config's traffic shifts on a virtual clock: every predefined Lambda config's exact step times and
weights, a custom canary and a custom linear (issue 14, "Tests")."""

from __future__ import annotations

import pytest

from invocations.engine.clock import VirtualClock
from invocations.engine.deployments.traffic_shift import (
    PREDEFINED,
    Step,
    TrafficRouting,
    TrafficShift,
    duration_s,
    problem,
    steps,
)

START = 1000.0


def run(routing: TrafficRouting, *, start: float = START) -> list[tuple[float, int]]:
    """The (simulated time, target percent) log of one AllowTraffic phase run to the end."""
    clock, log, ended = VirtualClock(start), [], []
    shift = TrafficShift(
        routing=routing,
        clock=clock,
        started_at=start,
        apply=lambda step: log.append((clock.now(), step.percent)),
        finished=lambda: ended.append(clock.now()),
    )
    shift.start()
    clock.run()
    assert shift.done and ended == [log[-1][0]]
    return log


CANARIES = {5: "5Minutes", 10: "10Minutes", 15: "15Minutes", 30: "30Minutes"}
LINEARS = {1: "Every1Minute", 2: "Every2Minutes", 3: "Every3Minutes", 10: "Every10Minutes"}


def test_aws_predefines_exactly_nine_lambda_configs_under_its_names():
    assert sorted(PREDEFINED) == sorted(
        [f"CodeDeployDefault.LambdaCanary10Percent{suffix}" for suffix in CANARIES.values()]
        + [f"CodeDeployDefault.LambdaLinear10Percent{suffix}" for suffix in LINEARS.values()]
        + ["CodeDeployDefault.LambdaAllAtOnce"]
    )


@pytest.mark.parametrize("minutes", sorted(CANARIES))
def test_a_predefined_canary_shifts_10_percent_then_the_remaining_90_percent_n_minutes_later(minutes):
    routing = PREDEFINED[f"CodeDeployDefault.LambdaCanary10Percent{CANARIES[minutes]}"]
    assert run(routing) == [(START, 10), (START + minutes * 60, 100)]


@pytest.mark.parametrize("minutes", sorted(LINEARS))
def test_a_predefined_linear_shifts_10_percent_every_n_minutes_until_all_traffic_is_shifted(minutes):
    routing = PREDEFINED[f"CodeDeployDefault.LambdaLinear10Percent{LINEARS[minutes]}"]
    # "The percentage of traffic that is shifted at the start of each increment": 10% at once, 100% after 9 intervals.
    assert run(routing) == [(START + i * minutes * 60, 10 * (i + 1)) for i in range(10)]
    assert duration_s(routing) == 9 * minutes * 60


def test_all_at_once_shifts_everything_at_the_start():
    assert run(PREDEFINED["CodeDeployDefault.LambdaAllAtOnce"]) == [(START, 100)]


def test_a_custom_canary_shifts_its_percentage_then_the_rest_after_its_interval():
    assert run(TrafficRouting.canary(percentage=25, interval_minutes=7)) == [(START, 25), (START + 420, 100)]


def test_a_custom_linear_whose_percentage_does_not_divide_100_ends_with_a_smaller_increment():
    routing = TrafficRouting.linear(percentage=30, interval_minutes=4)
    assert run(routing) == [(START, 30), (START + 240, 60), (START + 480, 90), (START + 720, 100)]


def test_a_step_weight_is_the_alias_routing_weight_of_the_target_version():
    assert [step.weight for step in steps(TrafficRouting.linear(percentage=50, interval_minutes=1))] == [0.5, 1.0]


def test_a_stopped_shift_applies_nothing_more():
    clock, log = VirtualClock(START), []
    routing = PREDEFINED["CodeDeployDefault.LambdaLinear10PercentEvery1Minute"]
    shift = TrafficShift(routing=routing, clock=clock, started_at=START, apply=lambda s: log.append(s.percent))
    shift.start()
    clock.run(until=START + 150)
    shift.stop()
    clock.run()
    assert (log, shift.current, shift.done) == ([10, 20, 30], Step(120.0, 30), False)


def test_a_shift_resumed_after_a_restart_applies_the_latest_due_weight_once_then_keeps_the_schedule():
    # The host died during a linear deployment that began at START; it comes back 5.5 simulated minutes later.
    clock, log = VirtualClock(START + 330), []
    routing = PREDEFINED["CodeDeployDefault.LambdaLinear10PercentEvery1Minute"]
    shift = TrafficShift(
        routing=routing, clock=clock, started_at=START, apply=lambda s: log.append((clock.now(), s.percent))
    )
    shift.start()
    clock.run(until=START + 420)
    assert log == [(START + 330, 60), (START + 360, 70), (START + 420, 80)]


@pytest.mark.parametrize(
    "routing",
    [
        TrafficRouting.canary(percentage=0, interval_minutes=5),
        TrafficRouting.canary(percentage=100, interval_minutes=5),
        TrafficRouting.linear(percentage=10, interval_minutes=0),
        TrafficRouting("TimeBasedSomething", 10, 1),
    ],
)
def test_configs_codedeploy_refuses_have_a_problem(routing):
    assert problem(routing) is not None


def test_every_predefined_config_is_valid():
    assert [name for name, routing in PREDEFINED.items() if problem(routing) is not None] == []
