"""Application Auto Scaling for provisioned concurrency through real boto3 on awsJson1_1 (the only protocol
botocore's application-autoscaling model lists), issue 13 point 4; the evaluation in simulated time is driven
with explicit simulated instants (a virtual clock): the host's MetricWriter, CloudWatch's alarm evaluation and
the runtime's allocation report, as the engine host runs them."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from invocations.engine.events import ProvisionedConcurrencyChanged
from invocations.models import MetricAlarm, ProvisionedConcurrencyConfig
from invocations.runtime.metrics.writer import MetricWriter
from invocations.services import cloudwatch
from invocations.services.autoscaling_evaluate import autoscaling_evaluate
from invocations.services.host_adapter import DatabaseReporter

from .conftest import ACCESS_KEY_ID, SECRET_ACCESS_KEY

pytestmark = pytest.mark.django_db(transaction=True)

TARGET = {
    "ServiceNamespace": "lambda",
    "ResourceId": "function:checkout:prod",
    "ScalableDimension": "lambda:function:ProvisionedConcurrency",
}
TRACKING = {
    "TargetValue": 0.7,
    "PredefinedMetricSpecification": {"PredefinedMetricType": "LambdaProvisionedConcurrencyUtilization"},
}


@pytest.fixture
def aas(live_server, checkout, redis_client):
    return boto3.client(
        "application-autoscaling",
        endpoint_url=live_server.url,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
        config=Config(retries={"total_max_attempts": 1}),
    )


def error_of(call, **params) -> tuple[str, str]:
    with pytest.raises(ClientError) as info:
        call(**params)
    return info.value.response["Error"]["Code"], info.value.response["Error"]["Message"]


def test_every_operation_round_trips(aas):
    arn = aas.register_scalable_target(**TARGET, MinCapacity=1, MaxCapacity=10)["ScalableTargetARN"]
    assert arn.startswith("arn:aws:application-autoscaling:us-east-1:")
    (target,) = aas.describe_scalable_targets(ServiceNamespace="lambda")["ScalableTargets"]
    assert (target["MinCapacity"], target["MaxCapacity"], target["ResourceId"]) == (1, 10, "function:checkout:prod")
    assert target["RoleARN"].endswith("AWSServiceRoleForApplicationAutoScaling_LambdaConcurrency")
    # Min 1 above the current 0: AAS scales out to the minimum through the provisioned-concurrency config.
    assert ProvisionedConcurrencyConfig.objects.get().requested == 1
    (activity,) = aas.describe_scaling_activities(ServiceNamespace="lambda")["ScalingActivities"]
    assert (activity["Description"], activity["Cause"], activity["StatusCode"]) == (
        "Setting desired concurrency to 1.",
        "minimum capacity was set to 1",
        "InProgress",
    )

    put = aas.put_scaling_policy(
        PolicyName="pcu",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration=TRACKING,
        **TARGET,
    )
    names = [a["AlarmName"] for a in put["Alarms"]]
    assert [n.split("-")[2] for n in names] == ["AlarmHigh", "AlarmLow"]
    assert all(n.startswith("TargetTracking-function:checkout:prod-Alarm") for n in names)
    high, low = (MetricAlarm.objects.get(name=n) for n in names)
    assert (high.comparison_operator, high.threshold, high.evaluation_periods) == ("GreaterThanThreshold", 0.7, 3)
    assert (low.comparison_operator, round(low.threshold, 6), low.evaluation_periods) == ("LessThanThreshold", 0.63, 15)
    assert (high.metric_name, high.statistic, high.period) == ("ProvisionedConcurrencyUtilization", "Average", 60)
    (policy,) = aas.describe_scaling_policies(ServiceNamespace="lambda")["ScalingPolicies"]
    assert (
        policy["PolicyARN"] == put["PolicyARN"]
        and policy["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 0.7
    )

    aas.put_scheduled_action(
        ScheduledActionName="rush",
        Schedule="cron(0 8 ? * MON-FRI *)",
        ScalableTargetAction={"MinCapacity": 5},
        **TARGET,
    )
    (action,) = aas.describe_scheduled_actions(ServiceNamespace="lambda")["ScheduledActions"]
    assert (action["Schedule"], action["ScalableTargetAction"]) == ("cron(0 8 ? * MON-FRI *)", {"MinCapacity": 5})
    aas.delete_scheduled_action(ScheduledActionName="rush", **TARGET)
    assert aas.describe_scheduled_actions(ServiceNamespace="lambda")["ScheduledActions"] == []

    aas.delete_scaling_policy(PolicyName="pcu", **TARGET)
    assert not MetricAlarm.objects.filter(name__in=names).exists()  # the policy's alarms go with it
    aas.deregister_scalable_target(**TARGET)
    assert aas.describe_scalable_targets(ServiceNamespace="lambda")["ScalableTargets"] == []


def test_bad_input_gets_awss_errors_and_writes_nothing(aas):
    assert error_of(
        aas.register_scalable_target,
        **{**TARGET, "ResourceId": "function:checkout:$LATEST"},
        MinCapacity=1,
        MaxCapacity=2,
    ) == ("ValidationException", "Provisioned Concurrency Configs cannot be applied to unpublished function versions.")
    assert error_of(aas.register_scalable_target, **TARGET, MinCapacity=5, MaxCapacity=2) == (
        "ValidationException",
        "Minimum capacity cannot be greater than maximum capacity",
    )
    code, message = error_of(aas.describe_scalable_targets, ServiceNamespace="lambdaa")
    assert code == "ValidationException" and message.startswith(
        "1 validation error detected: Value 'lambdaa' at 'serviceNamespace' failed to satisfy constraint"
    )
    code, message = error_of(
        aas.register_scalable_target, **{**TARGET, "ScalableDimension": "lambda:x"}, MinCapacity=1, MaxCapacity=2
    )
    assert code == "ValidationException" and "at 'scalableDimension'" in message
    ecs = {**TARGET, "ServiceNamespace": "ecs"}
    assert error_of(aas.register_scalable_target, **ecs, MinCapacity=1, MaxCapacity=2) == (
        "ValidationException",
        "Unsupported service namespace, resource type or scalable dimension",
    )
    assert error_of(
        aas.put_scaling_policy,
        PolicyName="p",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration=TRACKING,
        **TARGET,
    ) == (
        "ObjectNotFoundException",
        "No scalable target registered for service namespace: lambda, resource ID: function:checkout:prod, "
        "scalable dimension: lambda:function:ProvisionedConcurrency",
    )
    assert not ProvisionedConcurrencyConfig.objects.exists()
    aas.register_scalable_target(**TARGET, MinCapacity=0, MaxCapacity=4)
    code, _ = error_of(aas.put_scaling_policy, PolicyName="p", PolicyType="TargetTrackingScaling", **TARGET)
    assert code == "ValidationException"  # a target-tracking policy without its configuration
    assert error_of(
        aas.put_scheduled_action,
        ScheduledActionName="a",
        Schedule="cron(0 8 * * *)",
        ScalableTargetAction={"MinCapacity": 1},
        **TARGET,
    ) == ("ValidationException", "Invalid schedule expression: cron(0 8 * * *)")
    assert error_of(
        aas.put_scheduled_action, ScheduledActionName="a", Schedule="rate(5 minutes)", ScalableTargetAction={}, **TARGET
    ) == ("ValidationException", "At least one of minimum capacity and maximum capacity should be provided")
    assert aas.describe_scheduled_actions(ServiceNamespace="lambda")["ScheduledActions"] == []
    assert aas.describe_scaling_policies(ServiceNamespace="lambda")["ScalingPolicies"] == []


def _busy(writer: MetricWriter, at: float, count: int) -> None:
    writer.flush(at, busy=[("checkout", "1", True)] * count)


def _allocate(at: float, writer: MetricWriter) -> None:
    """The runtime's part, without its delay: the config's requested environments become READY."""
    config = ProvisionedConcurrencyConfig.objects.select_related("alias").get()
    DatabaseReporter().provisioned_allocated(
        function="checkout", qualifier="prod", allocated=config.requested, status="READY", status_reason=""
    )
    writer.emit(ProvisionedConcurrencyChanged(at, "checkout", "prod", "1", config.requested, config.requested, "READY"))


def test_target_tracking_scales_out_after_three_minutes_and_in_after_fifteen(aas, redis_client, settings):
    """A step from 0 to 6 busy provisioned environments (5 allocated: 100% utilization) puts AlarmHigh in ALARM
    after 3 one-minute datapoints: capacity ceil(5 × 1.0 / 0.7) = 8 at minute 3; while it stays in ALARM (minute
    3 and 4 still read high) the policy is invoked each minute, up to 13. From minute 5, 6 busy of 13 is 46%,
    below 63% (90% of the target): AlarmLow after 15 datapoints (minutes 5-19), capacity ceil(13 × 2/13 / 0.7) = 3
    at minute 20 (the load stepped down to 2 at minute 8)."""
    writer = MetricWriter(
        redis_client,
        second_retention_s=settings.LAMBDAVIZ_METRICS_SECOND_RETENTION_S,
        minute_retention_s=settings.LAMBDAVIZ_METRICS_MINUTE_RETENTION_S,
    )
    start = (int(cloudwatch.now()) // 60) * 60 - 3600  # a simulated hour ago, on a minute
    aas.register_scalable_target(**TARGET, MinCapacity=5, MaxCapacity=20)
    _allocate(start, writer)
    aas.register_scalable_target(**TARGET, MinCapacity=1)  # the minimum lowered: capacity stays where it is
    aas.put_scaling_policy(
        PolicyName="pcu",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration=TRACKING,
        **TARGET,
    )
    capacity: dict[int, int] = {}
    for minute in range(26):
        load = 6 if minute < 8 else 2
        for second in range(0, 60, 10):
            at = start + minute * 60 + second
            _busy(writer, at, min(load, ProvisionedConcurrencyConfig.objects.get().allocated))
            cloudwatch.alarms_evaluate(at)
            autoscaling_evaluate(at)
            config = ProvisionedConcurrencyConfig.objects.get()
            if config.status == "IN_PROGRESS":
                _allocate(at, writer)
        capacity[minute] = ProvisionedConcurrencyConfig.objects.get().requested
    assert capacity[2] == 5 and capacity[3] == 8  # the 3 datapoints of minutes 0-2, evaluated at minute 3
    assert capacity[4] == 12 and capacity[5] == 13  # AlarmHigh still in ALARM: invoked once a minute
    assert capacity[19] == 13 and capacity[20] == 3  # minutes 5-19: 15 datapoints below 0.63
    activities = aas.describe_scaling_activities(ServiceNamespace="lambda")["ScalingActivities"]
    causes = [a["Cause"] for a in activities if a["Cause"].startswith("monitor alarm")]  # newest first
    assert causes[0].startswith("monitor alarm TargetTracking-function:checkout:prod-AlarmLow-")
    assert causes[0].endswith(" in state ALARM triggered policy pcu")
    assert "-AlarmHigh-" in causes[1]
    assert [a["StatusCode"] for a in activities if a["Cause"] in causes] == ["Successful"] * len(causes)


def test_a_scheduled_action_raises_the_minimum_at_its_time(aas):
    aas.register_scalable_target(**TARGET, MinCapacity=0, MaxCapacity=10)
    at = cloudwatch.now()
    aas.put_scheduled_action(
        ScheduledActionName="rush",
        Schedule="rate(5 minutes)",
        ScalableTargetAction={"MinCapacity": 4, "MaxCapacity": 10},
        **TARGET,
    )
    assert autoscaling_evaluate(at + 200) == 0  # not yet
    assert not ProvisionedConcurrencyConfig.objects.exists()
    assert autoscaling_evaluate(at + 301) == 2  # the action, then the scale out to the new minimum
    assert ProvisionedConcurrencyConfig.objects.get().requested == 4
    newest, action = aas.describe_scaling_activities(ServiceNamespace="lambda")["ScalingActivities"][:2]
    assert (action["Description"], action["Cause"], action["StatusCode"]) == (
        "Setting min capacity to 4 and max capacity to 10",
        "scheduled action name rush was triggered",
        "Successful",
    )
    assert (newest["Description"], newest["Cause"]) == (
        "Setting desired concurrency to 4.",
        "minimum capacity was set to 4",
    )
