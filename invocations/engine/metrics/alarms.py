"""Metric alarm evaluation with CloudWatch's semantics (User Guide: "Evaluating an alarm", "Configuring how
CloudWatch alarms treat missing data", and its two tables of examples, each row a test in
tests/engine/test_cloudwatch_alarms.py).

Each evaluation looks at the *evaluation range*: the EvaluationPeriods most recent periods plus 2 (AWS: "attempts to
retrieve a higher number of data points than specified by Evaluation Periods"; its tables use 5 for 3, which is
what this takes for every alarm). Then:
- at least N real datapoints in the range: the N most recent real ones decide; TreatMissingData is not used;
- none: missing → INSUFFICIENT_DATA, ignore → the state stays, breaching → ALARM, notBreaching → OK;
- some (fewer than N): every real one is evaluated, with N - k missing ones filled in per TreatMissingData
  (breaching or notBreaching). For missing and ignore the fills are unknown: enough real breaching ones mean
  ALARM, a real non-breaching one means OK; otherwise ignore keeps the state, and missing goes to ALARM only
  when the oldest evaluated datapoint is a real one (AWS's sixth row: "X - - - -" is ALARM, "- - - - X" is
  INSUFFICIENT_DATA), taking the most recent missing periods as the fills ("as few times as possible").
ALARM needs M (DatapointsToAlarm) breaching of the N evaluated; otherwise OK.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .formats import iso_millis, java_double, reason_time

OK, ALARM, INSUFFICIENT_DATA = "OK", "ALARM", "INSUFFICIENT_DATA"
STATES = (OK, ALARM, INSUFFICIENT_DATA)

COMPARISON_WORDS = {
    "GreaterThanOrEqualToThreshold": "greater than or equal to",
    "GreaterThanThreshold": "greater than",
    "LessThanThreshold": "less than",
    "LessThanOrEqualToThreshold": "less than or equal to",
}
ANOMALY_DETECTION_OPERATORS = (
    "LessThanLowerOrGreaterThanUpperThreshold",
    "LessThanLowerThreshold",
    "GreaterThanUpperThreshold",
)
COMPARISON_OPERATORS = (*COMPARISON_WORDS, *ANOMALY_DETECTION_OPERATORS)
TREAT_MISSING_DATA = ("breaching", "notBreaching", "ignore", "missing")
EXTRA_PERIODS = 2  # the evaluation range beyond EvaluationPeriods (see the module docstring)


@dataclass(frozen=True, slots=True)
class AlarmRule:
    period: int
    evaluation_periods: int
    datapoints_to_alarm: int
    threshold: float
    comparison_operator: str
    treat_missing_data: str = "missing"
    statistic: str = "Sum"  # or a percentile such as p99 (ExtendedStatistic)

    @property
    def range_periods(self) -> int:
        return self.evaluation_periods + EXTRA_PERIODS

    def breaches(self, value: float) -> bool:
        op, threshold = self.comparison_operator, self.threshold
        if op == "GreaterThanOrEqualToThreshold":
            return value >= threshold
        if op == "GreaterThanThreshold":
            return value > threshold
        if op == "LessThanThreshold":
            return value < threshold
        if op == "LessThanOrEqualToThreshold":
            return value <= threshold
        raise ValueError(f"{op} needs an anomaly detection band, which this simulator does not model")


@dataclass(frozen=True, slots=True)
class Datapoint:
    """One period of the evaluation range: its start (epoch seconds) and value, or None when no data came."""

    timestamp: float
    value: float | None
    sample_count: float | None = None


@dataclass(frozen=True, slots=True)
class Evaluation:
    state: str
    reason: str
    reason_data: str
    changed: bool


def evaluate(
    rule: AlarmRule, points: list[Datapoint], *, state: str, reason: str, reason_data: str, query_time: float
) -> Evaluation:
    """The alarm's state after one evaluation of `points` (its evaluation range, oldest first).

    Keeps `state`, `reason` and `reason_data` as they are when the state does not change (CloudWatch writes a new
    reason only with a transition)."""
    new_state, verdict = _decide(rule, points, state)
    if new_state == state:
        return Evaluation(state, reason, reason_data, False)
    text, data = _describe(rule, points, verdict, old=state, new=new_state, query_time=query_time)
    return Evaluation(new_state, text, data, True)


@dataclass(frozen=True, slots=True)
class _Verdict:
    evaluated: list[Datapoint]  # the real datapoints evaluated, oldest first
    breaching: int  # of the N evaluated, fills included
    fills: int
    filled_as: str | None  # "Breaching" / "NonBreaching" for fills that count, None otherwise


def _decide(rule: AlarmRule, points: list[Datapoint], state: str) -> tuple[str, _Verdict]:
    n, m = rule.evaluation_periods, rule.datapoints_to_alarm
    real = [p for p in points if p.value is not None]
    if len(real) >= n:
        evaluated = real[-n:]
        breaching = sum(rule.breaches(p.value) for p in evaluated)
        return (ALARM if breaching >= m else OK), _Verdict(evaluated, breaching, 0, None)
    fills = n - len(real)
    real_breaching = sum(rule.breaches(p.value) for p in real)
    treat = rule.treat_missing_data
    if treat == "breaching":
        breaching = real_breaching + fills
        return (ALARM if breaching >= m else OK), _Verdict(real, breaching, fills, "Breaching")
    if treat == "notBreaching":
        return (ALARM if real_breaching >= m else OK), _Verdict(real, real_breaching, fills, "NonBreaching")
    verdict = _Verdict(real, real_breaching, fills, None)
    if real_breaching >= m:
        return ALARM, verdict
    if real and real_breaching < len(real):  # a real non-breaching datapoint: ALARM is out of reach
        return OK, verdict
    if treat == "ignore":
        return state, verdict
    if real and _oldest_evaluated_is_real(points, fills):
        return ALARM, verdict
    return INSUFFICIENT_DATA, verdict


def _oldest_evaluated_is_real(points: list[Datapoint], fills: int) -> bool:
    """With the `fills` most recent missing periods taken as the evaluated missing ones, is the oldest evaluated
    datapoint a real one?"""
    missing = [i for i, p in enumerate(points) if p.value is None][-fills:] if fills else []
    first_real = next(i for i, p in enumerate(points) if p.value is not None)
    return not missing or first_real < missing[0]


def _plural(count: int, word: str = "datapoint") -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _describe(
    rule: AlarmRule, points: list[Datapoint], verdict: _Verdict, *, old: str, new: str, query_time: float
) -> tuple[str, str]:
    n, m = rule.evaluation_periods, rule.datapoints_to_alarm
    data: dict = {"version": "1.0", "queryDate": iso_millis(query_time)}
    if new == INSUFFICIENT_DATA or (not verdict.evaluated and verdict.filled_as is None):
        data.update(_statistic_fields(rule))
        data["recentDatapoints"] = []
        data["threshold"] = float(rule.threshold)
        data["evaluatedDatapoints"] = [{"timestamp": iso_millis(p.timestamp)} for p in reversed(points)]
        return f"Insufficient Data: {_plural(len(points))} {'was' if len(points) == 1 else 'were'} unknown.", _dump(
            data
        )
    words = COMPARISON_WORDS[rule.comparison_operator]
    evaluated = verdict.evaluated
    if evaluated:
        data["startDate"] = iso_millis(evaluated[0].timestamp)
    data.update(_statistic_fields(rule))
    data["recentDatapoints"] = [p.value for p in evaluated]
    data["threshold"] = float(rule.threshold)
    data["evaluatedDatapoints"] = [
        {"timestamp": iso_millis(p.timestamp), "sampleCount": float(p.sample_count or 0.0), "value": p.value}
        for p in reversed(evaluated)
    ]
    if not evaluated:  # every evaluated datapoint was a missing one, treated as breaching or not
        text = (
            f"Threshold Crossed: no datapoints were received for {_plural(n, 'period')} and "
            f"{_plural(n, 'missing datapoint')} {'was' if n == 1 else 'were'} treated as [{verdict.filled_as}]."
        )
        return text, _dump(data)
    if new == ALARM:
        shown = [p for p in evaluated if rule.breaches(p.value)]
        count, negation, minimum = verdict.breaching, "", m
    else:
        shown = [p for p in evaluated if not rule.breaches(p.value)]
        count, negation, minimum = n - verdict.breaching, "not ", n - m + 1
    listed = ", ".join(f"{java_double(p.value)} ({reason_time(p.timestamp)})" for p in reversed(shown))
    text = (
        f"Threshold Crossed: {count} out of the last {n} datapoints [{listed}] {'was' if count == 1 else 'were'} "
        f"{negation}{words} the threshold ({java_double(rule.threshold)}) "
        f"(minimum {_plural(minimum)} for {old} -> {new} transition)."
    )
    return text, _dump(data)


def _statistic_fields(rule: AlarmRule) -> dict:
    if rule.statistic.startswith("p"):
        return {"extendedStatistic": rule.statistic, "period": rule.period}
    return {"statistic": rule.statistic, "period": rule.period}


def _dump(data: dict) -> str:
    return json.dumps(data, separators=(",", ":"))


def evaluation_range(rule: AlarmRule, now: float) -> list[float]:
    """The starts (epoch seconds) of the periods an evaluation at `now` looks at, oldest first: whole periods
    aligned on the epoch, the last one ending at or before `now`."""
    end = (int(now) // rule.period) * rule.period
    return [end - (rule.range_periods - i) * rule.period for i in range(rule.range_periods)]
