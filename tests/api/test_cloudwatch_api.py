"""The CloudWatch API through real boto3 in its three protocols (awsJson1_0 by default, Smithy RPC v2 CBOR and
query forced through the model), on the metric store in Redis (issue 13 point 2)."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime

import pytest
from botocore.exceptions import ClientError

from invocations.engine.events import InvocationCompleted, InvocationType, Throttled
from invocations.engine.outcomes import InvokeResult, Outcome
from invocations.runtime.metrics.writer import MetricWriter
from invocations.services import cloudwatch

from .cloudwatch_clients import cloudwatch_client

pytestmark = pytest.mark.django_db(transaction=True)

PROTOCOLS = ["json", "smithy-rpc-v2-cbor", "query"]


@pytest.fixture(params=PROTOCOLS)
def cw(request, live_server, tmp_path_factory, redis_client):
    protocol = None if request.param == "json" else request.param
    return cloudwatch_client(live_server.url, protocol=protocol, models=tmp_path_factory.getbasetemp() / "models")


def completed(
    at: float, *, duration: float = 100.0, error: bool = False, alias: str | None = "prod"
) -> InvocationCompleted:
    result = InvokeResult(
        "rid", Outcome.FUNCTION_ERROR if error else Outcome.SUCCESS, 200, "1", None, duration_ms=duration
    )
    return InvocationCompleted(
        at,
        result,
        "sdk",
        InvocationType.REQUEST_RESPONSE,
        "checkout",
        alias or "$LATEST",
        alias,
        1,
        at - duration / 1000,
    )


@pytest.fixture
def traffic(redis_client, settings):
    """Five simulated minutes of checkout traffic written through the host's writer: second s of minute m has
    m+1 invocations of 100 ms, one error every 10th second, one throttle per minute."""
    writer = MetricWriter(
        redis_client,
        second_retention_s=settings.LAMBDAVIZ_METRICS_SECOND_RETENTION_S,
        minute_retention_s=settings.LAMBDAVIZ_METRICS_MINUTE_RETENTION_S,
    )
    now = cloudwatch.now()
    start = math.floor(now / 60) * 60 - 360
    for s in range(300):
        at = start + s + 0.5
        for _ in range(s // 60 + 1):
            writer.emit(completed(at))
        if s % 10 == 0:
            writer.emit(completed(at, error=True, duration=300.0))
        if s % 60 == 0:
            writer.emit(
                Throttled(
                    at,
                    "t",
                    "checkout",
                    "prod",
                    "prod",
                    "1",
                    "ReservedFunctionConcurrentInvocationLimitExceeded",
                    "sdk",
                    InvocationType.REQUEST_RESPONSE,
                )
            )
    writer.flush(start + 300, final=True)
    return start


def dims(**kw):
    return [{"Name": k, "Value": v} for k, v in kw.items()]


def test_get_metric_statistics_per_minute(cw, traffic):
    answer = cw.get_metric_statistics(
        Namespace="AWS/Lambda",
        MetricName="Invocations",
        Dimensions=dims(FunctionName="checkout"),
        StartTime=datetime.fromtimestamp(traffic, UTC),
        EndTime=datetime.fromtimestamp(traffic + 300, UTC),
        Period=60,
        Statistics=["Sum", "SampleCount"],
    )
    points = sorted(answer["Datapoints"], key=lambda p: p["Timestamp"])
    assert answer["Label"] == "Invocations"
    assert [p["Sum"] for p in points] == [60 * (m + 1) + 6 for m in range(5)]
    assert points[0]["Timestamp"] == datetime.fromtimestamp(traffic, UTC)
    assert points[0]["Unit"] == "Count"


def test_get_metric_statistics_percentiles_of_duration(cw, traffic):
    answer = cw.get_metric_statistics(
        Namespace="AWS/Lambda",
        MetricName="Duration",
        Dimensions=dims(FunctionName="checkout", Resource="checkout:prod"),
        StartTime=datetime.fromtimestamp(traffic, UTC),
        EndTime=datetime.fromtimestamp(traffic + 60, UTC),
        Period=60,
        ExtendedStatistics=["p50", "p99"],
    )
    (point,) = answer["Datapoints"]
    assert point["ExtendedStatistics"]["p99"] == pytest.approx(300.0, rel=0.03)
    assert point["ExtendedStatistics"]["p50"] == pytest.approx(100.0, rel=0.03)


def test_get_metric_data_stats_at_one_second_and_metric_math(cw, traffic):
    metric = {"Namespace": "AWS/Lambda", "Dimensions": dims(FunctionName="checkout")}
    answer = cw.get_metric_data(
        MetricDataQueries=[
            {
                "Id": "errors",
                "MetricStat": {"Metric": {**metric, "MetricName": "Errors"}, "Period": 60, "Stat": "Sum"},
                "ReturnData": False,
            },
            {
                "Id": "calls",
                "MetricStat": {"Metric": {**metric, "MetricName": "Invocations"}, "Period": 60, "Stat": "Sum"},
            },
            {"Id": "rate", "Expression": "errors/calls*100", "Label": "Error rate"},
            {"Id": "total", "Expression": "SUM([errors, calls])"},
            {
                "Id": "persec",
                "MetricStat": {"Metric": {**metric, "MetricName": "Invocations"}, "Period": 1, "Stat": "Sum"},
            },
        ],
        StartTime=datetime.fromtimestamp(traffic, UTC),
        EndTime=datetime.fromtimestamp(traffic + 300, UTC),
    )
    results = {r["Id"]: r for r in answer["MetricDataResults"]}
    assert set(results) == {"calls", "rate", "total", "persec"}  # ReturnData False is not returned
    assert results["calls"]["Label"] == "Invocations" and results["calls"]["StatusCode"] == "Complete"
    assert results["calls"]["Values"] == [60 * (m + 1) + 6 for m in reversed(range(5))]  # newest first
    assert results["rate"]["Label"] == "Error rate"
    assert results["rate"]["Values"][-1] == pytest.approx(6 / 66 * 100)
    assert results["total"]["Values"][-1] == 72
    assert len(results["persec"]["Values"]) == 300
    assert results["persec"]["Values"][-1] == 2  # the first second: 1 invocation + 1 error


def test_list_metrics_with_dimension_filters(cw, traffic):
    metrics = cw.list_metrics(Namespace="AWS/Lambda", MetricName="Invocations")["Metrics"]
    assert {tuple((d["Name"], d["Value"]) for d in m["Dimensions"]) for m in metrics} == {
        (),
        (("FunctionName", "checkout"),),
        (("FunctionName", "checkout"), ("Resource", "checkout:prod")),
        (("ExecutedVersion", "1"), ("FunctionName", "checkout")),
    }
    only = cw.list_metrics(Dimensions=[{"Name": "Resource", "Value": "checkout:prod"}])["Metrics"]
    assert {m["MetricName"] for m in only} == {"Invocations", "Errors", "Duration", "Throttles"}


def alarm(cw, name="checkout-errors", **kw):
    params = {
        "AlarmName": name,
        "Namespace": "AWS/Lambda",
        "MetricName": "Errors",
        "Dimensions": dims(FunctionName="checkout", Resource="checkout:prod"),
        "Statistic": "Sum",
        "Period": 60,
        "EvaluationPeriods": 3,
        "DatapointsToAlarm": 2,
        "Threshold": 1.0,
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "notBreaching",
        **kw,
    }
    cw.put_metric_alarm(**params)
    return params


def test_alarms_are_put_described_set_and_deleted_with_history(cw):
    params = alarm(cw)
    (described,) = cw.describe_alarms(AlarmNames=["checkout-errors"])["MetricAlarms"]
    assert described["AlarmArn"] == "arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-errors"
    assert described["StateValue"] == "INSUFFICIENT_DATA"
    assert described["StateReason"] == "Unchecked: Initial alarm creation"
    for key in (
        "Namespace",
        "MetricName",
        "Dimensions",
        "Statistic",
        "Period",
        "EvaluationPeriods",
        "DatapointsToAlarm",
        "Threshold",
        "ComparisonOperator",
        "TreatMissingData",
    ):
        assert described[key] == params[key], key
    assert cw.describe_alarms(StateValue="ALARM")["MetricAlarms"] == []
    for_metric = cw.describe_alarms_for_metric(
        Namespace="AWS/Lambda", MetricName="Errors", Dimensions=dims(FunctionName="checkout", Resource="checkout:prod")
    )
    assert [a["AlarmName"] for a in for_metric["MetricAlarms"]] == ["checkout-errors"]
    cw.set_alarm_state(AlarmName="checkout-errors", StateValue="ALARM", StateReason="testing the pager")
    (now_alarm,) = cw.describe_alarms(StateValue="ALARM")["MetricAlarms"]
    assert now_alarm["StateReason"] == "testing the pager"
    history = cw.describe_alarm_history(AlarmName="checkout-errors")["AlarmHistoryItems"]
    assert [h["HistorySummary"] for h in history] == [
        "Alarm updated from INSUFFICIENT_DATA to ALARM",
        'Alarm "checkout-errors" created',
    ]
    data = json.loads(history[0]["HistoryData"])
    assert (
        data["oldState"]["stateValue"] == "INSUFFICIENT_DATA" and data["newState"]["stateReason"] == "testing the pager"
    )
    cw.delete_alarms(AlarmNames=["checkout-errors"])
    assert cw.describe_alarms()["MetricAlarms"] == []


def test_alarm_evaluation_on_the_store_moves_to_alarm_with_awss_reason(cw, traffic):
    alarm(cw)
    end = traffic + 300
    assert cloudwatch.alarms_evaluate(end + 1) == 1  # the last three minutes: 6 errors each, > 1
    (described,) = cw.describe_alarms(AlarmNames=["checkout-errors"])["MetricAlarms"]
    assert described["StateValue"] == "ALARM"
    stamp = datetime.fromtimestamp(end - 60, UTC).strftime("%d/%m/%y %H:%M:%S")
    assert described["StateReason"].startswith(f"Threshold Crossed: 3 out of the last 3 datapoints [6.0 ({stamp}), ")
    assert described["StateReason"].endswith(
        "were greater than the threshold (1.0) (minimum 2 datapoints for INSUFFICIENT_DATA -> ALARM transition)."
    )
    assert json.loads(described["StateReasonData"])["recentDatapoints"] == [6.0, 6.0, 6.0]


def error(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response["Error"]


def test_bad_input_gets_awss_error_codes(cw):
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, 1, tzinfo=UTC)
    e = error(
        lambda: cw.get_metric_statistics(
            Namespace="AWS/Lambda",
            MetricName="Invocations",
            StartTime=start,
            EndTime=end,
            Period=45,
            Statistics=["Sum"],
        )
    )
    assert e["Code"] == "InvalidParameterValue" and "Period must be a multiple of 60" in e["Message"]
    e = error(
        lambda: cw.get_metric_statistics(
            Namespace="AWS/EC2",
            MetricName="CPUUtilization",
            StartTime=start,
            EndTime=end,
            Period=60,
            Statistics=["Sum"],
        )
    )
    assert e["Code"] == "InvalidParameterValue" and "AWS/EC2" in e["Message"]
    e = error(
        lambda: (
            cw.list_metrics(Namespace="AWS/Lambda", Dimensions=[{"Name": "Region", "Value": "x"}])
            and cw.get_metric_statistics(
                Namespace="AWS/Lambda",
                MetricName="Invocations",
                StartTime=start,
                EndTime=end,
                Period=60,
                Statistics=["Sum"],
                Dimensions=dims(Region="x"),
            )
        )
    )
    assert e["Code"] == "InvalidParameterValue" and "Region" in e["Message"]
    e = error(
        lambda: cw.put_metric_alarm(
            AlarmName="a",
            Namespace="AWS/Lambda",
            MetricName="Errors",
            Statistic="Sum",
            Period=45,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="GreaterThanThreshold",
        )
    )
    assert e["Code"] == "InvalidParameterValue"
    e = error(
        lambda: cw.put_metric_alarm(
            AlarmName="a",
            Namespace="AWS/Lambda",
            MetricName="Errors",
            Statistic="Sum",
            ExtendedStatistic="p99",
            Period=60,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="GreaterThanThreshold",
        )
    )
    assert e["Code"] == "InvalidParameterCombination"
    e = error(lambda: cw.set_alarm_state(AlarmName="nope", StateValue="OK", StateReason="x"))
    assert e["Code"] == "ResourceNotFound"
    e = error(lambda: cw.delete_alarms(AlarmNames=["nope"]))
    assert e["Code"] == "ResourceNotFound"
    assert cw.describe_alarms()["MetricAlarms"] == []  # nothing half-written


def test_a_bad_signature_is_refused(live_server, tmp_path_factory, settings):
    cw = cloudwatch_client(live_server.url)
    settings.LAMBDAVIZ_SECRET_ACCESS_KEY = "another"
    e = error(lambda: cw.describe_alarms())
    assert e["Code"] in ("InvalidSignatureException", "SignatureDoesNotMatch")
