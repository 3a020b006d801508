"""The dashboard's view of CloudWatch alarms (issue 13 point 5): a function's alarms with their recent datapoints,
the account's alarms in ALARM, and the staff's one-click Errors alarm on an alias.

Everything goes through services/cloudwatch.py: the alarms are shown as DescribeAlarms shows them, their datapoints
are read from the metric store with the alarm's own period and statistic (what its evaluation reads), and the
one-click alarm is created by the same `put_metric_alarm` the CloudWatch API calls.
"""

from __future__ import annotations

import math
from typing import Any

from ..engine.metrics.series import NAMESPACE, series_key
from ..models import MetricAlarm
from ..runtime.metrics.reader import Query
from ..selectors import alias_get, function_get_unqualified
from . import cloudwatch

CHART_PERIODS = 15  # datapoints per alarm chart: enough to see an M-of-N window and what came before it
MAX_CHART_S = 6 * 3600  # an alarm on a long period draws fewer points rather than a day of them


def _function_of(alarm: MetricAlarm) -> str | None:
    """The function an alarm's dimensions name (FunctionName, as AWS/Lambda's metrics carry it)."""
    for dim in alarm.dimensions:
        if dim.get("Name") == "FunctionName":
            return dim.get("Value")
    return None


def function_alarms(*, function: str, until: float | None) -> dict[str, Any]:
    """Every alarm whose dimensions name `function`, as DescribeAlarms describes it, plus `Datapoints`: the last
    CHART_PERIODS periods (oldest first, `null` where the period had no data) at the alarm's period and statistic.
    One Redis pipeline for all of them."""
    if until is None:
        until = cloudwatch.now()
    alarms = [a for a in MetricAlarm.objects.all() if a.namespace == NAMESPACE and _function_of(a) == function]
    queries = [_chart_query(alarm, until) for alarm in alarms]
    answers = cloudwatch.reader().periods(queries, now=until) if queries else []
    out = []
    for alarm, query, periods in zip(alarms, queries, answers, strict=True):
        statistic = alarm.statistic or alarm.extended_statistic
        view = cloudwatch.describe_alarm(alarm)
        view["Datapoints"] = [
            {"t": start, "v": _value(periods.get(start), statistic)}
            for start in range(query.start, query.end, query.period)
        ]
        out.append(view)
    return {"function": function, "until": until, "alarms": out}


def _chart_query(alarm: MetricAlarm, until: float) -> Query:
    period = alarm.period
    count = max(1, min(CHART_PERIODS, MAX_CHART_S // period))
    # The period in progress is the last one drawn (it fills as the clock runs), as the console's graph shows it.
    last = math.floor(until / period) * period
    dims = tuple((d["Name"], d["Value"]) for d in alarm.dimensions)
    return Query(series_key(alarm.metric_name, dims), last - (count - 1) * period, last + period, period)


def _value(stat, statistic: str) -> float | None:
    if stat is None:
        return None
    value = stat.value(statistic)
    return None if value is None else round(value, 3)


def alarms_in_state(*, state: str = "ALARM") -> list[dict[str, Any]]:
    """The account's alarms in `state` (the account view lists those in ALARM), with the function they watch."""
    out = []
    for alarm in MetricAlarm.objects.filter(state_value=state):
        out.append(
            {
                "AlarmName": alarm.name,
                "StateValue": alarm.state_value,
                "StateReason": alarm.state_reason,
                "StateUpdatedTimestamp": alarm.state_updated_at,
                "MetricName": alarm.metric_name,
                "FunctionName": _function_of(alarm),
            }
        )
    return out


def errors_alarm_name(*, function: str, alias: str) -> str:
    return f"{function}-{alias}-errors"


def errors_alarm_create(*, function: str, alias: str) -> dict[str, Any]:
    """The one-click alarm: Errors Sum > 0 for 1 of 1 datapoints of 60 s on the alias (FunctionName + Resource
    `name:alias`, the dimensions Lambda's metrics of an alias carry). A missing function or alias raises Lambda's
    ResourceNotFoundException before anything is written; calling it again updates the alarm, as PutMetricAlarm
    does."""
    fn = function_get_unqualified(function)
    found = alias_get(function=fn, name=alias)
    name = errors_alarm_name(function=fn.name, alias=found.name)
    cloudwatch.put_metric_alarm(
        {
            "AlarmName": name,
            "AlarmDescription": f"Errors of {fn.name}:{found.name} (created from the LambdaViz dashboard)",
            "Namespace": NAMESPACE,
            "MetricName": "Errors",
            "Dimensions": [
                {"Name": "FunctionName", "Value": fn.name},
                {"Name": "Resource", "Value": f"{fn.name}:{found.name}"},
            ],
            "Statistic": "Sum",
            "Period": 60,
            "EvaluationPeriods": 1,
            "DatapointsToAlarm": 1,
            "Threshold": 0.0,
            "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "notBreaching",
        }
    )
    return {"AlarmName": name}
