"""A Lambda deployment's lifecycle on a virtual clock (issue 14 point 2): the exact shift times and weights of a
canary and a linear config, an alarm that stops it and asks for the rollback, StopDeployment with and without
rollback, a failing hook and a hook that never reports (the one-hour timeout)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from invocations.engine.clock import VirtualClock
from invocations.engine.deployments import lifecycle as lc
from invocations.engine.deployments.traffic_shift import PREDEFINED, TrafficRouting

CANARY = PREDEFINED["CodeDeployDefault.LambdaCanary10Percent5Minutes"]
LINEAR = PREDEFINED["CodeDeployDefault.LambdaLinear10PercentEvery1Minute"]
START = 500.0
TICK_S = 1.0  # the host drives every simulated second here


@dataclass
class Driver:
    """The host's part: call `advance` every TICK_S on a virtual clock, log every action with its time."""

    plan: lc.Plan
    clock: VirtualClock = field(default_factory=lambda: VirtualClock(START))
    progress: lc.Progress = field(default_factory=lc.Progress)
    in_alarm: set[str] = field(default_factory=set)
    stop: lc.Stop | None = None
    log: list[tuple[float, lc.Action]] = field(default_factory=list)
    ids: int = 0

    def tick(self) -> None:
        self.ids += 1
        self.progress, actions = lc.advance(
            self.progress,
            plan=self.plan,
            now=self.clock.now(),
            in_alarm=frozenset(self.in_alarm),
            stop=self.stop,
            execution_id=f"hook-{self.ids}",
        )
        self.log.extend((self.clock.now(), a) for a in actions)
        if self.progress.status not in lc.FINISHED:
            self.clock.schedule(TICK_S, self.tick)

    def run(self, until: float) -> None:
        self.clock.schedule_at(self.clock.now(), self.tick)
        self.clock.run(until=until)

    def shifts(self) -> list[tuple[float, int]]:
        return [(at - START, a.step.percent) for at, a in self.log if isinstance(a, lc.Shift)]

    def report(self, event: str, status: str) -> None:
        """PutLifecycleEventHookExecutionStatus, as the service stores it."""
        events = dict(self.progress.events)
        events[event] = replace(events[event], reported=status)
        self.progress = replace(self.progress, events=events)


def statuses(progress: lc.Progress) -> dict[str, str]:
    return {name: event.status for name, event in progress.events.items()}


def test_a_canary_shifts_10_percent_at_once_and_the_rest_5_minutes_later():
    driver = Driver(lc.Plan(routing=CANARY, hooks={}))
    driver.run(until=START + 400)
    assert driver.shifts() == [(0.0, 10), (300.0, 100)]
    assert driver.progress.status == lc.SUCCEEDED and driver.progress.completed_at == START + 300
    assert statuses(driver.progress) == {
        "Start": "Succeeded",
        "BeforeAllowTraffic": "Skipped",
        "AllowTraffic": "Succeeded",
        "AfterAllowTraffic": "Skipped",
        "End": "Succeeded",
    }


def test_a_linear_shifts_10_percent_every_minute_until_100():
    driver = Driver(lc.Plan(routing=LINEAR, hooks={}))
    driver.run(until=START + 700)
    assert driver.shifts() == [(60.0 * i, 10 * (i + 1)) for i in range(10)]
    assert driver.progress.status == lc.SUCCEEDED


def test_a_custom_linear_with_a_remainder_ends_with_a_smaller_step():
    driver = Driver(lc.Plan(routing=TrafficRouting.linear(percentage=40, interval_minutes=2), hooks={}))
    driver.run(until=START + 400)
    assert driver.shifts() == [(0.0, 40), (120.0, 80), (240.0, 100)]


def test_an_alarm_stops_the_canary_and_asks_for_the_rollback():
    plan = lc.Plan(routing=CANARY, hooks={}, alarms=("errors",), rollback_events=(lc.ON_ALARM,))
    driver = Driver(plan)
    driver.clock.schedule_at(START + 120.5, lambda: driver.in_alarm.add("errors"))
    driver.run(until=START + 400)
    assert driver.shifts() == [(0.0, 10)]  # the 100% step never comes
    assert driver.log[-1] == (START + 121, lc.Rollback(lc.ALARM_ACTIVE))
    assert (driver.progress.status, driver.progress.error_code) == (lc.STOPPED, lc.ALARM_ACTIVE)
    assert driver.progress.error_message == (
        "One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the "
        "affected deployments have been stopped. Activated alarms: errors"
    )
    assert driver.progress.events["AllowTraffic"].status == lc.FAILED
    assert driver.progress.events["End"].status == lc.PENDING


