"""The CodeDeploy API for Lambda (issue 14 point 1) through real boto3, in both protocols: awsJson1_1 (what
botocore resolves today) and Smithy RPC v2 CBOR (forced through the model). Every operation, every error by
AWS's type and message, and nothing written by a refused call."""

from __future__ import annotations

import pytest

from invocations.models import CodeDeployApplication, DeploymentConfig, DeploymentGroup

from .codedeploy_clients import codedeploy_client
from .conftest import error_of

pytestmark = pytest.mark.django_db(transaction=True)

ROLE = "arn:aws:iam::123456789012:role/CodeDeployServiceRole"
PREDEFINED = [
    "CodeDeployDefault.LambdaAllAtOnce",
    "CodeDeployDefault.LambdaCanary10Percent10Minutes",
    "CodeDeployDefault.LambdaCanary10Percent15Minutes",
    "CodeDeployDefault.LambdaCanary10Percent30Minutes",
    "CodeDeployDefault.LambdaCanary10Percent5Minutes",
    "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes",
    "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
    "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes",
    "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes",
]
ACCOUNT = "with the user or Amazon Web Services account"


@pytest.fixture(params=["json", "smithy-rpc-v2-cbor"])
def cd(request, live_server, tmp_path_factory):
    protocol = None if request.param == "json" else request.param
    return codedeploy_client(live_server.url, protocol=protocol, models=tmp_path_factory.getbasetemp() / "models")


@pytest.fixture
def raw(live_server):
    """A client without botocore's own parameter checks, so the server's validation answers."""
    return codedeploy_client(live_server.url, validate=False)


def refused(call, error_type: str, message: str | None = None) -> None:
    error = error_of(call).response
    assert error["Error"]["Code"] == error_type, error
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    if message is not None:
        assert error["Error"]["Message"] == message


@pytest.fixture
def app(cd):
    cd.create_application(applicationName="checkout-app", computePlatform="Lambda")
    return cd


def group(cd, name="prod", **kw):
    return cd.create_deployment_group(
        applicationName="checkout-app", deploymentGroupName=name, serviceRoleArn=ROLE, **kw
    )


# --- applications ----------------------------------------------------------------------------------------------


def test_applications_are_created_read_listed_and_deleted(cd):
    created = cd.create_application(applicationName="checkout-app", computePlatform="Lambda")
    info = cd.get_application(applicationName="checkout-app")["application"]
    assert info["applicationId"] == created["applicationId"]
    assert (info["applicationName"], info["computePlatform"], info["linkedToGitHub"]) == (
        "checkout-app",
        "Lambda",
        False,
    )
    assert info["createTime"].year >= 2026
    cd.create_application(applicationName="another")
    assert cd.list_applications()["applications"] == ["another", "checkout-app"]
    batch = cd.batch_get_applications(applicationNames=["another", "checkout-app"])["applicationsInfo"]
    assert [(a["applicationName"], a["computePlatform"]) for a in batch] == [
        ("another", "Server"),
        ("checkout-app", "Lambda"),
    ]
    cd.delete_application(applicationName="another")
    cd.delete_application(applicationName="never-was")  # DeleteApplication names no missing-application error
    assert cd.list_applications()["applications"] == ["checkout-app"]


def test_a_duplicate_application_is_refused_and_the_first_one_kept(app):
    refused(
        lambda: app.create_application(applicationName="checkout-app", computePlatform="Server"),
        "ApplicationAlreadyExistsException",
        f"An application with the specified name {ACCOUNT} already exists.",
    )
    assert app.get_application(applicationName="checkout-app")["application"]["computePlatform"] == "Lambda"


def test_an_unknown_application_is_refused_by_every_operation_that_reads_it(cd):
    message = f"The application does not exist {ACCOUNT}."
    refused(lambda: cd.get_application(applicationName="ghost"), "ApplicationDoesNotExistException", message)
    refused(lambda: cd.batch_get_applications(applicationNames=["ghost"]), "ApplicationDoesNotExistException")
    refused(lambda: cd.list_deployment_groups(applicationName="ghost"), "ApplicationDoesNotExistException")
    refused(
        lambda: cd.create_deployment_group(applicationName="ghost", deploymentGroupName="g", serviceRoleArn=ROLE),
        "ApplicationDoesNotExistException",
        message,
    )
    assert not DeploymentGroup.objects.exists()


