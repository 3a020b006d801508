"""Selectors resolve names and ARNs as Lambda does and answer with AWS's not-found messages."""

import pytest

from invocations import selectors, services
from invocations.errors import (
    AccessDeniedException,
    InvalidParameterValueException,
    ResourceNotFoundException,
    ValidationException,
)
from tests.factories import make_function, make_versions

pytestmark = pytest.mark.django_db

ARN = "arn:aws:lambda:us-east-1:123456789012:function:checkout"


@pytest.fixture
def checkout():
    function = make_function("checkout")
    make_versions(function, 0.01, 0.2)
    services.alias_create(function=function, name="prod", function_version="1", routing_config={"2": 0.05})
    return function


# semantics §4, §12
@pytest.mark.parametrize(
    ("name", "qualifier", "expected_qualifier", "executed"),
    [
        ("checkout", None, None, "$LATEST"),
        ("checkout", "$LATEST", "$LATEST", "$LATEST"),
        ("checkout:2", None, "2", "2"),
        ("123456789012:function:checkout", "prod", "prod", "1"),
        (f"{ARN}:prod", None, "prod", "1"),
        (ARN, "2", "2", "2"),
    ],
)
def test_a_function_is_found_by_name_partial_arn_or_arn_with_or_without_qualifier(
    checkout, name, qualifier, expected_qualifier, executed
):
    found = selectors.function_get(name, qualifier)
    assert found.function == checkout
    assert found.qualifier == expected_qualifier
    assert found.executed_version == executed


# semantics §5
def test_an_alias_resolves_to_its_version_and_keeps_its_routing(checkout):
    found = selectors.function_get("checkout", "prod")
    assert found.alias.name == "prod"
    assert found.configuration.version == "1"
    assert found.alias.additional_version_weights == {"2": 0.05}
    assert found.arn == f"{ARN}:prod"


# semantics §4
def test_an_unqualified_name_runs_latest(checkout):
    found = selectors.function_get("checkout")
    assert found.configuration == checkout
    assert found.arn == ARN


@pytest.mark.parametrize(
    ("name", "qualifier", "message"),
    [
        ("ghost", None, "Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost"),
        ("ghost", "prod", "Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost:prod"),
        ("checkout", "9", f"Function not found: {ARN}:9"),
        ("checkout", "nope", f"Function not found: {ARN}:nope"),
    ],
)
def test_missing_functions_versions_and_aliases_are_not_found_with_their_arn(checkout, name, qualifier, message):
    with pytest.raises(ResourceNotFoundException) as info:
        selectors.function_get(name, qualifier)
    assert info.value.message == message
    assert info.value.status_code == 404


def test_a_qualifier_that_disagrees_with_the_arn_is_refused(checkout):
    with pytest.raises(InvalidParameterValueException) as info:
        selectors.function_get(f"{ARN}:1", "2")
    assert info.value.message == "The derived qualifier from the function name does not match the specified qualifier."


def test_a_malformed_name_or_qualifier_is_a_validation_exception(checkout):
    with pytest.raises(ValidationException):
        selectors.function_get("bad name")
    with pytest.raises(ValidationException):
        selectors.function_get("checkout", "bad qualifier!")
    with pytest.raises(ValidationException):
        selectors.function_get("f" * 141)


def test_another_region_or_account_is_not_reachable(checkout):
    with pytest.raises(ResourceNotFoundException) as info:
        selectors.function_get("arn:aws:lambda:eu-west-1:123456789012:function:checkout")
    assert info.value.message == "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')"
    with pytest.raises(AccessDeniedException):
        selectors.function_get("arn:aws:lambda:us-east-1:210987654321:function:checkout")


def test_lists_are_ordered(checkout):
    make_function("another")
    assert [f.name for f in selectors.function_list()] == ["another", "checkout"]
    assert [v.number for v in selectors.version_list(function=checkout)] == [1, 2]


def test_a_mapping_that_does_not_exist_is_not_found():
    for key in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(ResourceNotFoundException) as info:
            selectors.event_source_mapping_get(key)
        assert info.value.message == "The resource you requested does not exist."


# semantics §8
def test_account_usage_reports_what_get_account_settings_returns(checkout):
    services.function_concurrency_put(function=checkout, reserved_concurrent_executions=250)
    body = selectors.account_usage().as_aws()
    assert body["AccountLimit"]["ConcurrentExecutions"] == 1000
    assert body["AccountLimit"]["UnreservedConcurrentExecutions"] == 750
    assert body["AccountUsage"]["FunctionCount"] == 1
    assert body["AccountUsage"]["TotalCodeSize"] > 0
