"""CreateDeployment with an AppSpec revision, GetDeployment and ListDeployments through real boto3 in both
protocols (issue 14 point 1). Deployments are stored, not run yet: each stays Created and active."""

from __future__ import annotations

import hashlib
import json

import pytest

from invocations import services
from invocations.models import Deployment
from tests.factories import make_function, make_versions

from .conftest import error_of
from .test_codedeploy_api import ACCOUNT, ROLE, cd, refused  # noqa: F401  (cd is the fixture)

pytestmark = pytest.mark.django_db(transaction=True)

APPSPEC = """
version: 0.0
Resources:
  - checkout:
      Type: AWS::Lambda::Function
      Properties: {Name: checkout, Alias: prod, CurrentVersion: "1", TargetVersion: "2"}
Hooks:
  - BeforeAllowTraffic: pre-traffic-check
"""


def revision(content: str = APPSPEC, kind: str = "AppSpecContent") -> dict:
    member = "appSpecContent" if kind == "AppSpecContent" else "string"
    return {"revisionType": kind, member: {"content": content}}


@pytest.fixture
def deployable(cd):  # noqa: F811
    function = make_function("checkout")
    make_versions(function, 0.0, 0.2)
    services.alias_create(function=function, name="prod", function_version="1")
    make_function("pre-traffic-check")
    cd.create_application(applicationName="checkout-app", computePlatform="Lambda")
    cd.create_deployment_group(
        applicationName="checkout-app",
        deploymentGroupName="prod",
        serviceRoleArn=ROLE,
        deploymentConfigName="CodeDeployDefault.LambdaCanary10Percent5Minutes",
        autoRollbackConfiguration={"enabled": True, "events": ["DEPLOYMENT_STOP_ON_ALARM"]},
    )
    return cd


def deploy(client, **kw):
    params = {"applicationName": "checkout-app", "deploymentGroupName": "prod", "revision": revision(), **kw}
    return client.create_deployment(**params)


def test_a_deployment_is_stored_with_its_revision_and_read_back(deployable):
    created = deploy(deployable, description="v2 to prod")
    info = deployable.get_deployment(deploymentId=created["deploymentId"])["deploymentInfo"]
    assert info["deploymentId"] == created["deploymentId"] and info["deploymentId"].startswith("d-")
    assert (info["applicationName"], info["deploymentGroupName"], info["status"]) == ("checkout-app", "prod", "Created")
    assert info["deploymentConfigName"] == "CodeDeployDefault.LambdaCanary10Percent5Minutes"
    assert info["computePlatform"] == "Lambda" and info["description"] == "v2 to prod"
    assert info["revision"] == {
        "revisionType": "AppSpecContent",
        "appSpecContent": {"content": APPSPEC, "sha256": hashlib.sha256(APPSPEC.encode()).hexdigest()},
    }
    assert info["autoRollbackConfiguration"] == {"enabled": True, "events": ["DEPLOYMENT_STOP_ON_ALARM"]}
    row = Deployment.objects.get()
    assert (row.function_name, row.alias_name, row.current_version, row.target_version) == (
        "checkout",
        "prod",
        "1",
        "2",
    )
    assert row.hooks == {"BeforeAllowTraffic": "pre-traffic-check"}


def test_deployments_are_listed_for_the_account_and_for_a_group(deployable):
    created = deploy(deployable, revision=revision(json.dumps(json_spec()), kind="String"))["deploymentId"]
    assert deployable.list_deployments()["deployments"] == [created]
    listed = deployable.list_deployments(applicationName="checkout-app", deploymentGroupName="prod")
    assert listed["deployments"] == [created]
    assert deployable.list_deployments(includeOnlyStatuses=["Succeeded"])["deployments"] == []


def json_spec() -> dict:
    properties = {"Name": "checkout", "Alias": "prod", "CurrentVersion": "1", "TargetVersion": "2"}
    return {"version": "0.0", "Resources": [{"checkout": {"Type": "AWS::Lambda::Function", "Properties": properties}}]}


def test_a_second_deployment_while_one_is_active_is_refused(deployable):
    first = deploy(deployable)["deploymentId"]
    refused(
        lambda: deploy(deployable),
        "DeploymentLimitExceededException",
        f"The Deployment Group 'prod' already has an active Deployment '{first}'",
    )
    assert Deployment.objects.count() == 1


@pytest.mark.parametrize(
    ("appspec", "cause"),
    [
        (APPSPEC.replace('TargetVersion: "2"', 'TargetVersion: "1"'), "must differ from the CurrentVersion"),
        (APPSPEC.replace("Alias: prod", "Alias: canary"), "The alias canary of checkout does not exist."),
        (
            APPSPEC.replace('CurrentVersion: "1"', 'CurrentVersion: "2"').replace('"2"}', '"1"}'),
            "not to CurrentVersion",
        ),
        (APPSPEC.replace('TargetVersion: "2"', "TargetVersion: $LATEST"), "$LATEST cannot be"),
        (APPSPEC.replace("pre-traffic-check", "ghost-hook"), "hook function ghost-hook does not exist"),
        ("version: 0.0\nResources: []\n", "exactly one resource"),
    ],
)
def test_a_bad_appspec_is_refused_and_nothing_is_stored(deployable, appspec, cause):
    error = error_of(lambda: deploy(deployable, revision=revision(appspec))).response["Error"]
    assert error["Code"] == "InvalidRevisionException" and cause in error["Message"]
    assert not Deployment.objects.exists()


def test_unknown_application_group_revision_and_deployment_are_refused(deployable):
    refused(
        lambda: deploy(deployable, applicationName="ghost"),
        "ApplicationDoesNotExistException",
        f"The application does not exist {ACCOUNT}.",
    )
    refused(
        lambda: deploy(deployable, deploymentGroupName="ghost"),
        "DeploymentGroupDoesNotExistException",
        f"The named deployment group {ACCOUNT} does not exist.",
    )
    refused(
        lambda: deploy(deployable, deploymentConfigName="CodeDeployDefault.Nope"),
        "DeploymentConfigDoesNotExistException",
    )
    refused(
        lambda: deploy(deployable, revision={"revisionType": "S3", "s3Location": {"bucket": "b", "key": "k"}}),
        "InvalidRevisionException",
    )
    refused(
        lambda: deployable.get_deployment(deploymentId="d-AAAAAAAAA"),
        "DeploymentDoesNotExistException",
        f"The deployment {ACCOUNT} does not exist.",
    )
    refused(
        lambda: deployable.get_deployment(deploymentId="not-an-id"),
        "InvalidDeploymentIdException",
        "At least one of the deployment IDs was specified in an invalid format.",
    )
    refused(
        lambda: deployable.list_deployments(applicationName="checkout-app"),
        "DeploymentGroupNameRequiredException",
    )
    assert not Deployment.objects.exists()
