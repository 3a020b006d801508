"""The teacher's admin: every model's pages load, secrets stay masked, and writes follow the AWS rules."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from invocations import services
from invocations.models import (
    Alias,
    CodeDeployApplication,
    Deployment,
    DeploymentConfig,
    DeploymentGroup,
    Function,
    FunctionUrlConfig,
    InvocationRecord,
    RecordJournalMark,
    ResourcePolicy,
    ScalableTarget,
    ScalingActivity,
    ScalingPolicy,
    ScheduledAction,
    Version,
)
from invocations.runtime.records import records_compact
from invocations.services import cloudwatch
from invocations.services.demo import demo_seed

pytestmark = pytest.mark.django_db

MODELS = sorted(apps.get_app_config("invocations").get_models(), key=lambda model: model.__name__)
# Published versions are never added by hand; the account is one row that already exists.
# Invocation records are written by the runtime only; alarms and their history by the CloudWatch API.
NO_ADD = {
    "Version",
    "AccountSettings",
    "InvocationRecord",
    "InvocationMinute",
    "RecordJournalMark",
    "MetricAlarm",
    "AlarmHistoryItem",
    # Written through their AWS APIs only (invocations/admin/aws_services.py).
    "CodeDeployApplication",
    "DeploymentGroup",
    "DeploymentConfig",
    "Deployment",
    "ResourcePolicy",
    "FunctionUrlConfig",
    "ScalableTarget",
    "ScalingPolicy",
    "ScheduledAction",
    "ScalingActivity",
}


@pytest.fixture
def demo():
    demo_seed()
    checkout = Function.objects.get(name="checkout")
    services.function_concurrency_put(function=checkout, reserved_concurrent_executions=50)
    services.provisioned_concurrency_put(function=checkout, qualifier="prod", provisioned_concurrent_executions=5)
    InvocationRecord.objects.create(
        request_id="r-1",
        function="checkout",
        qualifier="prod",
        executed_version="1",
        source="sdk",
        invocation_type="RequestResponse",
        outcome="Success",
        started_at=60.0,
        completed_at=60.1,
    )
    records_compact(older_than=120.0)
    RecordJournalMark.objects.create(epoch="e1", seq=41)  # the record writer's mark (runtime/record_journal.py)
    InvocationRecord.objects.create(
        request_id="r-2",
        function="checkout",
        qualifier="prod",
        executed_version="2",
        source="sdk",
        invocation_type="RequestResponse",
        outcome="FunctionError",
        started_at=200.0,
        completed_at=200.1,
    )
    cloudwatch.put_metric_alarm(
        {
            "AlarmName": "checkout-errors",
            "Namespace": "AWS/Lambda",
            "MetricName": "Errors",
            "Dimensions": [{"Name": "FunctionName", "Value": "checkout"}],
            "Statistic": "Sum",
            "Period": 60,
            "EvaluationPeriods": 1,
            "Threshold": 1,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        }
    )  # its history gets the ConfigurationUpdate item
    _aws_service_rows(checkout)
    return checkout


def _aws_service_rows(checkout: Function) -> None:
    """One row of each model the CodeDeploy, Auto Scaling and policy / URL APIs write (their admin is read-only)."""
    prod = Alias.objects.get(function=checkout, name="prod")
    ResourcePolicy.objects.create(function=checkout, statements=[{"Sid": "apigw", "Effect": "Allow"}])
    FunctionUrlConfig.objects.create(function=checkout, alias=prod, auth_type="NONE")
    app = CodeDeployApplication.objects.create(name="checkout-app", compute_platform="Lambda")
    group = DeploymentGroup.objects.create(
        application=app,
        name="prod",
        service_role_arn="arn:aws:iam::123456789012:role/CodeDeploy",
        deployment_config_name="CodeDeployDefault.LambdaAllAtOnce",
        deployment_type="BLUE_GREEN",
        deployment_option="WITH_TRAFFIC_CONTROL",
    )
    DeploymentConfig.objects.create(name="Canary20Percent1Minute", compute_platform="Lambda")
    Deployment.objects.create(
        deployment_id="d-ADMIN0001",
        group=group,
        deployment_config_name="CodeDeployDefault.LambdaAllAtOnce",
        function_name="checkout",
        alias_name="prod",
        current_version="1",
        target_version="2",
    )
    target = ScalableTarget.objects.create(
        service_namespace="lambda",
        resource_id="function:checkout:prod",
        scalable_dimension="lambda:function:ProvisionedConcurrency",
        min_capacity=1,
        max_capacity=10,
        role_arn="arn:aws:iam::123456789012:role/AutoScaling",
        created_at=0.0,
    )
    ScalingPolicy.objects.create(
        target=target,
        name="utilization",
        policy_type="TargetTrackingScaling",
        configuration={},
        uuid="u-1",
        created_at=0.0,
    )
    ScheduledAction.objects.create(
        target=target, name="morning", schedule="cron(0 8 * * ? *)", uuid="u-2", created_at=0.0
    )
    ScalingActivity.objects.create(
        activity_id="a-1",
        service_namespace="lambda",
        resource_id="function:checkout:prod",
        scalable_dimension="lambda:function:ProvisionedConcurrency",
        description="Setting desired concurrency to 5.",
        cause="monitor alarm AlarmHigh in state ALARM triggered policy utilization",
        start_time=0.0,
        status_code="Successful",
    )


def url(model, view: str, *args) -> str:
    return reverse(f"admin:invocations_{model._meta.model_name}_{view}", args=args)


def test_every_model_is_registered():
    assert all(admin.site.is_registered(model) for model in MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_changelist_and_change_pages_load_for_staff(admin_client, demo, model):
    assert admin_client.get(url(model, "changelist")).status_code == 200
    instance = model.objects.order_by("pk").first()
    assert instance is not None, f"the demo has no {model.__name__}"
    assert admin_client.get(url(model, "change", instance.pk)).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_add_pages_load_where_adding_is_allowed(admin_client, demo, model):
    expected = 403 if model.__name__ in NO_ADD else 200
    assert admin_client.get(url(model, "add")).status_code == expected


def test_the_function_page_shows_its_versions_and_aliases_inline(admin_client, demo):
    html = admin_client.get(url(Function, "change", demo.pk)).content.decode()
    assert 'name="versions-TOTAL_FORMS" value="2"' in html
    assert 'name="aliases-TOTAL_FORMS" value="3"' in html
    assert "v2: canary (20% errors)" in html
    assert "{&#x27;AdditionalVersionWeights&#x27;: {&#x27;2&#x27;: 0.05}}" in html


# semantics §7
def test_the_function_page_masks_secrets_and_never_shows_the_stored_token(admin_client):
    function = services.function_create(name="fn", secret_environment={"DB_PASSWORD": "hunter2"})
    html = admin_client.get(url(Function, "change", function.pk)).content.decode()
    assert "DB_PASSWORD" in html and "****" in html
    assert "hunter2" not in html
    assert function.secret_environment["DB_PASSWORD"] not in html


def function_form(**overrides) -> dict:
    data = {
        "name": "hello",
        "description": "",
        "runtime": "python3.12",
        "handler": "lambda_function.lambda_handler",
        "role": "",
        "memory_size": "128",
        "timeout": "3",
        "environment": "{}",
        "dead_letter_target_arn": "",
        "code_kind": "modelled",
        "behaviour_profile": '{"error_rate": 0.1}',
        "handler_source": "",
        "new_secrets": '{"API_KEY": "k-123"}',
        # Empty inline formsets (versions, aliases).
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
    }
    return {**data, **overrides}


def test_adding_a_function_in_the_admin_goes_through_the_service(admin_client):
    response = admin_client.post(url(Function, "add"), function_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    function = Function.objects.get(name="hello")
    assert function.role == "arn:aws:iam::123456789012:role/lambdaviz-execution-role"
    assert function.environment_for_runtime() == {"API_KEY": "k-123"}
    assert "k-123" not in str(function.secret_environment)


# semantics §11
def test_the_admin_form_shows_aws_message_and_saves_nothing(admin_client):
    response = admin_client.post(url(Function, "add"), function_form(memory_size="64"))
    assert response.status_code == 200
    assert "at &#x27;memorySize&#x27; failed to satisfy constraint" in response.content.decode()
    assert not Function.objects.exists()


def test_changing_a_function_in_the_admin_updates_latest_and_keeps_secrets(admin_client):
    function = services.function_create(name="hello", secret_environment={"API_KEY": "k-123"})
    before = function.revision_id
    form = function_form(memory_size="512", new_secrets="", behaviour_profile="{}")
    response = admin_client.post(url(Function, "change", function.pk), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    function.refresh_from_db()
    assert function.memory_size == 512
    assert function.revision_id != before
    assert function.environment_for_runtime() == {"API_KEY": "k-123"}


# semantics §4
def test_the_publish_action_publishes_once_and_then_reports_nothing_changed(admin_client):
    function = services.function_create(name="fn")
    action = {"action": "publish_version", "_selected_action": [function.pk]}
    admin_client.post(url(Function, "changelist"), action)
    admin_client.post(url(Function, "changelist"), action)
    assert list(Version.objects.values_list("number", flat=True)) == [1]


# semantics §4
def test_a_version_is_read_only_in_the_admin(admin_client):
    function = services.function_create(name="fn")
    version = services.version_publish(function=function)
    page = admin_client.get(url(Version, "change", version.pk)).content.decode()
    assert 'name="_save"' not in page
    assert admin_client.post(url(Version, "change", version.pk), {"description": "x"}).status_code == 403


# semantics §5
def test_an_alias_added_in_the_admin_obeys_the_routing_rules(admin_client):
    function = services.function_create(name="fn")
    v1 = services.version_publish(function=function)
    base = {"function": function.pk, "name": "prod", "description": "", "version": v1.pk, "routing_weight": "0.5"}
    refused = admin_client.post(url(Alias, "add"), {**base, "routing_version": v1.pk})
    assert refused.status_code == 200
    assert not Alias.objects.exists()
    function = services.function_update_code(function=function, behaviour_profile={"error_rate": 0.3})
    v2 = services.version_publish(function=function)
    created = admin_client.post(url(Alias, "add"), {**base, "routing_version": v2.pk})
    assert created.status_code == 302
    assert Alias.objects.get().routing_config == {"AdditionalVersionWeights": {"2": 0.5}}
