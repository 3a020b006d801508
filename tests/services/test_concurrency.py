"""Reserved concurrency (semantics §8) and provisioned concurrency configs (semantics §9)."""

import pytest

from invocations import selectors, services
from invocations.errors import (
    InvalidParameterValueException,
    ProvisionedConcurrencyConfigNotFoundException,
    ResourceConflictException,
    ResourceNotFoundException,
    ValidationException,
)
from invocations.models import ProvisionedConcurrencyStatus
from tests.factories import assert_refused, make_function, make_versions

pytestmark = pytest.mark.django_db

BELOW_MINIMUM = (
    "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution "
    "below its minimum value of [100]."
)


@pytest.fixture
def function():
    function = make_function("fn")
    make_versions(function, 0.1, 0.2)
    return function


# semantics §8
def test_reserving_concurrency_lowers_the_accounts_unreserved_pool(function):
    services.function_concurrency_put(function=function, reserved_concurrent_executions=300)
    assert selectors.function_concurrency_get(function=function) == 300
    assert selectors.account_usage().unreserved_concurrent_executions == 700


# semantics §8
def test_a_reservation_must_leave_100_unreserved(function):
    services.function_concurrency_put(function=function, reserved_concurrent_executions=900)
    assert_refused(
        lambda: services.function_concurrency_put(function=function, reserved_concurrent_executions=901),
        InvalidParameterValueException,
        BELOW_MINIMUM,
    )
    other = make_function("other")
    assert_refused(
        lambda: services.function_concurrency_put(function=other, reserved_concurrent_executions=1),
        InvalidParameterValueException,
        BELOW_MINIMUM,
    )


# semantics §8
def test_replacing_a_reservation_does_not_count_the_old_one_twice(function):
    services.function_concurrency_put(function=function, reserved_concurrent_executions=900)
    services.function_concurrency_put(function=function, reserved_concurrent_executions=850)
    assert selectors.function_concurrency_get(function=function) == 850


# semantics §8
def test_a_reservation_of_zero_is_allowed_and_a_negative_one_is_not(function):
    services.function_concurrency_put(function=function, reserved_concurrent_executions=0)
    assert selectors.function_concurrency_get(function=function) == 0
    assert_refused(
        lambda: services.function_concurrency_put(function=function, reserved_concurrent_executions=-1),
        ValidationException,
    )


# semantics §8
def test_a_reservation_below_the_functions_provisioned_total_is_refused(function):
    services.provisioned_concurrency_put(function=function, qualifier="1", provisioned_concurrent_executions=20)
    assert_refused(
        lambda: services.function_concurrency_put(function=function, reserved_concurrent_executions=10),
        InvalidParameterValueException,
        " ReservedConcurrentExecutions  10 should not be lower than function's total provisioned concurrency [20].",
    )


# semantics §8
def test_deleting_the_reservation_returns_it_to_the_pool(function):
    services.function_concurrency_put(function=function, reserved_concurrent_executions=300)
    services.function_concurrency_delete(function=function)
    assert selectors.function_concurrency_get(function=function) is None
    assert selectors.account_usage().unreserved_concurrent_executions == 1000


# semantics §8
def test_reserved_concurrency_refuses_a_qualified_function_arn(function):
    with pytest.raises(InvalidParameterValueException) as info:
        selectors.function_get_unqualified("arn:aws:lambda:us-east-1:123456789012:function:fn:1")
    assert info.value.message == (
        "This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. "
        "Please specify either a function name or an unqualified function ARN."
    )
    assert selectors.function_get_unqualified("arn:aws:lambda:us-east-1:123456789012:function:fn") == function


# semantics §9
def test_provisioned_concurrency_starts_in_progress_with_nothing_allocated(function):
    config = services.provisioned_concurrency_put(function=function, qualifier="1", provisioned_concurrent_executions=5)
    assert (config.requested, config.allocated, config.status) == (5, 0, ProvisionedConcurrencyStatus.IN_PROGRESS)
    assert config.function_arn.endswith(":function:fn:1")
    ready = services.provisioned_concurrency_report(config=config, allocated=5, status="READY")
    assert (ready.allocated, ready.status) == (5, "READY")


# semantics §9
@pytest.mark.parametrize("qualifier", ["$LATEST", None])
def test_provisioned_concurrency_on_latest_is_refused(function, qualifier):
    assert_refused(
        lambda: services.provisioned_concurrency_put(
            function=function, qualifier=qualifier, provisioned_concurrent_executions=1
        ),
        InvalidParameterValueException,
        "Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
    )


