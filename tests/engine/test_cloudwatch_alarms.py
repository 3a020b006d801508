"""Alarm evaluation with CloudWatch's semantics (issue 13 point 2): every row of the two tables of the User Guide's
"How alarm state is evaluated when data is missing", every comparison operator, and state reasons in AWS's words."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from invocations.engine.metrics.alarms import (
    ALARM,
    INSUFFICIENT_DATA,
    OK,
    AlarmRule,
    Datapoint,
    evaluate,
    evaluation_range,
)
from invocations.engine.metrics.formats import java_double

T0 = datetime(2026, 3, 12, 10, 0, tzinfo=UTC).timestamp()
RETAIN = "retain"
MODES = ("missing", "ignore", "breaching", "notBreaching")


def points(pattern: str, *, period: int = 300) -> list[Datapoint]:
    """ "0 - X - X": oldest first; 0 not breaching (value 0), X breaching (value 5), - missing."""
    out = []
    for i, mark in enumerate(pattern.split()):
        value = {"0": 0.0, "X": 5.0, "-": None}[mark]
        out.append(Datapoint(T0 + i * period, value, None if value is None else 1.0))
    return out


def rule(m: int, n: int, treat: str, **kw) -> AlarmRule:
    return AlarmRule(
        period=300,
        evaluation_periods=n,
        datapoints_to_alarm=m,
        threshold=1.0,
        comparison_operator="GreaterThanThreshold",
        treat_missing_data=treat,
        **kw,
    )


# (data points, MISSING, IGNORE, BREACHING, NOT BREACHING) as the User Guide's tables give them.
THREE_OF_THREE = [
    ("0 - X - X", OK, OK, OK, OK),
    ("0 - - - -", OK, OK, OK, OK),
    ("- - - - -", INSUFFICIENT_DATA, RETAIN, ALARM, OK),
    ("0 X X - X", ALARM, ALARM, ALARM, ALARM),
    ("- - - - X", INSUFFICIENT_DATA, RETAIN, ALARM, OK),
    ("X - - - -", ALARM, RETAIN, ALARM, OK),
]
TWO_OF_THREE = [
    ("0 - X - X", ALARM, ALARM, ALARM, ALARM),
    ("0 0 X 0 X", ALARM, ALARM, ALARM, ALARM),
    ("0 - X - -", OK, OK, ALARM, OK),
    ("- - - - 0", OK, OK, ALARM, OK),
    ("- - - - X", INSUFFICIENT_DATA, RETAIN, ALARM, OK),
]


@pytest.mark.parametrize(
    ("m", "row"), [(3, row) for row in THREE_OF_THREE] + [(2, row) for row in TWO_OF_THREE], ids=str
)
@pytest.mark.parametrize("start", [OK, ALARM, INSUFFICIENT_DATA])
def test_each_row_of_the_user_guides_missing_data_tables(m, row, start):
    pattern, *expected = row
    for mode, want in zip(MODES, expected, strict=True):
        result = evaluate(
            rule(m, 3, mode), points(pattern), state=start, reason="before", reason_data="{}", query_time=T0 + 1500
        )
        assert result.state == (start if want == RETAIN else want), (pattern, mode, start)
        assert result.changed == (result.state != start)
        if not result.changed:  # no transition, no new reason (nor history)
            assert (result.reason, result.reason_data) == ("before", "{}")


@pytest.mark.parametrize(
    ("operator", "value", "breaches"),
    [
        ("GreaterThanOrEqualToThreshold", 1.0, True),
        ("GreaterThanOrEqualToThreshold", 0.5, False),
        ("GreaterThanThreshold", 1.0, False),
        ("GreaterThanThreshold", 1.5, True),
        ("LessThanThreshold", 1.0, False),
        ("LessThanThreshold", 0.5, True),
        ("LessThanOrEqualToThreshold", 1.0, True),
        ("LessThanOrEqualToThreshold", 1.5, False),
    ],
)
def test_every_threshold_comparison_operator(operator, value, breaches):
    r = AlarmRule(60, 1, 1, 1.0, operator)
    assert r.breaches(value) is breaches


def test_anomaly_detection_operators_are_refused_clearly():
    r = AlarmRule(60, 1, 1, 1.0, "LessThanLowerOrGreaterThanUpperThreshold")
    with pytest.raises(ValueError, match="anomaly detection band"):
        r.breaches(1.0)


def test_ok_to_alarm_reason_and_reason_data_in_awss_format():
    r = AlarmRule(60, 1, 1, 1.0, "GreaterThanThreshold", statistic="Sum")
    at = T0 + 60  # 10:01:00
    result = evaluate(r, [Datapoint(at, 5.0, 3.0)], state=OK, reason="", reason_data="", query_time=at + 73.379)
    assert result.state == ALARM
    assert result.reason == (
        "Threshold Crossed: 1 out of the last 1 datapoints [5.0 (12/03/26 10:01:00)] was greater than the threshold "
        "(1.0) (minimum 1 datapoint for OK -> ALARM transition)."
    )
    assert json.loads(result.reason_data) == {
        "version": "1.0",
        "queryDate": "2026-03-12T10:02:13.379+0000",
        "startDate": "2026-03-12T10:01:00.000+0000",
        "statistic": "Sum",
        "period": 60,
        "recentDatapoints": [5.0],
        "threshold": 1.0,
        "evaluatedDatapoints": [{"timestamp": "2026-03-12T10:01:00.000+0000", "sampleCount": 3.0, "value": 5.0}],
    }
    # The key order is CloudWatch's too (clients show the string as it is).
    assert result.reason_data.startswith('{"version":"1.0","queryDate":"2026-03-12T10:02:13.379+0000","startDate"')


def test_alarm_to_ok_reason_counts_the_non_breaching_datapoints_and_the_minimum_for_the_transition():
    # 3 out of 3: one non-breaching datapoint is enough to leave ALARM (N - M + 1 = 1).
    r = rule(3, 3, "missing", statistic="Average")
    result = evaluate(r, points("- - X 0 X"), state=ALARM, reason="", reason_data="", query_time=T0 + 1500)
    assert result.state == OK
    assert result.reason == (
        "Threshold Crossed: 1 out of the last 3 datapoints [0.0 (12/03/26 10:15:00)] was not greater than the "
        "threshold (1.0) (minimum 1 datapoint for ALARM -> OK transition)."
    )


def test_m_out_of_n_alarm_reason_lists_the_breaching_datapoints_newest_first():
    r = rule(2, 3, "missing", statistic="Maximum")
    result = evaluate(r, points("0 0 X 0 X"), state=OK, reason="", reason_data="", query_time=T0 + 1500)
    assert result.reason == (
        "Threshold Crossed: 2 out of the last 3 datapoints [5.0 (12/03/26 10:20:00), 5.0 (12/03/26 10:10:00)] were "
        "greater than the threshold (1.0) (minimum 2 datapoints for OK -> ALARM transition)."
    )
    data = json.loads(result.reason_data)
    assert data["recentDatapoints"] == [5.0, 0.0, 5.0]  # oldest first
    assert [p["timestamp"][11:16] for p in data["evaluatedDatapoints"]] == ["10:20", "10:15", "10:10"]


def test_insufficient_data_reason_counts_the_unknown_datapoints():
    r = rule(1, 3, "missing")
    result = evaluate(r, points("- - - - -"), state=OK, reason="", reason_data="", query_time=T0 + 1500)
    assert result.state == INSUFFICIENT_DATA
    assert result.reason == "Insufficient Data: 5 datapoints were unknown."
    data = json.loads(result.reason_data)
    assert data["recentDatapoints"] == [] and len(data["evaluatedDatapoints"]) == 5
    assert data["evaluatedDatapoints"][0] == {"timestamp": "2026-03-12T10:20:00.000+0000"}


@pytest.mark.parametrize(
    ("treat", "state", "word"), [("breaching", ALARM, "Breaching"), ("notBreaching", OK, "NonBreaching")]
)
def test_no_data_treated_as_breaching_or_not_says_so(treat, state, word):
    r = rule(3, 3, treat)
    start = OK if state == ALARM else ALARM
    result = evaluate(r, points("- - - - -"), state=start, reason="", reason_data="", query_time=T0 + 1500)
    assert result.state == state
    assert result.reason == (
        f"Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as "
        f"[{word}]."
    )


def test_evaluation_range_is_n_plus_two_whole_periods_ending_before_now():
    r = AlarmRule(60, 3, 3, 1.0, "GreaterThanThreshold")
    starts = evaluation_range(r, 3600 * 10 + 59.9)
    assert starts == [36000 - 300 + 60 * i for i in range(5)]


def test_numbers_are_written_as_java_writes_doubles():
    assert [java_double(v) for v in (5, 0.0666851903306472, 1e7, 2.5e-5)] == [
        "5.0",
        "0.0666851903306472",
        "1.0E7",
        "2.5E-5",
    ]
