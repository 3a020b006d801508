"""The real AWS CLI (`aws cloudwatch ... --endpoint-url`) against the CloudWatch API (issue 13 point 2). awscli
1.x speaks the protocol botocore resolves for CloudWatch (awsJson1_0 today)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from invocations.services import cloudwatch

from .conftest import ACCESS_KEY_ID, SECRET_ACCESS_KEY
from .test_cloudwatch_api import traffic  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)

AWS = str(Path(sys.executable).parent / "aws")


def aws(endpoint_url: str, *args: str, service: str = "cloudwatch") -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
    }
    command = [AWS, service, *args, "--endpoint-url", endpoint_url, "--region", "us-east-1", "--output", "json"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def test_the_cli_puts_describes_sets_and_deletes_an_alarm(live_server):
    put = aws(
        live_server.url,
        "put-metric-alarm",
        "--alarm-name", "checkout-errors",
        "--namespace", "AWS/Lambda",
        "--metric-name", "Errors",
        "--dimensions", "Name=FunctionName,Value=checkout", "Name=Resource,Value=checkout:prod",
        "--statistic", "Sum",
        "--period", "60",
        "--evaluation-periods", "5",
        "--datapoints-to-alarm", "3",
        "--threshold", "1",
        "--comparison-operator", "GreaterThanOrEqualToThreshold",
        "--treat-missing-data", "breaching",
    )  # fmt: skip
    assert put.returncode == 0, put.stderr
    described = aws(live_server.url, "describe-alarms", "--alarm-names", "checkout-errors")
    assert described.returncode == 0, described.stderr
    (alarm,) = json.loads(described.stdout)["MetricAlarms"]
    assert (alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"], alarm["TreatMissingData"]) == (5, 3, "breaching")
    assert alarm["StateValue"] == "INSUFFICIENT_DATA"
    state = aws(live_server.url, "set-alarm-state", "--alarm-name", "checkout-errors", "--state-value", "OK",
                "--state-reason", "all clear")  # fmt: skip
    assert state.returncode == 0, state.stderr
    history = json.loads(aws(live_server.url, "describe-alarm-history", "--alarm-name", "checkout-errors").stdout)
    assert history["AlarmHistoryItems"][0]["HistorySummary"] == "Alarm updated from INSUFFICIENT_DATA to OK"
    for_metric = aws(live_server.url, "describe-alarms-for-metric", "--namespace", "AWS/Lambda", "--metric-name",
                     "Errors")  # fmt: skip
    assert [a["AlarmName"] for a in json.loads(for_metric.stdout)["MetricAlarms"]] == ["checkout-errors"]
    deleted = aws(live_server.url, "delete-alarms", "--alarm-names", "checkout-errors")
    assert deleted.returncode == 0, deleted.stderr
    assert json.loads(aws(live_server.url, "describe-alarms").stdout)["MetricAlarms"] == []


def test_the_cli_reads_statistics_metric_data_and_the_metric_list(live_server, traffic):  # noqa: F811
    start, end = str(traffic), str(traffic + 300)
    stats = aws(live_server.url, "get-metric-statistics", "--namespace", "AWS/Lambda", "--metric-name", "Throttles",
                "--dimensions", "Name=FunctionName,Value=checkout", "--start-time", start, "--end-time", end,
                "--period", "300", "--statistics", "Sum")  # fmt: skip
    assert stats.returncode == 0, stats.stderr
    assert [p["Sum"] for p in json.loads(stats.stdout)["Datapoints"]] == [5.0]
    queries = [
        {"Id": "m1", "MetricStat": {"Metric": {"Namespace": "AWS/Lambda", "MetricName": "Invocations"}, "Period": 60,
                                    "Stat": "Sum"}},
        {"Id": "m2", "Expression": "m1/60"},
    ]  # fmt: skip
    data = aws(live_server.url, "get-metric-data", "--metric-data-queries", json.dumps(queries), "--start-time",
               start, "--end-time", end)  # fmt: skip
    assert data.returncode == 0, data.stderr
    results = {r["Id"]: r for r in json.loads(data.stdout)["MetricDataResults"]}
    assert results["m2"]["Values"][0] == pytest.approx((5 * 60 + 6) / 60)
    listed = aws(live_server.url, "list-metrics", "--namespace", "AWS/Lambda", "--metric-name", "Duration")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)["Metrics"]) == 4
    assert math.isfinite(cloudwatch.now())


def test_the_cli_shows_awss_error_for_a_bad_period(live_server):
    result = aws(live_server.url, "get-metric-statistics", "--namespace", "AWS/Lambda", "--metric-name", "Errors",
                 "--start-time", "2026-01-01T00:00:00Z", "--end-time", "2026-01-01T01:00:00Z", "--period", "45",
                 "--statistics", "Sum")  # fmt: skip
    assert result.returncode != 0
    assert "An error occurred (InvalidParameterValue) when calling the GetMetricStatistics operation" in result.stderr
    assert "Period must be a multiple of 60" in result.stderr