def test_application_names_and_platforms_are_checked_by_the_server(raw):
    refused(
        lambda: raw.create_application(applicationName=""),
        "ApplicationNameRequiredException",
        "The minimum number of required application names was not specified.",
    )
    refused(
        lambda: raw.create_application(applicationName="a" * 101),
        "InvalidApplicationNameException",
        "The application name was specified in an invalid format.",
    )
    refused(
        lambda: raw.create_application(applicationName="x", computePlatform="Mainframe"),
        "InvalidComputePlatformException",
        "The computePlatform is invalid. The computePlatform should be Lambda, Server, or ECS.",
    )
    assert not CodeDeployApplication.objects.exists()


def test_an_invalid_next_token_is_refused(cd):
    refused(
        lambda: cd.list_applications(nextToken="not-a-token"),
        "InvalidNextTokenException",
        "The next token was specified in an invalid format.",
    )


def test_applications_are_listed_in_pages_of_100(cd):
    CodeDeployApplication.objects.bulk_create(CodeDeployApplication(name=f"app-{i:03d}") for i in range(150))
    first = cd.list_applications()
    second = cd.list_applications(nextToken=first["nextToken"])
    assert (len(first["applications"]), len(second["applications"]), "nextToken" in second) == (100, 50, False)
    assert first["applications"] + second["applications"] == [f"app-{i:03d}" for i in range(150)]


# --- deployment groups -----------------------------------------------------------------------------------------


