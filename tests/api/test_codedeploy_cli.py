"""The real AWS CLI (`aws deploy ... --endpoint-url`) against the CodeDeploy API (issue 14 point 1): every
application, deployment group and deployment config operation, and the errors as the CLI prints them. awscli 1.x
speaks the protocol botocore resolves for CodeDeploy (awsJson1_1 today)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from invocations.models import DeploymentGroup

from .conftest import ACCESS_KEY_ID, SECRET_ACCESS_KEY

pytestmark = pytest.mark.django_db(transaction=True)

AWS = str(Path(sys.executable).parent / "aws")
ROLE = "arn:aws:iam::123456789012:role/CodeDeployServiceRole"
ACCOUNT = "with the user or Amazon Web Services account"


def aws(endpoint_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
    }
    command = [AWS, "deploy", *args, "--endpoint-url", endpoint_url, "--region", "us-east-1", "--output", "json"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def ok(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else {}


def failed(result: subprocess.CompletedProcess, error_type: str, operation: str, message: str) -> None:
    assert result.returncode != 0
    assert f"An error occurred ({error_type}) when calling the {operation} operation: {message}" in result.stderr


def test_the_cli_creates_reads_lists_and_deletes_an_application(live_server):
    url = live_server.url
    created = ok(aws(url, "create-application", "--application-name", "checkout-app", "--compute-platform", "Lambda"))
    info = ok(aws(url, "get-application", "--application-name", "checkout-app"))["application"]
    assert (info["applicationId"], info["computePlatform"]) == (created["applicationId"], "Lambda")
    assert ok(aws(url, "list-applications"))["applications"] == ["checkout-app"]
    batch = ok(aws(url, "batch-get-applications", "--application-names", "checkout-app"))["applicationsInfo"]
    assert [a["applicationName"] for a in batch] == ["checkout-app"]
    ok(aws(url, "delete-application", "--application-name", "checkout-app"))
    assert ok(aws(url, "list-applications"))["applications"] == []


def test_the_cli_prints_application_errors(live_server):
    url = live_server.url
    ok(aws(url, "create-application", "--application-name", "checkout-app", "--compute-platform", "Lambda"))
    failed(
        aws(url, "create-application", "--application-name", "checkout-app"),
        "ApplicationAlreadyExistsException",
        "CreateApplication",
        f"An application with the specified name {ACCOUNT} already exists.",
    )
    failed(
        aws(url, "get-application", "--application-name", "ghost"),
        "ApplicationDoesNotExistException",
        "GetApplication",
        f"The application does not exist {ACCOUNT}.",
    )


def test_the_cli_manages_a_lambda_deployment_group(live_server):
    url = live_server.url
    ok(aws(url, "create-application", "--application-name", "checkout-app", "--compute-platform", "Lambda"))
    created = ok(aws(url, "create-deployment-group", "--application-name", "checkout-app",
                     "--deployment-group-name", "prod", "--service-role-arn", ROLE,
                     "--deployment-config-name", "CodeDeployDefault.LambdaCanary10Percent5Minutes",
                     "--deployment-style", "deploymentType=BLUE_GREEN,deploymentOption=WITH_TRAFFIC_CONTROL",
                     "--alarm-configuration", "enabled=true,alarms=[{name=checkout-errors}]",
                     "--auto-rollback-configuration", "enabled=true,events=DEPLOYMENT_STOP_ON_ALARM"))  # fmt: skip
    info = ok(aws(url, "get-deployment-group", "--application-name", "checkout-app",
                  "--deployment-group-name", "prod"))["deploymentGroupInfo"]  # fmt: skip
    assert info["deploymentGroupId"] == created["deploymentGroupId"]
    assert info["alarmConfiguration"]["alarms"] == [{"name": "checkout-errors"}]
    assert info["autoRollbackConfiguration"] == {"enabled": True, "events": ["DEPLOYMENT_STOP_ON_ALARM"]}
    updated = ok(aws(url, "update-deployment-group", "--application-name", "checkout-app",
                     "--current-deployment-group-name", "prod", "--new-deployment-group-name", "live",
                     "--deployment-config-name", "CodeDeployDefault.LambdaLinear10PercentEvery1Minute"))  # fmt: skip
    assert updated["hooksNotCleanedUp"] == []
    listed = ok(aws(url, "list-deployment-groups", "--application-name", "checkout-app"))
    assert listed["deploymentGroups"] == ["live"]
    ok(aws(url, "delete-deployment-group", "--application-name", "checkout-app", "--deployment-group-name", "live"))
    assert not DeploymentGroup.objects.exists()


def test_the_cli_prints_deployment_group_errors(live_server):
    url = live_server.url
    ok(aws(url, "create-application", "--application-name", "checkout-app", "--compute-platform", "Lambda"))
    create = ("create-deployment-group", "--application-name", "checkout-app", "--deployment-group-name", "prod",
              "--service-role-arn", ROLE)  # fmt: skip
    ok(aws(url, *create))
    failed(
        aws(url, *create),
        "DeploymentGroupAlreadyExistsException",
        "CreateDeploymentGroup",
        f"A deployment group with the specified name {ACCOUNT} already exists.",
    )
    failed(
        aws(url, "get-deployment-group", "--application-name", "checkout-app", "--deployment-group-name", "ghost"),
        "DeploymentGroupDoesNotExistException",
        "GetDeploymentGroup",
        f"The named deployment group {ACCOUNT} does not exist.",
    )
    failed(
        aws(url, "create-deployment-group", "--application-name", "checkout-app", "--deployment-group-name", "beta",
            "--service-role-arn", ROLE, "--deployment-config-name", "CodeDeployDefault.LambdaCanary1Percent1Minute"),
        "DeploymentConfigDoesNotExistException",
        "CreateDeploymentGroup",
        f"The deployment configuration does not exist {ACCOUNT}.",
    )  # fmt: skip
    failed(
        aws(url, "create-deployment-group", "--application-name", "checkout-app", "--deployment-group-name", "beta",
            "--service-role-arn", "not-a-role"),
        "InvalidRoleException",
        "CreateDeploymentGroup",
        "The service role ARN was specified in an invalid format.",
    )  # fmt: skip


def test_the_cli_lists_creates_reads_and_deletes_deployment_configs(live_server):
    url = live_server.url
    listed = ok(aws(url, "list-deployment-configs"))["deploymentConfigsList"]
    assert "CodeDeployDefault.LambdaCanary10Percent5Minutes" in listed and len(listed) == 9
    routing = json.dumps({"type": "TimeBasedLinear", "timeBasedLinear": {"linearPercentage": 20, "linearInterval": 2}})
    created = ok(aws(url, "create-deployment-config", "--deployment-config-name", "Linear20Every2",
                     "--compute-platform", "Lambda", "--traffic-routing-config", routing))  # fmt: skip
    info = ok(aws(url, "get-deployment-config", "--deployment-config-name", "Linear20Every2"))["deploymentConfigInfo"]
    assert info["deploymentConfigId"] == created["deploymentConfigId"]
    assert info["trafficRoutingConfig"] == json.loads(routing)
    ok(aws(url, "delete-deployment-config", "--deployment-config-name", "Linear20Every2"))
    assert len(ok(aws(url, "list-deployment-configs"))["deploymentConfigsList"]) == 9


def test_the_cli_prints_deployment_config_errors(live_server):
    url = live_server.url
    failed(
        aws(url, "get-deployment-config", "--deployment-config-name", "Nope"),
        "DeploymentConfigDoesNotExistException",
        "GetDeploymentConfig",
        f"The deployment configuration does not exist {ACCOUNT}.",
    )
    failed(
        aws(url, "create-deployment-config", "--deployment-config-name", "CodeDeployDefault.LambdaAllAtOnce",
            "--compute-platform", "Lambda", "--traffic-routing-config", "type=AllAtOnce"),
        "DeploymentConfigAlreadyExistsException",
        "CreateDeploymentConfig",
        f"A deployment configuration with the specified name {ACCOUNT} already exists.",
    )  # fmt: skip
    failed(
        aws(url, "create-deployment-config", "--deployment-config-name", "Bad", "--compute-platform", "Lambda",
            "--traffic-routing-config", "type=TimeBasedCanary,timeBasedCanary={canaryPercentage=0,canaryInterval=5}"),
        "InvalidTrafficRoutingConfigurationException",
        "CreateDeploymentConfig",
        "The configuration that specifies how traffic is routed during a deployment is invalid.",
    )  # fmt: skip
    failed(
        aws(url, "delete-deployment-config", "--deployment-config-name", "CodeDeployDefault.LambdaAllAtOnce"),
        "InvalidOperationException",
        "DeleteDeploymentConfig",
        "An invalid operation was detected.",
    )


def test_the_cli_creates_gets_and_lists_a_deployment_and_prints_an_appspec_error(live_server):
    from invocations import services
    from tests.factories import make_function, make_versions

    url = live_server.url
    function = make_function("checkout")
    make_versions(function, 0.0, 0.1)  # two different profiles: two versions
    services.alias_create(function=function, name="prod", function_version="1")
    ok(aws(url, "create-application", "--application-name", "checkout-app", "--compute-platform", "Lambda"))
    ok(aws(url, "create-deployment-group", "--application-name", "checkout-app", "--deployment-group-name", "prod",
           "--service-role-arn", ROLE))  # fmt: skip
    properties = {"Name": "checkout", "Alias": "prod", "CurrentVersion": "1", "TargetVersion": "2"}
    spec = {"version": 0.0, "Resources": [{"checkout": {"Type": "AWS::Lambda::Function", "Properties": properties}}]}
    revision = json.dumps({"revisionType": "AppSpecContent", "appSpecContent": {"content": json.dumps(spec)}})
    created = ok(aws(url, "create-deployment", "--application-name", "checkout-app", "--deployment-group-name", "prod",
                     "--revision", revision))  # fmt: skip
    info = ok(aws(url, "get-deployment", "--deployment-id", created["deploymentId"]))["deploymentInfo"]
    assert (info["status"], info["deploymentConfigName"]) == ("Created", "CodeDeployDefault.LambdaAllAtOnce")
    listed = ok(aws(url, "list-deployments", "--application-name", "checkout-app", "--deployment-group-name", "prod"))
    assert listed["deployments"] == [created["deploymentId"]]
    properties["TargetVersion"] = "1"
    same = json.dumps({"revisionType": "String", "string": {"content": json.dumps(spec)}})
    result = aws(url, "create-deployment", "--application-name", "checkout-app", "--deployment-group-name", "prod",
                 "--revision", same)  # fmt: skip
    failed(result, "InvalidRevisionException", "CreateDeployment", "The revision was specified in an invalid format.")
