"""A Lambda deployment run end to end through real boto3 (issue 14 point 2): the services are driven at explicit
simulated instants, as the engine host drives them each simulated second (DatabaseReporter.advance_deployments),
so no live host is needed; hooks are invoked through the real Redis inbox, the alias moves through the alias
service, alarms are CloudWatch's own (SetAlarmState on the real wire)."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.config import Config

from invocations import services
from invocations.models import Alias, Deployment
from invocations.runtime.connection import INBOX
from invocations.services.clock import simulation_clock_now
from invocations.services.host_adapter import DatabaseReporter
from tests.factories import make_function, make_versions

from .codedeploy_clients import codedeploy_client
from .conftest import ACCESS_KEY_ID, SECRET_ACCESS_KEY
from .test_codedeploy_api import ROLE, refused

pytestmark = pytest.mark.django_db(transaction=True)

CANARY = "CodeDeployDefault.LambdaCanary10Percent5Minutes"
LINEAR = "CodeDeployDefault.LambdaLinear10PercentEvery1Minute"
ALARM = "checkout-errors"
ALARM_MESSAGE = (
    "One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the "
    "affected deployments have been stopped. Activated alarms: checkout-errors"
)


def appspec(hooks: dict[str, str] | None = None) -> dict:
    properties = {"Name": "checkout", "Alias": "prod", "CurrentVersion": "1", "TargetVersion": "2"}
    spec = {"version": 0.0, "Resources": [{"checkout": {"Type": "AWS::Lambda::Function", "Properties": properties}}]}
    if hooks:
        spec["Hooks"] = [{event: function} for event, function in hooks.items()]
    return {"revisionType": "AppSpecContent", "appSpecContent": {"content": json.dumps(spec)}}


@pytest.fixture
def cd(live_server, redis_client):
    function = make_function("checkout")
    make_versions(function, 0.0, 0.2)
    services.alias_create(function=function, name="prod", function_version="1")
    make_function("pre-traffic")
    make_function("post-traffic")
    client = codedeploy_client(live_server.url)
    client.create_application(applicationName="checkout-app", computePlatform="Lambda")
    client.create_deployment_group(
        applicationName="checkout-app",
        deploymentGroupName="prod",
        serviceRoleArn=ROLE,
        deploymentConfigName=CANARY,
        deploymentStyle={"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
        alarmConfiguration={"enabled": True, "alarms": [{"name": ALARM}]},
        autoRollbackConfiguration={"enabled": True, "events": ["DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_FAILURE"]},
    )
    return client


@pytest.fixture
def cloudwatch(live_server):
    client = boto3.client(
        "cloudwatch",
        endpoint_url=live_server.url,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
        config=Config(retries={"total_max_attempts": 1}),
    )
    client.put_metric_alarm(
        AlarmName=ALARM,
        Namespace="AWS/Lambda",
        MetricName="Errors",
        Dimensions=[{"Name": "FunctionName", "Value": "checkout"}, {"Name": "Resource", "Value": "checkout:prod"}],
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )
    return client


def deploy(cd, **kw) -> str:
    params = {"applicationName": "checkout-app", "deploymentGroupName": "prod", "revision": appspec(), **kw}
    return cd.create_deployment(**params)["deploymentId"]


def drive(at: float) -> None:
    """One step of the engine host at simulated time `at`."""
    DatabaseReporter().advance_deployments(at)


def routing() -> tuple[str, dict[str, float]]:
    alias = Alias.objects.get(name="prod")
    return alias.function_version, dict(alias.additional_version_weights)


def info(cd, deployment_id: str) -> dict:
    return cd.get_deployment(deploymentId=deployment_id)["deploymentInfo"]


def events(cd, deployment_id: str) -> dict[str, dict]:
    (target,) = cd.list_deployment_targets(deploymentId=deployment_id)["targetIds"]
    shown = cd.get_deployment_target(deploymentId=deployment_id, targetId=target)["deploymentTarget"]
    return {e["lifecycleEventName"]: e for e in shown["lambdaTarget"]["lifecycleEvents"]}


def hook_calls(redis_client) -> list[tuple[str, dict]]:
    requests = [json.loads(raw) for raw in redis_client.lrange(INBOX, 0, -1)]
    return [(r["target"], r["payload"]) for r in requests if r.get("source") == "codedeploy"]


def test_a_canary_with_hooks_runs_to_success(cd, redis_client):
    t0 = simulation_clock_now()
    hooks = {"BeforeAllowTraffic": "pre-traffic", "AfterAllowTraffic": "post-traffic"}
    deployment_id = deploy(cd, revision=appspec(hooks))
    assert info(cd, deployment_id)["status"] == "Created"
    drive(t0)
    assert info(cd, deployment_id)["status"] == "InProgress"
    assert {n: e["status"] for n, e in events(cd, deployment_id).items()} == {
        "Start": "Succeeded",
        "BeforeAllowTraffic": "InProgress",
        "AllowTraffic": "Pending",
        "AfterAllowTraffic": "Pending",
        "End": "Pending",
    }
    # The pre-traffic hook is invoked asynchronously with the deployment and its execution id.
    ((target, payload),) = hook_calls(redis_client)
    assert target == "pre-traffic" and set(payload) == {"DeploymentId", "LifecycleEventHookExecutionId"}
    assert payload["DeploymentId"] == deployment_id and routing() == ("1", {})
    execution_id = payload["LifecycleEventHookExecutionId"]
    put = cd.put_lifecycle_event_hook_execution_status(
        deploymentId=deployment_id, lifecycleEventHookExecutionId=execution_id, status="Succeeded"
    )
    assert put["lifecycleEventHookExecutionId"] == execution_id
    refused(
        lambda: cd.put_lifecycle_event_hook_execution_status(
            deploymentId=deployment_id, lifecycleEventHookExecutionId=execution_id, status="Failed"
        ),
        "LifecycleEventAlreadyCompletedException",
        "An attempt to return the status of an already completed lifecycle event occurred.",
    )
    # The report is seen at once: AllowTraffic begins with the canary's 10%.
    assert routing() == ("1", {"2": 0.1})
    assert events(cd, deployment_id)["AllowTraffic"]["status"] == "InProgress"
    allow_at = Deployment.objects.get(deployment_id=deployment_id).lifecycle_events["AllowTraffic"]["start"]
    drive(allow_at + 299)
    assert routing() == ("1", {"2": 0.1})
    drive(allow_at + 300)
    assert routing() == ("2", {})
    assert [t for t, _ in hook_calls(redis_client)] == ["pre-traffic", "post-traffic"]
    post_id = hook_calls(redis_client)[1][1]["LifecycleEventHookExecutionId"]
    cd.put_lifecycle_event_hook_execution_status(
        deploymentId=deployment_id, lifecycleEventHookExecutionId=post_id, status="Succeeded"
    )
    shown = info(cd, deployment_id)
    assert shown["status"] == "Succeeded" and "errorInformation" not in shown
    assert shown["deploymentOverview"]["Succeeded"] == 1
    assert {e["status"] for e in events(cd, deployment_id).values()} == {"Succeeded"}


def test_an_alarm_stops_the_canary_and_a_rollback_deployment_restores_the_alias(cd, cloudwatch):
    t0 = simulation_clock_now()
    deployment_id = deploy(cd)
    drive(t0)
    assert routing() == ("1", {"2": 0.1})
    cloudwatch.set_alarm_state(AlarmName=ALARM, StateValue="ALARM", StateReason="errors in the canary")
    drive(t0 + 60)
    shown = info(cd, deployment_id)
    assert shown["status"] == "Stopped"
    assert shown["errorInformation"] == {"code": "ALARM_ACTIVE", "message": ALARM_MESSAGE}
    rollback_id = shown["rollbackInfo"]["rollbackDeploymentId"]
    rollback = info(cd, rollback_id)
    assert rollback["rollbackInfo"]["rollbackTriggeringDeploymentId"] == deployment_id
    assert (rollback["status"], rollback["creator"]) == ("Succeeded", "autoRollback")
    # The rollback deployment runs in the same step, though the alarm is still in ALARM.
    assert routing() == ("1", {})
    assert set(cd.list_deployments()["deployments"]) == {deployment_id, rollback_id}
    assert events(cd, deployment_id)["AllowTraffic"]["status"] == "Failed"


def test_stop_deployment_with_rollback_and_without(cd):
    t0 = simulation_clock_now()
    first = deploy(cd)
    drive(t0)
    stopped = cd.stop_deployment(deploymentId=first, autoRollbackEnabled=True)
    assert stopped["status"] == "Pending"
    shown = info(cd, first)
    assert (shown["status"], shown["errorInformation"]["code"]) == ("Stopped", "MANUAL_STOP")
    assert info(cd, shown["rollbackInfo"]["rollbackDeploymentId"])["status"] == "Succeeded"
    assert routing() == ("1", {})
    refused(lambda: cd.stop_deployment(deploymentId=first), "DeploymentAlreadyCompletedException")

    second = deploy(cd)
    drive(simulation_clock_now())
    cd.stop_deployment(deploymentId=second)
    shown = info(cd, second)
    assert shown["status"] == "Stopped" and "rollbackInfo" not in shown
    assert routing() == ("1", {"2": 0.1})  # without rollback the alias stays where the stop found it


def test_a_linear_deployment_resumes_from_the_database_at_the_latest_step(cd):
    t0 = simulation_clock_now()
    deployment_id = deploy(cd, deploymentConfigName=LINEAR)
    drive(t0)
    assert routing() == ("1", {"2": 0.1})
    # A host that comes back after three simulated minutes reads the progress and applies only the step due.
    drive(t0 + 185)
    assert routing() == ("1", {"2": 0.4})
    assert Deployment.objects.get(deployment_id=deployment_id).steps_applied == 4
    drive(t0 + 540)
    assert routing() == ("2", {}) and info(cd, deployment_id)["status"] == "Succeeded"


def test_a_hook_that_never_reports_fails_the_deployment_after_an_hour(cd, redis_client):
    t0 = simulation_clock_now()
    deployment_id = deploy(cd, revision=appspec({"BeforeAllowTraffic": "pre-traffic"}))
    drive(t0)
    drive(t0 + 3599)
    assert info(cd, deployment_id)["status"] == "InProgress"
    drive(t0 + 3600)
    shown = info(cd, deployment_id)
    assert (shown["status"], shown["errorInformation"]["code"]) == ("Failed", "TIMEOUT")
    # DEPLOYMENT_FAILURE is enabled: the rollback deployment puts back what nothing had shifted.
    assert info(cd, shown["rollbackInfo"]["rollbackDeploymentId"])["status"] == "Succeeded"
    assert routing() == ("1", {})
    ((_, payload),) = hook_calls(redis_client)
    refused(
        lambda: cd.put_lifecycle_event_hook_execution_status(
            deploymentId=deployment_id,
            lifecycleEventHookExecutionId=payload["LifecycleEventHookExecutionId"],
            status="Succeeded",
        ),
        "LifecycleEventAlreadyCompletedException",
    )


def test_bad_hook_reports_get_aws_errors(cd, redis_client):
    deployment_id = deploy(cd, revision=appspec({"BeforeAllowTraffic": "pre-traffic"}))
    drive(simulation_clock_now())
    ((_, payload),) = hook_calls(redis_client)
    refused(
        lambda: cd.put_lifecycle_event_hook_execution_status(
            deploymentId=deployment_id, lifecycleEventHookExecutionId="nope", status="Succeeded"
        ),
        "InvalidLifecycleEventHookExecutionIdException",
    )
    refused(
        lambda: cd.put_lifecycle_event_hook_execution_status(
            deploymentId=deployment_id,
            lifecycleEventHookExecutionId=payload["LifecycleEventHookExecutionId"],
            status="Skipped",
        ),
        "InvalidLifecycleEventHookExecutionStatusException",
    )
    assert info(cd, deployment_id)["status"] == "InProgress"