def test_a_lambda_deployment_group_keeps_role_config_style_alarms_and_rollback(app):
    created = group(
        app,
        deploymentConfigName="CodeDeployDefault.LambdaCanary10Percent5Minutes",
        deploymentStyle={"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
        alarmConfiguration={"enabled": True, "ignorePollAlarmFailure": False, "alarms": [{"name": "checkout-errors"}]},
        autoRollbackConfiguration={"enabled": True, "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]},
    )
    info = app.get_deployment_group(applicationName="checkout-app", deploymentGroupName="prod")["deploymentGroupInfo"]
    assert info["deploymentGroupId"] == created["deploymentGroupId"]
    assert (info["applicationName"], info["deploymentGroupName"], info["computePlatform"]) == (
        "checkout-app",
        "prod",
        "Lambda",
    )
    assert info["serviceRoleArn"] == ROLE
    assert info["deploymentConfigName"] == "CodeDeployDefault.LambdaCanary10Percent5Minutes"
    assert info["deploymentStyle"] == {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"}
    assert info["alarmConfiguration"] == {
        "enabled": True,
        "ignorePollAlarmFailure": False,
        "alarms": [{"name": "checkout-errors"}],
    }
    assert info["autoRollbackConfiguration"] == {
        "enabled": True,
        "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
    }


def test_a_lambda_group_without_a_config_or_style_gets_aws_defaults(app):
    group(app)
    info = app.get_deployment_group(applicationName="checkout-app", deploymentGroupName="prod")["deploymentGroupInfo"]
    assert info["deploymentConfigName"] == "CodeDeployDefault.LambdaAllAtOnce"
    assert info["deploymentStyle"] == {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"}
    assert info["alarmConfiguration"] == {"enabled": False, "ignorePollAlarmFailure": False, "alarms": []}
    assert info["autoRollbackConfiguration"] == {"enabled": False, "events": []}


def test_deployment_groups_are_updated_renamed_listed_and_deleted(app):
    group(app, "prod")
    group(app, "beta")
    answer = app.update_deployment_group(
        applicationName="checkout-app",
        currentDeploymentGroupName="beta",
        newDeploymentGroupName="staging",
        deploymentConfigName="CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
        autoRollbackConfiguration={"enabled": True, "events": ["DEPLOYMENT_STOP_ON_REQUEST"]},
    )
    assert answer["hooksNotCleanedUp"] == []
    listed = app.list_deployment_groups(applicationName="checkout-app")
    assert (listed["applicationName"], listed["deploymentGroups"]) == ("checkout-app", ["prod", "staging"])
    info = app.get_deployment_group(applicationName="checkout-app", deploymentGroupName="staging")
    info = info["deploymentGroupInfo"]
    assert info["deploymentConfigName"] == "CodeDeployDefault.LambdaLinear10PercentEvery1Minute"
    assert info["autoRollbackConfiguration"] == {"enabled": True, "events": ["DEPLOYMENT_STOP_ON_REQUEST"]}
    assert info["serviceRoleArn"] == ROLE  # what the update did not name stays
    deleted = app.delete_deployment_group(applicationName="checkout-app", deploymentGroupName="staging")
    assert deleted["hooksNotCleanedUp"] == []
    app.delete_deployment_group(applicationName="checkout-app", deploymentGroupName="never-was")
    assert app.list_deployment_groups(applicationName="checkout-app")["deploymentGroups"] == ["prod"]


def test_deleting_an_application_deletes_its_groups(app):
    group(app)
    app.delete_application(applicationName="checkout-app")
    assert not DeploymentGroup.objects.exists()


def test_a_duplicate_group_and_a_rename_onto_another_group_are_refused(app):
    group(app, "prod")
    group(app, "beta")
    message = f"A deployment group with the specified name {ACCOUNT} already exists."
    refused(lambda: group(app, "prod"), "DeploymentGroupAlreadyExistsException", message)
    refused(
        lambda: app.update_deployment_group(
            applicationName="checkout-app", currentDeploymentGroupName="beta", newDeploymentGroupName="prod"
        ),
        "DeploymentGroupAlreadyExistsException",
        message,
    )
    assert sorted(DeploymentGroup.objects.values_list("name", flat=True)) == ["beta", "prod"]


def test_an_unknown_group_is_refused(app):
    message = f"The named deployment group {ACCOUNT} does not exist."
    refused(
        lambda: app.get_deployment_group(applicationName="checkout-app", deploymentGroupName="ghost"),
        "DeploymentGroupDoesNotExistException",
        message,
    )
    refused(
        lambda: app.update_deployment_group(applicationName="checkout-app", currentDeploymentGroupName="ghost"),
        "DeploymentGroupDoesNotExistException",
        message,
    )


def test_a_group_naming_an_unknown_config_is_refused_and_not_created(app):
    refused(
        lambda: group(app, deploymentConfigName="CodeDeployDefault.LambdaCanary10Percent7Minutes"),
        "DeploymentConfigDoesNotExistException",
        f"The deployment configuration does not exist {ACCOUNT}.",
    )
    assert not DeploymentGroup.objects.exists()


@pytest.mark.parametrize(
    ("given", "error_type"),
    [
        ({"serviceRoleArn": ""}, "RoleRequiredException"),
        ({"serviceRoleArn": "not-an-arn"}, "InvalidRoleException"),
        ({"deploymentGroupName": ""}, "DeploymentGroupNameRequiredException"),
        ({"deploymentGroupName": "g" * 101}, "InvalidDeploymentGroupNameException"),
        ({"deploymentConfigName": "c" * 101}, "InvalidDeploymentConfigNameException"),
        ({"deploymentStyle": {"deploymentType": "IN_PLACE"}}, "InvalidDeploymentStyleException"),
        ({"deploymentStyle": {"deploymentType": "SIDEWAYS"}}, "InvalidDeploymentStyleException"),
        ({"alarmConfiguration": {"enabled": True, "alarms": []}}, "InvalidAlarmConfigException"),
        ({"alarmConfiguration": {"alarms": [{"name": "a"}, {"name": "a"}]}}, "InvalidAlarmConfigException"),
        ({"alarmConfiguration": {"alarms": [{"name": ""}]}}, "InvalidAlarmConfigException"),
        ({"alarmConfiguration": {"alarms": [{"name": f"a{i}"} for i in range(11)]}}, "AlarmsLimitExceededException"),
        ({"autoRollbackConfiguration": {"enabled": True, "events": []}}, "InvalidAutoRollbackConfigException"),
        (
            {"autoRollbackConfiguration": {"enabled": True, "events": ["WHENEVER"]}},
            "InvalidAutoRollbackConfigException",
        ),
    ],
)
def test_bad_group_settings_get_aws_errors_and_write_nothing(raw, given, error_type):
    raw.create_application(applicationName="checkout-app", computePlatform="Lambda")
    params = {"applicationName": "checkout-app", "deploymentGroupName": "prod", "serviceRoleArn": ROLE, **given}
    refused(lambda: raw.create_deployment_group(**params), error_type)
    assert not DeploymentGroup.objects.exists()


def test_the_documented_messages_of_role_and_alarm_refusals(raw):
    raw.create_application(applicationName="checkout-app", computePlatform="Lambda")
    refused(
        lambda: raw.create_deployment_group(applicationName="checkout-app", deploymentGroupName="g", serviceRoleArn=""),
        "RoleRequiredException",
        "The role ID was not specified.",
    )
    refused(
        lambda: raw.create_deployment_group(
            applicationName="checkout-app",
            deploymentGroupName="g",
            serviceRoleArn=ROLE,
            alarmConfiguration={"alarms": [{"name": f"a{i}"} for i in range(11)]},
        ),
        "AlarmsLimitExceededException",
        "The maximum number of alarms for a deployment group (10) was exceeded.",
    )


def test_a_refused_update_changes_nothing(app):
    group(app, deploymentConfigName="CodeDeployDefault.LambdaCanary10Percent5Minutes")
    refused(
        lambda: app.update_deployment_group(
            applicationName="checkout-app",
            currentDeploymentGroupName="prod",
            newDeploymentGroupName="renamed",
            deploymentConfigName="CodeDeployDefault.Nope",
        ),
        "DeploymentConfigDoesNotExistException",
    )
    (row,) = DeploymentGroup.objects.all()
    assert (row.name, row.deployment_config_name) == ("prod", "CodeDeployDefault.LambdaCanary10Percent5Minutes")


# --- deployment configs ----------------------------------------------------------------------------------------


def test_every_predefined_lambda_config_is_listed_and_described_with_its_timings(cd):
    assert cd.list_deployment_configs()["deploymentConfigsList"] == PREDEFINED
    canary = cd.get_deployment_config(deploymentConfigName="CodeDeployDefault.LambdaCanary10Percent30Minutes")
    canary = canary["deploymentConfigInfo"]
    assert (canary["computePlatform"], canary["trafficRoutingConfig"]) == (
        "Lambda",
        {"type": "TimeBasedCanary", "timeBasedCanary": {"canaryPercentage": 10, "canaryInterval": 30}},
    )
    linear = cd.get_deployment_config(deploymentConfigName="CodeDeployDefault.LambdaLinear10PercentEvery3Minutes")
    assert linear["deploymentConfigInfo"]["trafficRoutingConfig"] == {
        "type": "TimeBasedLinear",
        "timeBasedLinear": {"linearPercentage": 10, "linearInterval": 3},
    }
    once = cd.get_deployment_config(deploymentConfigName="CodeDeployDefault.LambdaAllAtOnce")
    assert once["deploymentConfigInfo"]["trafficRoutingConfig"] == {"type": "AllAtOnce"}


def test_custom_configs_are_created_described_listed_and_deleted(cd):
    routing = {"type": "TimeBasedCanary", "timeBasedCanary": {"canaryPercentage": 25, "canaryInterval": 7}}
    created = cd.create_deployment_config(
        deploymentConfigName="Canary25Percent7Minutes", computePlatform="Lambda", trafficRoutingConfig=routing
    )
    info = cd.get_deployment_config(deploymentConfigName="Canary25Percent7Minutes")["deploymentConfigInfo"]
    assert info["deploymentConfigId"] == created["deploymentConfigId"]
    assert (info["computePlatform"], info["trafficRoutingConfig"]) == ("Lambda", routing)
    assert "Canary25Percent7Minutes" in cd.list_deployment_configs()["deploymentConfigsList"]
    cd.delete_deployment_config(deploymentConfigName="Canary25Percent7Minutes")
    cd.delete_deployment_config(deploymentConfigName="never-was")
    assert cd.list_deployment_configs()["deploymentConfigsList"] == PREDEFINED


def test_a_custom_linear_config_can_be_a_groups_config(app):
    routing = {"type": "TimeBasedLinear", "timeBasedLinear": {"linearPercentage": 30, "linearInterval": 4}}
    app.create_deployment_config(
        deploymentConfigName="Linear30", computePlatform="Lambda", trafficRoutingConfig=routing
    )
    group(app, deploymentConfigName="Linear30")
    info = app.get_deployment_group(applicationName="checkout-app", deploymentGroupName="prod")["deploymentGroupInfo"]
    assert info["deploymentConfigName"] == "Linear30"


def test_a_config_in_use_and_a_predefined_config_cannot_be_deleted(app):
    routing = {"type": "AllAtOnce"}
    app.create_deployment_config(deploymentConfigName="Mine", computePlatform="Lambda", trafficRoutingConfig=routing)
    group(app, deploymentConfigName="Mine")
    refused(
        lambda: app.delete_deployment_config(deploymentConfigName="Mine"),
        "DeploymentConfigInUseException",
        "The deployment configuration is still in use.",
    )
    refused(
        lambda: app.delete_deployment_config(deploymentConfigName="CodeDeployDefault.LambdaAllAtOnce"),
        "InvalidOperationException",
        "An invalid operation was detected.",
    )
    assert DeploymentConfig.objects.filter(name="Mine").exists()


def test_a_duplicate_config_name_is_refused(cd):
    routing = {"type": "AllAtOnce"}
    message = f"A deployment configuration with the specified name {ACCOUNT} already exists."
    cd.create_deployment_config(deploymentConfigName="Mine", computePlatform="Lambda", trafficRoutingConfig=routing)
    for name in ("Mine", "CodeDeployDefault.LambdaAllAtOnce"):
        refused(
            lambda name=name: cd.create_deployment_config(
                deploymentConfigName=name, computePlatform="Lambda", trafficRoutingConfig=routing
            ),
            "DeploymentConfigAlreadyExistsException",
            message,
        )
    assert DeploymentConfig.objects.count() == 1


def test_an_unknown_config_is_refused(cd):
    refused(
        lambda: cd.get_deployment_config(deploymentConfigName="CodeDeployDefault.LambdaCanary50Percent1Minute"),
        "DeploymentConfigDoesNotExistException",
        f"The deployment configuration does not exist {ACCOUNT}.",
    )


NO_NAME = "The deployment configuration name was not specified."
BAD_NAME = "The deployment configuration name was specified in an invalid format."
BAD_ROUTING = "The configuration that specifies how traffic is routed during a deployment is invalid."
BAD_HOSTS = "The minimum healthy instance value was specified in an invalid format."


def canary(percentage: int, interval: int) -> dict:
    detail = {"canaryPercentage": percentage, "canaryInterval": interval}
    return {"type": "TimeBasedCanary", "timeBasedCanary": detail}


def linear(percentage: int, interval: int) -> dict:
    detail = {"linearPercentage": percentage, "linearInterval": interval}
    return {"type": "TimeBasedLinear", "timeBasedLinear": detail}


@pytest.mark.parametrize(
    ("params", "error_type", "message"),
    [
        ({"deploymentConfigName": ""}, "DeploymentConfigNameRequiredException", NO_NAME),
        ({"deploymentConfigName": "c" * 101}, "InvalidDeploymentConfigNameException", BAD_NAME),
        ({"trafficRoutingConfig": {"type": "TimeBasedCanary"}}, "InvalidTrafficRoutingConfigurationException", None),
        ({"trafficRoutingConfig": canary(0, 5)}, "InvalidTrafficRoutingConfigurationException", BAD_ROUTING),
        ({"trafficRoutingConfig": canary(100, 5)}, "InvalidTrafficRoutingConfigurationException", BAD_ROUTING),
        ({"trafficRoutingConfig": linear(10, 0)}, "InvalidTrafficRoutingConfigurationException", BAD_ROUTING),
        ({"trafficRoutingConfig": {"type": "Sometimes"}}, "InvalidTrafficRoutingConfigurationException", None),
        ({"trafficRoutingConfig": None}, "InvalidTrafficRoutingConfigurationException", None),
        ({"computePlatform": "Mainframe"}, "InvalidComputePlatformException", None),
        (
            {"computePlatform": "Server", "trafficRoutingConfig": None},
            "InvalidMinimumHealthyHostValueException",
            BAD_HOSTS,
        ),
    ],
)
def test_bad_configs_get_aws_errors_and_write_nothing(raw, params, error_type, message):
    base = {
        "deploymentConfigName": "Mine",
        "computePlatform": "Lambda",
        "trafficRoutingConfig": {"type": "AllAtOnce"},
    }
    call = {k: v for k, v in {**base, **params}.items() if v is not None}
    refused(lambda: raw.create_deployment_config(**call), error_type, message)
    assert not DeploymentConfig.objects.exists()


def test_a_server_config_keeps_its_minimum_healthy_hosts(cd):
    cd.create_deployment_config(
        deploymentConfigName="HalfTheFleet", minimumHealthyHosts={"type": "FLEET_PERCENT", "value": 50}
    )
    info = cd.get_deployment_config(deploymentConfigName="HalfTheFleet")["deploymentConfigInfo"]
    assert (info["computePlatform"], info["minimumHealthyHosts"]) == ("Server", {"type": "FLEET_PERCENT", "value": 50})


def test_a_lambda_group_cannot_use_a_server_config(app):
    app.create_deployment_config(deploymentConfigName="Hosts", minimumHealthyHosts={"type": "HOST_COUNT", "value": 1})
    refused(lambda: group(app, deploymentConfigName="Hosts"), "InvalidDeploymentConfigNameException")
    assert not DeploymentGroup.objects.exists()
