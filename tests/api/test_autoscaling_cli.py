"""The real AWS CLI (`aws application-autoscaling ... --endpoint-url`) against Application Auto Scaling (issue 13
point 4): every operation, and AWS's error for bad input."""

from __future__ import annotations

import json

import pytest

from .test_cloudwatch_cli import aws

pytestmark = pytest.mark.django_db(transaction=True)

TARGET = [
    "--service-namespace", "lambda",
    "--resource-id", "function:checkout:prod",
    "--scalable-dimension", "lambda:function:ProvisionedConcurrency",
]  # fmt: skip


def aas(url: str, *args: str):
    return aws(url, *args, service="application-autoscaling")


def ok(result) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else {}


def test_the_cli_runs_every_operation(live_server, checkout):
    url = live_server.url
    ok(aas(url, "register-scalable-target", *TARGET, "--min-capacity", "0", "--max-capacity", "10"))
    assert (
        ok(aas(url, "describe-scalable-targets", "--service-namespace", "lambda"))["ScalableTargets"][0]["MaxCapacity"]
        == 10
    )
    config = json.dumps({"TargetValue": 0.7, "PredefinedMetricSpecification": {
        "PredefinedMetricType": "LambdaProvisionedConcurrencyUtilization"}})  # fmt: skip
    put = ok(aas(url, "put-scaling-policy", *TARGET, "--policy-name", "pcu", "--policy-type",
                 "TargetTrackingScaling", "--target-tracking-scaling-policy-configuration", config))  # fmt: skip
    assert len(put["Alarms"]) == 2
    assert (
        ok(aas(url, "describe-scaling-policies", "--service-namespace", "lambda"))["ScalingPolicies"][0]["PolicyName"]
        == "pcu"
    )
    ok(aas(url, "put-scheduled-action", *TARGET, "--scheduled-action-name", "rush", "--schedule",
           "at(2030-01-01T08:00:00)", "--scalable-target-action", "MinCapacity=3"))  # fmt: skip
    assert (
        ok(aas(url, "describe-scheduled-actions", "--service-namespace", "lambda"))["ScheduledActions"][0]["Schedule"]
        == "at(2030-01-01T08:00:00)"
    )
    assert ok(aas(url, "describe-scaling-activities", "--service-namespace", "lambda"))["ScalingActivities"] == []
    ok(aas(url, "delete-scheduled-action", *TARGET, "--scheduled-action-name", "rush"))
    ok(aas(url, "delete-scaling-policy", *TARGET, "--policy-name", "pcu"))
    ok(aas(url, "deregister-scalable-target", *TARGET))


def test_the_cli_shows_awss_errors(live_server, checkout):
    url = live_server.url
    bad = aas(url, "register-scalable-target", *TARGET, "--min-capacity", "5", "--max-capacity", "1")
    assert bad.returncode != 0
    assert (
        "(ValidationException)" in bad.stderr
        and "Minimum capacity cannot be greater than maximum capacity" in bad.stderr
    )
    latest = [*TARGET[:2], "--resource-id", "function:checkout:$LATEST", *TARGET[4:]]
    bad = aas(url, "register-scalable-target", *latest, "--min-capacity", "1", "--max-capacity", "2")
    assert "cannot be applied to unpublished function versions" in bad.stderr
    config = json.dumps({"TargetValue": 0.7, "PredefinedMetricSpecification": {
        "PredefinedMetricType": "LambdaProvisionedConcurrencyUtilization"}})  # fmt: skip
    bad = aas(url, "put-scaling-policy", *TARGET, "--policy-name", "p", "--policy-type", "TargetTrackingScaling",
              "--target-tracking-scaling-policy-configuration", config)  # fmt: skip
    assert "(ObjectNotFoundException)" in bad.stderr and "No scalable target registered" in bad.stderr
    ok(aas(url, "register-scalable-target", *TARGET, "--min-capacity", "0", "--max-capacity", "2"))
    bad = aas(url, "put-scaling-policy", *TARGET, "--policy-name", "p", "--policy-type", "TargetTrackingScaling")
    assert "(ValidationException)" in bad.stderr  # a target-tracking policy without its configuration
    bad = aas(url, "put-scheduled-action", *TARGET, "--scheduled-action-name", "a", "--schedule", "cron(99 * * * ? *)",
              "--scalable-target-action", "MinCapacity=1")  # fmt: skip
    assert "Invalid schedule expression: cron(99 * * * ? *)" in bad.stderr
    bad = aas(url, "describe-scalable-targets", "--service-namespace", "nope")
    assert "at 'serviceNamespace' failed to satisfy constraint" in bad.stderr
