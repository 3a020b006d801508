"""Scheduled-action expressions in simulated time (issue 13 point 4): at(), rate() and AWS's six-field cron."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from invocations.engine.autoscaling import schedule, target_tracking


def epoch(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def test_at_runs_once():
    parsed = schedule.parse("at(2026-12-04T08:00:00)")
    assert schedule.next_run(parsed, after=epoch("2026-12-04T07:00:00")) == epoch("2026-12-04T08:00:00")
    assert schedule.next_run(parsed, after=epoch("2026-12-04T08:00:00")) is None


def test_rate_counts_from_its_anchor():
    parsed = schedule.parse("rate(5 minutes)")
    start = epoch("2026-12-04T08:00:00")
    assert schedule.next_run(parsed, after=start + 1, start=start) == start + 300
    assert schedule.next_run(parsed, after=start + 300, start=start) == start + 600


def test_cron_weekdays_and_time_zones():
    parsed = schedule.parse("cron(30 7 ? * MON-FRI *)")
    # Friday 2026-12-04 after 07:30 → Monday 2026-12-07 07:30.
    assert schedule.next_run(parsed, after=epoch("2026-12-04T08:00:00")) == epoch("2026-12-07T07:30:00")
    paris = schedule.next_run(parsed, after=epoch("2026-12-04T08:00:00"), tz=ZoneInfo("Europe/Paris"))
    assert paris == epoch("2026-12-07T06:30:00")
    last = schedule.parse("cron(0 0 L * ? *)")
    assert schedule.next_run(last, after=epoch("2027-02-01T00:00:00")) == epoch("2027-02-28T00:00:00")
    nth = schedule.parse("cron(0 9 ? * 2#1 *)")  # the first Monday
    assert schedule.next_run(nth, after=epoch("2026-12-04T00:00:00")) == epoch("2026-12-07T09:00:00")


@pytest.mark.parametrize(
    "expression",
    ["cron(0 8 * * *)", "cron(0 8 * * * *)", "cron(61 8 ? * * *)", "cron(0 8 ? * FOO *)", "rate(1 minutes)",
     "rate(0 hours)", "at(2026-13-01T00:00:00)", "every(5 minutes)"],
)  # fmt: skip
def test_malformed_expressions_are_refused(expression):
    with pytest.raises(schedule.ScheduleError):
        schedule.parse(expression)


def test_target_tracking_alarms_and_capacity():
    high, low = target_tracking.alarm_specs(0.7)
    assert (high.kind, high.comparison_operator, high.threshold, high.evaluation_periods) == (
        "AlarmHigh", "GreaterThanThreshold", 0.7, 3)  # fmt: skip
    assert (low.kind, low.comparison_operator, round(low.threshold, 9), low.evaluation_periods) == (
        "AlarmLow", "LessThanThreshold", 0.63, 15)  # fmt: skip
    assert [s.kind for s in target_tracking.alarm_specs(0.7, disable_scale_in=True)] == ["AlarmHigh"]
    assert target_tracking.desired_capacity(current=5, metric=1.0, target=0.7, minimum=1, maximum=100) == 8
    assert target_tracking.desired_capacity(current=10, metric=0.7, target=0.7, minimum=1, maximum=100) == 10
    assert target_tracking.desired_capacity(current=8, metric=0.25, target=0.7, minimum=5, maximum=100) == 5