# semantics §9
def test_provisioned_concurrency_on_an_alias_of_latest_is_refused(function):
    services.alias_create(function=function, name="dev", function_version="$LATEST")
    assert_refused(
        lambda: services.provisioned_concurrency_put(
            function=function, qualifier="dev", provisioned_concurrent_executions=1
        ),
        InvalidParameterValueException,
        "Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
    )


# semantics §9
def test_an_alias_whose_version_is_already_provisioned_is_refused(function):
    services.alias_create(function=function, name="prod", function_version="1")
    services.provisioned_concurrency_put(function=function, qualifier="1", provisioned_concurrent_executions=2)
    assert_refused(
        lambda: services.provisioned_concurrency_put(
            function=function, qualifier="prod", provisioned_concurrent_executions=2
        ),
        ResourceConflictException,
        "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version",
    )


# semantics §9
def test_a_version_already_provisioned_through_an_alias_is_refused(function):
    services.alias_create(function=function, name="prod", function_version="1")
    services.provisioned_concurrency_put(function=function, qualifier="prod", provisioned_concurrent_executions=2)
    assert_refused(
        lambda: services.provisioned_concurrency_put(
            function=function, qualifier="1", provisioned_concurrent_executions=2
        ),
        ResourceConflictException,
        "Version is pointed by a Provisioned Concurrency alias",
    )


# semantics §9
def test_putting_again_replaces_the_config(function):
    services.provisioned_concurrency_put(function=function, qualifier="2", provisioned_concurrent_executions=2)
    services.provisioned_concurrency_put(function=function, qualifier="2", provisioned_concurrent_executions=7)
    (config,) = selectors.provisioned_concurrency_list(function=function)
    assert config.requested == 7


# semantics §9
def test_provisioned_concurrency_must_fit_inside_the_reservation(function):
    services.function_concurrency_put(function=function, reserved_concurrent_executions=10)
    services.provisioned_concurrency_put(function=function, qualifier="1", provisioned_concurrent_executions=6)
    assert_refused(
        lambda: services.provisioned_concurrency_put(
            function=function, qualifier="2", provisioned_concurrent_executions=5
        ),
        InvalidParameterValueException,
        "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function",
    )


# semantics §8, §9
def test_provisioned_concurrency_without_a_reservation_comes_out_of_the_unreserved_pool(function):
    services.provisioned_concurrency_put(function=function, qualifier="1", provisioned_concurrent_executions=400)
    assert selectors.account_usage().unreserved_concurrent_executions == 600
    assert_refused(
        lambda: services.provisioned_concurrency_put(
            function=function, qualifier="2", provisioned_concurrent_executions=501
        ),
        InvalidParameterValueException,
        "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its "
        "minimum value of [100].",
    )


# semantics §9
def test_a_request_below_one_is_refused(function):
    assert_refused(
        lambda: services.provisioned_concurrency_put(
            function=function, qualifier="1", provisioned_concurrent_executions=0
        ),
        ValidationException,
        "1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1",
    )


# semantics §9
def test_missing_targets_and_configs_get_aws_not_found_errors(function):
    assert_refused(
        lambda: services.provisioned_concurrency_put(
            function=function, qualifier="9", provisioned_concurrent_executions=1
        ),
        ResourceNotFoundException,
        "Function not found: arn:aws:lambda:us-east-1:123456789012:function:fn:9",
    )
    assert_refused(
        lambda: services.provisioned_concurrency_put(
            function=function, qualifier="nope", provisioned_concurrent_executions=1
        ),
        ResourceNotFoundException,
        "Cannot find alias arn: arn:aws:lambda:us-east-1:123456789012:function:fn:nope",
    )
    with pytest.raises(ProvisionedConcurrencyConfigNotFoundException) as info:
        selectors.provisioned_concurrency_get(function=function, qualifier="1")
    assert info.value.message == "No Provisioned Concurrency Config found for this function"


# semantics §8, §9
def test_deleting_a_config_frees_its_concurrency(function):
    services.provisioned_concurrency_put(function=function, qualifier="1", provisioned_concurrent_executions=100)
    services.provisioned_concurrency_delete(function=function, qualifier="1")
    assert selectors.account_usage().unreserved_concurrent_executions == 1000
