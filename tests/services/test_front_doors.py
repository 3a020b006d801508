"""API Gateway stages that pick an alias by stage variable, and ALB target groups (semantics §10)."""

import pytest

from invocations import selectors, services
from invocations.errors import InvalidParameterValueException, ResourceConflictException, ValidationException
from tests.factories import assert_refused, make_function, make_versions

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkout():
    function = make_function("checkout")
    make_versions(function, 0.01, 0.2)
    services.alias_create(function=function, name="prod", function_version="1")
    services.alias_create(function=function, name="test", function_version="2")
    return function


# semantics §10
def test_a_rest_api_integrates_with_the_alias_a_stage_variable_names(checkout):
    api = services.rest_api_create(name="checkout-api", function=checkout)
    assert api.integration_uri == (
        "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
        "arn:aws:lambda:us-east-1:123456789012:function:checkout:${stageVariables.lambdaAlias}/invocations"
    )
    prod = services.api_stage_create(rest_api=api, name="Prod", alias_name="prod")
    assert prod.stage_variables == {"lambdaAlias": "prod"}
    assert prod.resolve_alias().name == "prod"
    assert prod.invoke_url == f"https://{api.api_id}.execute-api.us-east-1.amazonaws.com/Prod"
    assert selectors.api_stage_get(api_id=api.api_id, stage="Prod") == prod


# semantics §10
def test_a_stage_can_be_repointed_at_another_alias(checkout):
    api = services.rest_api_create(name="checkout-api", function=checkout)
    stage = services.api_stage_create(rest_api=api, name="Prod", alias_name="prod")
    assert services.api_stage_update(stage=stage, alias_name="test").resolve_alias().name == "test"


# semantics §10
def test_a_stage_whose_variable_names_no_alias_is_refused(checkout):
    api = services.rest_api_create(name="checkout-api", function=checkout)
    assert_refused(
        lambda: services.api_stage_create(rest_api=api, name="Dev", alias_name="dev"), InvalidParameterValueException
    )


def test_stage_names_are_unique_per_api_and_follow_api_gateway_rules(checkout):
    api = services.rest_api_create(name="checkout-api", function=checkout)
    services.api_stage_create(rest_api=api, name="Prod", alias_name="prod")
    assert_refused(
        lambda: services.api_stage_create(rest_api=api, name="Prod", alias_name="test"), ResourceConflictException
    )
    assert_refused(
        lambda: services.api_stage_create(rest_api=api, name="bad-name", alias_name="test"), ValidationException
    )


# semantics §10
def test_a_target_group_registers_one_function_or_alias(checkout):
    group = services.target_group_create(
        name="checkout-tg", function=checkout, qualifier="prod", multi_value_headers=True
    )
    assert group.arn == f"arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/checkout-tg/{group.group_id}"
    assert group.function_arn.endswith(":function:checkout:prod")
    assert group.multi_value_headers is True
    assert selectors.target_group_get(group.arn) == group


def test_target_group_names_and_qualifiers_are_checked(checkout):
    assert_refused(lambda: services.target_group_create(name="-bad", function=checkout), ValidationException)
    assert_refused(lambda: services.target_group_create(name="x" * 33, function=checkout), ValidationException)
    assert_refused(
        lambda: services.target_group_create(name="tg", function=checkout, qualifier="nope"),
        InvalidParameterValueException,
    )
