"""Scheduled-action expressions of Application Auto Scaling (API PutScheduledAction, "Schedule"), in simulated time.

- `at(yyyy-mm-ddThh:mm:ss)`: once, at that moment in the action's time zone;
- `rate(value unit)`: every value minutes, hours or days (unit singular for 1, plural otherwise), from StartTime
  or, without one, from when the action was put;
- `cron(minutes hours day-of-month month day-of-week year)`: the six fields of AWS's cron (EventBridge's syntax):
  `*`, `,`, `-`, `/`, `?` (in one of day-of-month or day-of-week, which must not both be given), month and day
  names (JAN, MON), day-of-week 1-7 with 1 = Sunday, `L` (last day of the month / the week's last day), `nW`
  (nearest weekday) and `d#n` (the n-th weekday d of the month).

`parse` raises ScheduleError on anything else; `next_run(schedule, after=..., tz=...)` is the first moment strictly
after `after` (epoch seconds) at which the action runs, or None if it never runs again.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

MONTHS = {name: i for i, name in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
                                            "NOV", "DEC"), start=1)}  # fmt: skip
DAYS = {name: i for i, name in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), start=1)}
RATE_UNITS = {"minute": 60, "hour": 3600, "day": 86400}
SEARCH_YEARS = 5  # a cron that does not match within this many years is taken as never matching again


class ScheduleError(ValueError):
    """The expression is not one of at(), rate() or cron() as AWS accepts them."""


@dataclass(frozen=True, slots=True)
class At:
    moment: datetime  # naive: wall time in the action's time zone


@dataclass(frozen=True, slots=True)
class Rate:
    seconds: int


@dataclass(frozen=True, slots=True)
class Cron:
    minutes: frozenset[int]
    hours: frozenset[int]
    days_of_month: str  # the raw field: `?`, `L`, `15W` and lists need the month to be known
    months: frozenset[int]
    days_of_week: str
    years: frozenset[int] | None  # None: every year


Schedule = At | Rate | Cron


def parse(expression: str) -> Schedule:
    match = re.fullmatch(r"(at|rate|cron)\((.*)\)", expression.strip())
    if match is None:
        raise ScheduleError(expression)
    kind, body = match.groups()
    if kind == "at":
        try:
            return At(datetime.strptime(body, "%Y-%m-%dT%H:%M:%S"))
        except ValueError:
            raise ScheduleError(expression) from None
    if kind == "rate":
        return _rate(body, expression)
    return _cron(body, expression)


def _rate(body: str, expression: str) -> Rate:
    match = re.fullmatch(r"(\d+) (minute|minutes|hour|hours|day|days)", body.strip())
    if match is None:
        raise ScheduleError(expression)
    value, unit = int(match.group(1)), match.group(2)
    # AWS: "If the value is 1, use the singular form of the unit; otherwise the plural."
    if value < 1 or (value == 1) != (not unit.endswith("s")):
        raise ScheduleError(expression)
    return Rate(value * RATE_UNITS[unit.rstrip("s")])


def _cron(body: str, expression: str) -> Cron:
    fields = body.split()
    if len(fields) != 6:
        raise ScheduleError(expression)
    minutes, hours, dom, month, dow, year = fields
    if (dom == "?") == (dow == "?"):  # exactly one of the two day fields is `?`
        raise ScheduleError(expression)
    try:
        cron = Cron(
            minutes=_values(minutes, 0, 59),
            hours=_values(hours, 0, 23),
            days_of_month=dom,
            months=_values(month, 1, 12, MONTHS),
            days_of_week=dow,
            years=None if year == "*" else _values(year, 1970, 2199),
        )
        if dom != "?":
            _days_of_month(dom, 2024, 1)  # validates the field (a leap February: every day 1-31 can be named)
        if dow != "?":
            _days_of_week(dow, 2024, 1)
    except (ValueError, KeyError):
        raise ScheduleError(expression) from None
    return cron


def _values(field: str, low: int, high: int, names: dict[str, int] | None = None) -> frozenset[int]:
    out: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise ValueError(part)
        if base == "*":
            first, last = low, high
        elif "-" in base:
            start, end = base.split("-", 1)
            first, last = _value(start, names), _value(end, names)
        else:
            first = _value(base, names)
            last = high if step_text else first
        if not (low <= first <= high and low <= last <= high) or first > last:
            raise ValueError(part)
        out.update(range(first, last + 1, step))
    return frozenset(out)


def _value(text: str, names: dict[str, int] | None) -> int:
    if names is not None and text.upper() in names:
        return names[text.upper()]
    if not text.isdigit():
        raise ValueError(text)
    return int(text)


def _days_of_month(field: str, year: int, month: int) -> set[int]:
    last = calendar.monthrange(year, month)[1]
    if field == "*":
        return set(range(1, last + 1))
    if field == "L":
        return {last}
    if field.endswith("W"):  # the weekday nearest to day n, within the month
        day = int(field[:-1])
        if not 1 <= day <= 31:
            raise ValueError(field)
        if day > last:
            return set()
        weekday = calendar.weekday(year, month, day)  # Monday 0 .. Sunday 6
        if weekday == 5:
            day = day - 1 if day > 1 else day + 2
        elif weekday == 6:
            day = day + 1 if day < last else day - 2
        return {day}
    return {d for d in _values(field, 1, 31) if d <= last}


def _days_of_week(field: str, year: int, month: int) -> set[int]:
    """The days of the month matching a day-of-week field (1 = Sunday .. 7 = Saturday)."""
    last = calendar.monthrange(year, month)[1]

    def aws_weekday(day: int) -> int:
        return (calendar.weekday(year, month, day) + 1) % 7 + 1

    if "#" in field:
        weekday_text, nth_text = field.split("#", 1)
        weekday, nth = _value(weekday_text, DAYS), int(nth_text)
        if not (1 <= weekday <= 7 and 1 <= nth <= 5):
            raise ValueError(field)
        matching = [d for d in range(1, last + 1) if aws_weekday(d) == weekday]
        return {matching[nth - 1]} if nth <= len(matching) else set()
    if field.endswith("L") and field != "L":  # the last weekday d of the month
        weekday = _value(field[:-1], DAYS)
        return {max(d for d in range(1, last + 1) if aws_weekday(d) == weekday)}
    wanted = {7} if field == "L" else _values(field, 1, 7, DAYS)
    return {d for d in range(1, last + 1) if aws_weekday(d) in wanted}


def next_run(schedule: Schedule, *, after: float, tz: tzinfo = UTC, start: float | None = None) -> float | None:
    """The first run strictly after `after`. `start` anchors a rate (its first run is one period after it)."""
    if isinstance(schedule, At):
        moment = schedule.moment.replace(tzinfo=tz).timestamp()
        return moment if moment > after else None
    if isinstance(schedule, Rate):
        anchor = after if start is None else start
        if after < anchor:
            return anchor + schedule.seconds
        periods = int((after - anchor) // schedule.seconds) + 1
        return anchor + periods * schedule.seconds
    return _next_cron(schedule, after=after, tz=tz)


def _next_cron(cron: Cron, *, after: float, tz: tzinfo) -> float | None:
    local = datetime.fromtimestamp(after, tz).replace(tzinfo=None, second=0, microsecond=0)
    day = local.replace(hour=0, minute=0)
    end = day + timedelta(days=366 * SEARCH_YEARS)
    while day < end:
        if (cron.years is None or day.year in cron.years) and day.month in cron.months and _day_matches(cron, day):
            for hour in sorted(cron.hours):
                for minute in sorted(cron.minutes):
                    moment = day.replace(hour=hour, minute=minute).replace(tzinfo=tz).timestamp()
                    if moment > after:
                        return moment
        day += timedelta(days=1)
    return None


def _day_matches(cron: Cron, day: datetime) -> bool:
    if cron.days_of_month != "?":
        return day.day in _days_of_month(cron.days_of_month, day.year, day.month)
    return day.day in _days_of_week(cron.days_of_week, day.year, day.month)
