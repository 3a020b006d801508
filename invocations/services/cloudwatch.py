"""CloudWatch for Lambda (issue 13): metric queries on the metric store, and metric alarms.

Every operation takes the request's parameters as botocore's cloudwatch model names them (timestamps as epoch
seconds) and returns the output shape; the API (invocations/api/cloudwatch/) only decodes and encodes the three
wire protocols. Bad input raises a CloudWatchError before anything is written. `alarms_evaluate` is what the
engine host calls, in simulated time."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction

from ..engine.metrics.alarms import (
    ANOMALY_DETECTION_OPERATORS,
    COMPARISON_OPERATORS,
    STATES,
    TREAT_MISSING_DATA,
    AlarmRule,
    Datapoint,
    evaluate,
    evaluation_range,
)
from ..engine.metrics.formats import iso_millis
from ..engine.metrics.series import NAMESPACE, series_key
from ..engine.metrics.stats import BASIC_STATISTICS, PERCENTILE, Stat
from ..models import AlarmHistoryItem, MetricAlarm
from ..runtime.connection import redis_client
from ..runtime.metrics.reader import MetricReader, Query
from .clock import simulation_clock_now
from .cloudwatch_errors import (
    InvalidFormat,
    InvalidNextToken,
    InvalidParameterCombination,
    InvalidParameterValue,
    MissingParameter,
    ResourceNotFound,
    ValidationError,
)
from .cloudwatch_math import evaluate_expression, referenced_ids

LAMBDA_DIMENSIONS = ("FunctionName", "Resource", "ExecutedVersion")
LAMBDA_METRICS = (
    "Invocations",
    "Errors",
    "Throttles",
    "Duration",
    "ConcurrentExecutions",
    "UnreservedConcurrentExecutions",
    "ClaimedAccountConcurrency",
    "ProvisionedConcurrentExecutions",
    "ProvisionedConcurrencyInvocations",
    "ProvisionedConcurrencySpilloverInvocations",
    "ProvisionedConcurrencyUtilization",
    "AsyncEventsReceived",
    "AsyncEventAge",
    "AsyncEventsDropped",
    "DeadLetterErrors",
    "DestinationDeliveryFailures",
    "IteratorAge",
)
# every other Lambda metric is a Count (DG monitoring-metrics-types)
UNITS = {"Duration": "Milliseconds", "AsyncEventAge": "Milliseconds", "IteratorAge": "Milliseconds"}
HIGH_RESOLUTION_PERIODS = (1, 5, 10, 30)
ALARM_SHORT_PERIODS = (10, 20, 30)
PAGE = 500


def now() -> float:
    """Simulated epoch seconds (the engine's clock)."""
    reading = simulation_clock_now()
    return time.time() if reading is None else reading


def reader() -> MetricReader:
    return MetricReader(redis_client(), second_retention_s=settings.LAMBDAVIZ_METRICS_SECOND_RETENTION_S)


# --- validation ------------------------------------------------------------------------------------------------


def _required(params: dict, name: str, where: str = "") -> Any:
    value = params.get(name)
    if value is None or value == "":
        raise MissingParameter(f"The parameter {where}{name} is required.")
    return value


def _dimensions(raw: Iterable[dict] | None, where: str = "Dimensions") -> tuple[tuple[str, str], ...]:
    out = []
    for i, dim in enumerate(raw or (), start=1):
        name, value = dim.get("Name"), dim.get("Value")
        if not name:
            raise MissingParameter(f"The parameter {where}.member.{i}.Name is required.")
        if value is None:
            raise MissingParameter(f"The parameter {where}.member.{i}.Value is required.")
        if name not in LAMBDA_DIMENSIONS:
            raise InvalidParameterValue(
                f"The value {name} for parameter {where}.member.{i}.Name is not a dimension of {NAMESPACE}: "
                f"this simulator publishes {', '.join(LAMBDA_DIMENSIONS)}."
            )
        out.append((name, value))
    if len({name for name, _ in out}) != len(out):
        raise InvalidParameterValue(f"No duplicate dimension names are allowed in {where}.")
    return tuple(out)


def _namespace(value: Any, where: str = "Namespace") -> str:
    if value != NAMESPACE:
        raise InvalidParameterValue(
            f"The value {value} for parameter {where} is not a namespace this simulator publishes: only {NAMESPACE}."
        )
    return value


def _query_period(period: Any, where: str) -> int:
    if period is None:
        raise MissingParameter(f"The parameter {where} is required.")
    if not isinstance(period, int) or period <= 0:
        raise InvalidParameterValue(f"The parameter {where} must be greater than 0.")
    if period % 60 and period not in HIGH_RESOLUTION_PERIODS:
        raise InvalidParameterValue(
            f"The parameter {where} must be a multiple of 60, or 1, 5, 10 or 30 for high-resolution metrics."
        )
    return period


def _statistic(name: str, where: str) -> str:
    if name in BASIC_STATISTICS or PERCENTILE.match(name):
        return name
    raise InvalidParameterValue(f"The value {name} for parameter {where} is not a valid statistic.")


def _time_range(params: dict) -> tuple[float, float]:
    start, end = _required(params, "StartTime"), _required(params, "EndTime")
    if start >= end:
        raise InvalidParameterValue("The parameter StartTime must be less than the parameter EndTime.")
    return float(start), float(end)


def _aligned(start: float, end: float, period: int) -> tuple[int, int]:
    """Periods start at StartTime rounded down to the whole minute (to the period below a minute), as CloudWatch
    rounds it for data less than 15 days old; EndTime bounds the last one."""
    granularity = min(period, 60)
    return math.floor(start / granularity) * granularity, math.ceil(end)


# --- metric queries --------------------------------------------------------------------------------------------


def get_metric_statistics(params: dict) -> dict:
    _namespace(_required(params, "Namespace"))
    metric = _required(params, "MetricName")
    dimensions = _dimensions(params.get("Dimensions"))
    start, end = _time_range(params)
    period = _query_period(params.get("Period"), "Period")
    statistics = list(params.get("Statistics") or [])
    extended = list(params.get("ExtendedStatistics") or [])
    if not statistics and not extended:
        raise MissingParameter("Must specify either Statistics or ExtendedStatistics.")
    if statistics and extended:
        raise InvalidParameterCombination("Only one of the parameters Statistics or ExtendedStatistics can be used.")
    for i, name in enumerate(statistics, start=1):
        if name not in BASIC_STATISTICS:
            raise InvalidParameterValue(f"The value {name} for parameter Statistics.member.{i} is not valid.")
    for i, name in enumerate(extended, start=1):
        if not PERCENTILE.match(name):
            raise InvalidParameterValue(f"The value {name} for parameter ExtendedStatistics.member.{i} is not valid.")
    first, last = _aligned(start, end, period)
    (periods,) = reader().periods([Query(series_key(metric, dimensions), first, last, period)], now=now())
    unit = UNITS.get(metric, "Count")
    datapoints = []
    for at, stat in periods.items():
        point: dict[str, Any] = {"Timestamp": float(at), "Unit": unit}
        for name in statistics:
            point[name] = stat.value(name)
        if extended:
            point["ExtendedStatistics"] = {name: stat.value(name) for name in extended}
        datapoints.append(point)
    return {"Label": metric, "Datapoints": datapoints}


def get_metric_data(params: dict) -> dict:
    queries = params.get("MetricDataQueries")
    if not queries:
        raise MissingParameter("The parameter MetricDataQueries is required.")
    start, end = _time_range(params)
    descending = params.get("ScanBy", "TimestampDescending") != "TimestampAscending"
    if params.get("NextToken"):
        raise InvalidNextToken("The service cannot find the NextToken provided.")
    ids: list[str] = []
    stat_queries: list[tuple[int, dict, Query, str]] = []
    expressions: list[tuple[int, dict]] = []
    for i, query in enumerate(queries, start=1):
        where = f"MetricDataQueries.member.{i}"
        query_id = _required(query, "Id", f"{where}.")
        if not (query_id[:1].islower() and query_id.replace("_", "a").isalnum()):
            raise ValidationError(
                f"The value {query_id} for parameter {where}.Id is not valid: it must start with a lowercase "
                "letter and contain only letters, numbers and underscores."
            )
        if query_id in ids:
            raise ValidationError(f"The value {query_id} for parameter {where}.Id is used more than once.")
        ids.append(query_id)
        has_stat, has_expression = query.get("MetricStat") is not None, bool(query.get("Expression"))
        if has_stat == has_expression:
            raise ValidationError(f"Exactly one of MetricStat and Expression must be specified in {where}.")
        if has_expression:
            expressions.append((i, query))
            continue
        stat = query["MetricStat"]
        metric = _required(stat, "Metric", f"{where}.MetricStat.")
        _namespace(
            _required(metric, "Namespace", f"{where}.MetricStat.Metric."), f"{where}.MetricStat.Metric.Namespace"
        )
        name = _required(metric, "MetricName", f"{where}.MetricStat.Metric.")
        dims = _dimensions(metric.get("Dimensions"), f"{where}.MetricStat.Metric.Dimensions")
        period = _query_period(stat.get("Period"), f"{where}.MetricStat.Period")
        statistic = _statistic(_required(stat, "Stat", f"{where}.MetricStat."), f"{where}.MetricStat.Stat")
        first, last = _aligned(start, end, period)
        stat_queries.append((i, query, Query(series_key(name, dims), first, last, period), statistic))
    for _, query in expressions:
        for ref in referenced_ids(query["Expression"]):
            if ref not in ids:
                raise ValidationError(
                    f"Error in expression '{query['Id']}': Unrecognized metric id {ref} in expression "
                    f"{query['Expression']!r}."
                )
    answers = reader().periods([q for _, _, q, _ in stat_queries], now=now()) if stat_queries else []
    series: dict[str, dict[float, float]] = {}
    labels: dict[str, str] = {}
    for (_, query, _, statistic), periods in zip(stat_queries, answers, strict=True):
        values = {float(at): stat.value(statistic) for at, stat in periods.items()}
        series[query["Id"]] = {at: v for at, v in values.items() if v is not None}
        labels[query["Id"]] = query.get("Label") or query["MetricStat"]["Metric"]["MetricName"]
    for _, query in expressions:
        value = evaluate_expression(query["Expression"], series, query_id=query["Id"])
        if isinstance(value, float):  # a scalar: one value at the end of the range, as CloudWatch shows it
            value = {float(math.floor(end)): value} if not math.isnan(value) else {}
        series[query["Id"]] = value
        labels[query["Id"]] = query.get("Label") or query["Id"]
    results = []
    for query in queries:
        if query.get("ReturnData", True) is False:
            continue
        points = sorted(series[query["Id"]].items(), reverse=descending)
        results.append(
            {
                "Id": query["Id"],
                "Label": labels[query["Id"]],
                "Timestamps": [at for at, _ in points],
                "Values": [v for _, v in points],
                "StatusCode": "Complete",
            }
        )
    return {"MetricDataResults": results, "Messages": []}


def list_metrics(params: dict) -> dict:
    if params.get("Namespace") is not None:
        _namespace(params["Namespace"])
    wanted_metric = params.get("MetricName")
    filters = []
    for i, dim in enumerate(params.get("Dimensions") or (), start=1):
        if not dim.get("Name"):
            raise MissingParameter(f"The parameter Dimensions.member.{i}.Name is required.")
        filters.append((dim["Name"], dim.get("Value")))
    since = None
    recently = params.get("RecentlyActive")
    if recently is not None:
        if recently != "PT3H":
            raise InvalidParameterValue(f"The value {recently} for parameter RecentlyActive is not valid.")
        since = now() - 3 * 3600
    metrics = []
    for metric, dimensions in reader().series(since=since):
        if metric not in LAMBDA_METRICS or (wanted_metric and metric != wanted_metric):
            continue  # the dashboard's own series (cold starts, timeouts) are not AWS's
        dims = dict(dimensions)
        if any(name not in dims or (value is not None and dims[name] != value) for name, value in filters):
            continue
        metrics.append(
            {
                "Namespace": NAMESPACE,
                "MetricName": metric,
                "Dimensions": [{"Name": n, "Value": v} for n, v in dimensions],
            }
        )
    metrics.sort(key=lambda m: (m["MetricName"], [(d["Name"], d["Value"]) for d in m["Dimensions"]]))
    offset = _token(params.get("NextToken"))
    page = metrics[offset : offset + PAGE]
    out: dict[str, Any] = {"Metrics": page}
    if offset + PAGE < len(metrics):
        out["NextToken"] = str(offset + PAGE)
    return out


def _token(token: str | None) -> int:
    if not token:
        return 0
    if not token.isdigit():
        raise InvalidNextToken("The service cannot find the NextToken provided.")
    return int(token)


# --- alarms ----------------------------------------------------------------------------------------------------


def alarm_arn(name: str) -> str:
    return f"arn:aws:cloudwatch:{settings.LAMBDAVIZ_REGION}:{settings.LAMBDAVIZ_ACCOUNT_ID}:alarm:{name}"


def put_metric_alarm(params: dict) -> dict:
    name = _required(params, "AlarmName")
    if len(name) > 255:
        raise InvalidParameterValue("The parameter AlarmName must be no longer than 255 characters.")
    if params.get("Metrics"):
        raise InvalidParameterValue("Alarms on metric math (Metrics) are not supported by this simulator yet.")
    _namespace(_required(params, "Namespace"))
    metric = _required(params, "MetricName")
    dimensions = _dimensions(params.get("Dimensions"))
    statistic, extended = params.get("Statistic") or "", params.get("ExtendedStatistic") or ""
    if bool(statistic) == bool(extended):
        raise InvalidParameterCombination("Exactly one of Statistic or ExtendedStatistic must be specified.")
    if statistic and statistic not in BASIC_STATISTICS:
        raise InvalidParameterValue(f"The value {statistic} for parameter Statistic is not valid.")
    if extended and not PERCENTILE.match(extended):
        raise InvalidParameterValue(f"The value {extended} for parameter ExtendedStatistic is not valid.")
    period = _required(params, "Period")
    if not isinstance(period, int) or period <= 0 or (period % 60 and period not in ALARM_SHORT_PERIODS):
        raise InvalidParameterValue("The parameter Period must be 10, 20, 30 or a multiple of 60.")
    evaluation_periods = _required(params, "EvaluationPeriods")
    if not isinstance(evaluation_periods, int) or evaluation_periods < 1:
        raise InvalidParameterValue("The parameter EvaluationPeriods must be greater than or equal to 1.")
    if period * evaluation_periods > 7 * 86400:
        raise ValidationError(
            "Metrics cannot be checked across more than a week (EvaluationPeriods * Period must be <= 604800)."
        )
    datapoints = params.get("DatapointsToAlarm")
    if datapoints is not None and not (1 <= datapoints <= evaluation_periods):
        raise ValidationError("DatapointsToAlarm must be greater than 0 and less than or equal to EvaluationPeriods.")
    operator = _required(params, "ComparisonOperator")
    if operator not in COMPARISON_OPERATORS:
        raise ValidationError(
            f"1 validation error detected: Value '{operator}' at 'comparisonOperator' failed to satisfy constraint: "
            f"Member must satisfy enum value set: [{', '.join(COMPARISON_OPERATORS)}]"
        )
    if operator in ANOMALY_DETECTION_OPERATORS:
        raise InvalidParameterValue(
            f"ComparisonOperator {operator} needs an anomaly detection band (ThresholdMetricId), which this "
            "simulator does not support."
        )
    if params.get("Threshold") is None:
        raise ValidationError("Threshold must be specified for alarms without a ThresholdMetricId.")
    treat = params.get("TreatMissingData") or ""
    if treat and treat not in TREAT_MISSING_DATA:
        raise ValidationError(
            f"The value {treat} is not valid for TreatMissingData: breaching, notBreaching, ignore or missing."
        )
    at = now()
    fields = {
        "description": params.get("AlarmDescription") or "",
        "actions_enabled": params.get("ActionsEnabled", True),
        "ok_actions": list(params.get("OKActions") or []),
        "alarm_actions": list(params.get("AlarmActions") or []),
        "insufficient_data_actions": list(params.get("InsufficientDataActions") or []),
        "namespace": NAMESPACE,
        "metric_name": metric,
        "dimensions": [{"Name": n, "Value": v} for n, v in dimensions],
        "statistic": statistic,
        "extended_statistic": extended,
        "unit": params.get("Unit") or "",
        "period": period,
        "evaluation_periods": evaluation_periods,
        "datapoints_to_alarm": datapoints,
        "threshold": float(params["Threshold"]),
        "comparison_operator": operator,
        "treat_missing_data": treat,
        "tags": list(params.get("Tags") or []),
        "configuration_updated_at": at,
    }
    with transaction.atomic():
        alarm = MetricAlarm.objects.select_for_update().filter(name=name).first()
        created = alarm is None
        if created:
            alarm = MetricAlarm(name=name, state_updated_at=at, state_transitioned_at=at)
        for key, value in fields.items():
            setattr(alarm, key, value)
        alarm.save()
        _history(
            alarm,
            at,
            "ConfigurationUpdate",
            f'Alarm "{name}" {"created" if created else "updated"}',
            {
                "version": "1.0",
                "type": "Create" if created else "Update",
                ("createdAlarm" if created else "updatedAlarm"): _alarm_history_view(alarm),
            },
        )
    return {}


def _alarm_history_view(alarm: MetricAlarm) -> dict:
    view = describe_alarm(alarm)
    for key in ("AlarmConfigurationUpdatedTimestamp", "StateUpdatedTimestamp", "StateTransitionedTimestamp"):
        view[key] = iso_millis(view[key])
    return {k[0].lower() + k[1:]: v for k, v in view.items()}


def _history(alarm: MetricAlarm, at: float, item_type: str, summary: str, data: dict) -> None:
    AlarmHistoryItem.objects.create(
        alarm_name=alarm.name,
        timestamp=at,
        item_type=item_type,
        summary=summary,
        data=json.dumps(data, separators=(",", ":")),
    )


def describe_alarm(alarm: MetricAlarm) -> dict:
    out: dict[str, Any] = {
        "AlarmName": alarm.name,
        "AlarmArn": alarm_arn(alarm.name),
        "AlarmDescription": alarm.description,
        "AlarmConfigurationUpdatedTimestamp": alarm.configuration_updated_at,
        "ActionsEnabled": alarm.actions_enabled,
        "OKActions": alarm.ok_actions,
        "AlarmActions": alarm.alarm_actions,
        "InsufficientDataActions": alarm.insufficient_data_actions,
        "StateValue": alarm.state_value,
        "StateReason": alarm.state_reason,
        "StateUpdatedTimestamp": alarm.state_updated_at,
        "MetricName": alarm.metric_name,
        "Namespace": alarm.namespace,
        "Dimensions": alarm.dimensions,
        "Period": alarm.period,
        "EvaluationPeriods": alarm.evaluation_periods,
        "Threshold": alarm.threshold,
        "ComparisonOperator": alarm.comparison_operator,
        "StateTransitionedTimestamp": alarm.state_transitioned_at,
    }
    if not alarm.description:
        del out["AlarmDescription"]
    if alarm.state_reason_data:
        out["StateReasonData"] = alarm.state_reason_data
    if alarm.statistic:
        out["Statistic"] = alarm.statistic
    else:
        out["ExtendedStatistic"] = alarm.extended_statistic
    if alarm.unit:
        out["Unit"] = alarm.unit
    if alarm.datapoints_to_alarm is not None:
        out["DatapointsToAlarm"] = alarm.datapoints_to_alarm
    if alarm.treat_missing_data:
        out["TreatMissingData"] = alarm.treat_missing_data
    return out


def describe_alarms(params: dict) -> dict:
    names, prefix = params.get("AlarmNames"), params.get("AlarmNamePrefix")
    if names and prefix:
        raise InvalidParameterCombination("AlarmNamePrefix and AlarmNames cannot be specified together.")
    state = params.get("StateValue")
    if state is not None and state not in STATES:
        raise ValidationError(
            f"1 validation error detected: Value '{state}' at 'stateValue' failed to satisfy constraint: "
            "Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]"
        )
    alarms = MetricAlarm.objects.all()
    if names:
        alarms = alarms.filter(name__in=names)
    if prefix:
        alarms = alarms.filter(name__startswith=prefix)
    if state:
        alarms = alarms.filter(state_value=state)
    types = params.get("AlarmTypes") or ["MetricAlarm"]
    found = [describe_alarm(a) for a in alarms if _has_action_prefix(a, params.get("ActionPrefix"))]
    if "MetricAlarm" not in types:
        found = []
    limit = params.get("MaxRecords") or 50
    if not 1 <= limit <= 100:
        raise InvalidParameterValue("The parameter MaxRecords must be between 1 and 100.")
    offset = _token(params.get("NextToken"))
    out: dict[str, Any] = {"MetricAlarms": found[offset : offset + limit], "CompositeAlarms": []}
    if offset + limit < len(found):
        out["NextToken"] = str(offset + limit)
    return out


def _has_action_prefix(alarm: MetricAlarm, prefix: str | None) -> bool:
    if not prefix:
        return True
    actions = alarm.ok_actions + alarm.alarm_actions + alarm.insufficient_data_actions
    return any(action.startswith(prefix) for action in actions)


def describe_alarms_for_metric(params: dict) -> dict:
    _namespace(_required(params, "Namespace"))
    metric = _required(params, "MetricName")
    dimensions = set(_dimensions(params.get("Dimensions")))
    alarms = MetricAlarm.objects.filter(metric_name=metric)
    found = []
    for alarm in alarms:
        if params.get("Dimensions") is not None and {(d["Name"], d["Value"]) for d in alarm.dimensions} != dimensions:
            continue
        if params.get("Statistic") and alarm.statistic != params["Statistic"]:
            continue
        if params.get("ExtendedStatistic") and alarm.extended_statistic != params["ExtendedStatistic"]:
            continue
        if params.get("Period") and alarm.period != params["Period"]:
            continue
        found.append(describe_alarm(alarm))
    return {"MetricAlarms": found}


def delete_alarms(params: dict) -> dict:
    names = _required(params, "AlarmNames")
    with transaction.atomic():
        existing = set(MetricAlarm.objects.filter(name__in=names).values_list("name", flat=True))
        missing = [n for n in names if n not in existing]
        if missing:
            raise ResourceNotFound(f"{', '.join(missing)} does not exist")
        MetricAlarm.objects.filter(name__in=names).delete()
        at = now()
        for name in names:
            AlarmHistoryItem.objects.create(
                alarm_name=name,
                timestamp=at,
                item_type="ConfigurationUpdate",
                summary=f'Alarm "{name}" deleted',
                data=json.dumps({"version": "1.0", "type": "Delete"}, separators=(",", ":")),
            )
    return {}


def set_alarm_state(params: dict) -> dict:
    name = _required(params, "AlarmName")
    state = _required(params, "StateValue")
    reason = _required(params, "StateReason")
    if state not in STATES:
        raise ValidationError(
            f"1 validation error detected: Value '{state}' at 'stateValue' failed to satisfy constraint: "
            "Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]"
        )
    reason_data = params.get("StateReasonData") or ""
    if reason_data:
        try:
            json.loads(reason_data)
        except ValueError:
            raise InvalidFormat("Reason data must be valid JSON") from None
    with transaction.atomic():
        alarm = MetricAlarm.objects.select_for_update().filter(name=name).first()
        if alarm is None:
            raise ResourceNotFound(f"Alarm {name} not found")
        _transition(alarm, state, reason, reason_data, now())
    return {}


def _transition(alarm: MetricAlarm, state: str, reason: str, reason_data: str, at: float) -> None:
    old_state, old_reason = alarm.state_value, alarm.state_reason
    alarm.state_updated_at = at
    if state != old_state:
        alarm.state_transitioned_at = at
    alarm.state_value, alarm.state_reason, alarm.state_reason_data = state, reason, reason_data
    alarm.save()
    new_state: dict[str, Any] = {"stateValue": state, "stateReason": reason}
    if reason_data:
        new_state["stateReasonData"] = json.loads(reason_data)
    _history(
        alarm,
        at,
        "StateUpdate",
        f"Alarm updated from {old_state} to {state}",
        {"version": "1.0", "oldState": {"stateValue": old_state, "stateReason": old_reason}, "newState": new_state},
    )


def describe_alarm_history(params: dict) -> dict:
    items = AlarmHistoryItem.objects.all()
    if params.get("AlarmName"):
        items = items.filter(alarm_name=params["AlarmName"])
    kind = params.get("HistoryItemType")
    if kind:
        if kind not in (
            "ConfigurationUpdate",
            "StateUpdate",
            "Action",
            "AlarmContributorStateUpdate",
            "AlarmContributorAction",
        ):
            raise ValidationError(f"The value {kind} for parameter HistoryItemType is not valid.")
        items = items.filter(item_type=kind)
    if params.get("StartDate") is not None:
        items = items.filter(timestamp__gte=params["StartDate"])
    if params.get("EndDate") is not None:
        items = items.filter(timestamp__lte=params["EndDate"])
    if params.get("ScanBy") == "TimestampAscending":
        items = items.order_by("timestamp", "id")
    limit = params.get("MaxRecords") or 100
    offset = _token(params.get("NextToken"))
    rows = list(items[offset : offset + limit + 1])
    out: dict[str, Any] = {
        "AlarmHistoryItems": [
            {
                "AlarmName": item.alarm_name,
                "AlarmType": item.alarm_type,
                "Timestamp": item.timestamp,
                "HistoryItemType": item.item_type,
                "HistorySummary": item.summary,
                "HistoryData": item.data,
            }
            for item in rows[:limit]
        ]
    }
    if len(rows) > limit:
        out["NextToken"] = str(offset + limit)
    return out


# --- evaluation (the engine host calls this) -------------------------------------------------------------------


def alarm_rule(alarm: MetricAlarm) -> AlarmRule:
    return AlarmRule(
        period=alarm.period,
        evaluation_periods=alarm.evaluation_periods,
        datapoints_to_alarm=alarm.datapoints_to_alarm or alarm.evaluation_periods,
        threshold=alarm.threshold,
        comparison_operator=alarm.comparison_operator,
        treat_missing_data=alarm.treat_missing_data or "missing",
        statistic=alarm.statistic or alarm.extended_statistic,
    )


def alarms_evaluate(at: float, *, metric_reader: MetricReader | None = None) -> int:
    """Evaluate every alarm whose period has passed since its last evaluation; returns the transitions made.

    One reader pipeline for all of them; only transitions write (state, reason, history)."""
    due = [a for a in MetricAlarm.objects.all() if a.evaluated_at is None or at - a.evaluated_at >= min(a.period, 60)]
    if not due:
        return 0
    rules = [alarm_rule(alarm) for alarm in due]
    queries = []
    for alarm, rule in zip(due, rules, strict=True):
        starts = evaluation_range(rule, at)
        dims = tuple((d["Name"], d["Value"]) for d in alarm.dimensions)
        queries.append(Query(series_key(alarm.metric_name, dims), starts[0], starts[-1] + rule.period, rule.period))
    answers = (metric_reader or reader()).periods(queries, now=at)
    changed = 0
    for alarm, rule, query, periods in zip(due, rules, queries, answers, strict=True):
        points = [
            _datapoint(start, periods.get(start), rule.statistic)
            for start in range(query.start, query.end, rule.period)
        ]
        result = evaluate(
            rule,
            points,
            state=alarm.state_value,
            reason=alarm.state_reason,
            reason_data=alarm.state_reason_data,
            query_time=at,
        )
        with transaction.atomic():
            if result.changed:
                _transition(alarm, result.state, result.reason, result.reason_data, at)
                changed += 1
            MetricAlarm.objects.filter(pk=alarm.pk).update(evaluated_at=at)
    return changed


def _datapoint(start: int, stat: Stat | None, statistic: str) -> Datapoint:
    if stat is None:
        return Datapoint(float(start), None)
    return Datapoint(float(start), stat.value(statistic), stat.count)