def test_an_alarm_without_rollback_enabled_only_stops():
    driver = Driver(lc.Plan(routing=CANARY, hooks={}, alarms=("errors",)))
    driver.in_alarm.add("errors")
    driver.run(until=START + 10)
    assert driver.progress.status == lc.STOPPED and driver.log == []


def test_a_rollback_deployment_ignores_the_alarm_that_triggered_it():
    at_once = PREDEFINED["CodeDeployDefault.LambdaAllAtOnce"]
    plan = lc.Plan(routing=at_once, hooks={}, alarms=("errors",), is_rollback=True)
    driver = Driver(plan)
    driver.in_alarm.add("errors")
    driver.run(until=START + 10)
    assert driver.progress.status == lc.SUCCEEDED and driver.shifts() == [(0.0, 100)]


def test_stop_deployment_with_and_without_rollback():
    for rollback, expected in ((True, [lc.Rollback(lc.MANUAL_STOP)]), (False, [])):
        driver = Driver(lc.Plan(routing=LINEAR, hooks={}))
        driver.clock.schedule_at(START + 90.5, lambda d=driver, r=rollback: setattr(d, "stop", lc.Stop(rollback=r)))
        driver.run(until=START + 700)
        assert driver.shifts() == [(0.0, 10), (60.0, 20)]
        assert [a for _, a in driver.log if isinstance(a, lc.Rollback)] == expected
        assert (driver.progress.status, driver.progress.error_code) == (lc.STOPPED, lc.MANUAL_STOP)
        assert driver.progress.completed_at == START + 91


def test_hooks_run_before_and_after_the_traffic_and_wait_for_their_report():
    hooks = {"BeforeAllowTraffic": "pre", "AfterAllowTraffic": "post"}
    driver = Driver(lc.Plan(routing=CANARY, hooks=hooks))
    driver.clock.schedule_at(START + 30.5, lambda: driver.report("BeforeAllowTraffic", lc.SUCCEEDED))
    driver.clock.schedule_at(START + 400.5, lambda: driver.report("AfterAllowTraffic", lc.SUCCEEDED))
    driver.run(until=START + 1000)
    invoked = [(at - START, a.event, a.function) for at, a in driver.log if isinstance(a, lc.InvokeHook)]
    assert invoked == [(0.0, "BeforeAllowTraffic", "pre"), (331.0, "AfterAllowTraffic", "post")]
    # AllowTraffic begins when the pre-traffic hook's report is seen, and its steps count from there.
    assert driver.shifts() == [(31.0, 10), (331.0, 100)]
    assert driver.progress.status == lc.SUCCEEDED and driver.progress.completed_at == START + 401
    before = driver.progress.events["BeforeAllowTraffic"]
    assert (before.start, before.end, before.execution_id) == (START, START + 31, "hook-1")


def test_a_failed_pre_traffic_hook_fails_the_deployment_before_any_shift():
    plan = lc.Plan(routing=CANARY, hooks={"BeforeAllowTraffic": "pre"}, rollback_events=(lc.ON_FAILURE,))
    driver = Driver(plan)
    driver.clock.schedule_at(START + 5.5, lambda: driver.report("BeforeAllowTraffic", lc.FAILED))
    driver.run(until=START + 100)
    assert driver.shifts() == []
    assert (driver.progress.status, driver.progress.error_code) == (lc.FAILED, lc.HOOK_FAILURE)
    assert driver.log[-1] == (START + 6, lc.Rollback(lc.HOOK_FAILURE))
    assert driver.progress.events["BeforeAllowTraffic"].status == lc.FAILED


def test_a_hook_that_never_reports_fails_after_one_hour():
    driver = Driver(lc.Plan(routing=CANARY, hooks={"BeforeAllowTraffic": "pre"}))
    driver.run(until=START + 4000)
    assert (driver.progress.status, driver.progress.error_code) == (lc.FAILED, lc.TIMEOUT)
    assert driver.progress.completed_at == START + lc.HOOK_TIMEOUT_S
    assert driver.shifts() == []


def test_a_resumed_run_applies_only_the_latest_step_due():
    driver = Driver(lc.Plan(routing=LINEAR, hooks={}))
    driver.run(until=START + 61)
    assert driver.shifts() == [(0.0, 10), (60.0, 20)]
    # The host was down for four simulated minutes: the progress read back resumes at 60%, once.
    driver.clock = VirtualClock(START + 301)
    driver.log.clear()
    driver.run(until=START + 302)
    assert driver.shifts() == [(301.0, 60)]
    assert driver.progress.steps_applied == 6
    assert lc.next_shift_at(driver.progress, plan=driver.plan) == START + 360
