"""CreateAlias / UpdateAlias / DeleteAlias rules (semantics §5)."""

import pytest

from invocations import selectors, services
from invocations.errors import (
    InvalidParameterValueException,
    PreconditionFailedException,
    ResourceConflictException,
    ResourceNotFoundException,
    ValidationException,
)
from invocations.models import Alias
from tests.factories import assert_refused, make_function, make_versions

pytestmark = pytest.mark.django_db


@pytest.fixture
def function():
    """A function with published versions 1, 2 and 3."""
    function = make_function("fn")
    make_versions(function, 0.1, 0.2, 0.3)
    return function


# semantics §5
def test_an_alias_points_at_a_version_and_shows_aws_shapes(function):
    alias = services.alias_create(function=function, name="prod", function_version="1", description="live")
    assert alias.function_version == "1"
    assert alias.arn == "arn:aws:lambda:us-east-1:123456789012:function:fn:prod"
    assert alias.routing_config == {"AdditionalVersionWeights": {}}


# semantics §5
def test_an_alias_may_point_at_latest(function):
    alias = services.alias_create(function=function, name="dev", function_version="$LATEST")
    assert alias.function_version == "$LATEST"
    assert alias.version is None


# semantics §5
def test_an_alias_may_send_a_weighted_share_to_one_more_version(function):
    alias = services.alias_create(function=function, name="prod", function_version="1", routing_config={"2": 0.05})
    assert alias.routing_config == {"AdditionalVersionWeights": {"2": 0.05}}
    assert alias.version_numbers() == [1, 2]


# semantics §5
@pytest.mark.parametrize("name", ["2024", "7"])
def test_an_all_digit_alias_name_is_a_validation_exception(function, name):
    assert_refused(
        lambda: services.alias_create(function=function, name=name, function_version="1"),
        ValidationException,
        f"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
    )


# semantics §5
@pytest.mark.parametrize("name", ["has space", "a" * 129, ""])
def test_alias_names_outside_1_to_128_of_the_pattern_are_refused(function, name):
    assert_refused(
        lambda: services.alias_create(function=function, name=name, function_version="1"), ValidationException
    )


# semantics §5
def test_an_alias_cannot_point_at_another_alias(function):
    services.alias_create(function=function, name="prod", function_version="1")
    assert_refused(
        lambda: services.alias_create(function=function, name="staging", function_version="prod"),
        ValidationException,
        "1 validation error detected: Value 'prod' at 'functionVersion' failed to satisfy constraint: "
        r"Member must satisfy regular expression pattern: (\$LATEST|[0-9]+)",
    )


# semantics §5
def test_more_than_one_additional_version_is_refused(function):
    assert_refused(
        lambda: services.alias_create(
            function=function, name="prod", function_version="1", routing_config={"2": 0.1, "3": 0.1}
        ),
        InvalidParameterValueException,
        "Number of items in AdditionalVersionWeights cannot be greater than 1",
    )


# semantics §5
def test_routing_to_the_version_already_pointed_at_is_refused(function):
    assert_refused(
        lambda: services.alias_create(function=function, name="prod", function_version="1", routing_config={"1": 0.5}),
        InvalidParameterValueException,
        "Invalid function version 1. Function version 1 is already included in routing configuration.",
    )


# semantics §5
def test_latest_cannot_have_routing(function):
    assert_refused(
        lambda: services.alias_create(
            function=function, name="dev", function_version="$LATEST", routing_config={"1": 0.5}
        ),
        InvalidParameterValueException,
        "$LATEST is not supported for an alias pointing to more than 1 version",
    )


# semantics §5
@pytest.mark.parametrize("weight", [-0.1, 1.5])
def test_a_weight_outside_0_to_1_is_refused(function, weight):
    error = assert_refused(
        lambda: services.alias_create(
            function=function, name="prod", function_version="1", routing_config={"2": weight}
        ),
        ValidationException,
    )
    assert f"'{{2={weight}}}' at 'routingConfig.additionalVersionWeights'" in error.message


# semantics §5
def test_an_alias_on_a_version_that_does_not_exist_is_not_found(function):
    assert_refused(
        lambda: services.alias_create(function=function, name="prod", function_version="9"),
        ResourceNotFoundException,
        "Function not found: arn:aws:lambda:us-east-1:123456789012:function:fn:9",
    )
    assert_refused(
        lambda: services.alias_create(function=function, name="prod", function_version="1", routing_config={"9": 0.5}),
        ResourceNotFoundException,
    )


def test_a_second_alias_with_the_same_name_is_a_conflict(function):
    services.alias_create(function=function, name="prod", function_version="1")
    assert_refused(
        lambda: services.alias_create(function=function, name="prod", function_version="2"),
        ResourceConflictException,
        "Alias already exists: arn:aws:lambda:us-east-1:123456789012:function:fn:prod",
    )


# semantics §5
def test_finishing_a_shift_moves_the_version_and_clears_the_weights(function):
    alias = services.alias_create(function=function, name="prod", function_version="1", routing_config={"2": 0.5})
    alias = services.alias_update(alias=alias, function_version="2", routing_config={})
    assert (alias.function_version, alias.routing_config) == ("2", {"AdditionalVersionWeights": {}})


# semantics §5
def test_moving_the_version_onto_the_routed_version_without_clearing_routing_is_refused(function):
    alias = services.alias_create(function=function, name="prod", function_version="1", routing_config={"2": 0.5})
    assert_refused(
        lambda: services.alias_update(alias=alias, function_version="2"),
        InvalidParameterValueException,
        "Invalid function version 2. Function version 2 is already included in routing configuration.",
    )


# semantics §5
def test_update_alias_checks_the_revision_id_and_changes_it(function):
    alias = services.alias_create(function=function, name="prod", function_version="1")
    old = alias.revision_id
    updated = services.alias_update(alias=alias, routing_config={"2": 0.1}, revision_id=str(old))
    assert updated.revision_id != old
    assert_refused(
        lambda: services.alias_update(alias=alias, routing_config={"3": 0.1}, revision_id=str(old)),
        PreconditionFailedException,
        "The Revision Id provided does not match the latest Revision Id. "
        "Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
    )


# semantics §4 (EventInvokeConfig and provisioned concurrency are per alias)
def test_deleting_an_alias_takes_its_per_alias_settings_with_it(function):
    alias = services.alias_create(function=function, name="prod", function_version="1")
    services.event_invoke_config_put(function=function, qualifier="prod", maximum_retry_attempts=0)
    services.provisioned_concurrency_put(function=function, qualifier="prod", provisioned_concurrent_executions=2)
    services.alias_delete(alias=alias)
    assert not Alias.objects.exists()
    assert not function.event_invoke_configs.exists()
    assert not function.provisioned_concurrency_configs.exists()


# semantics §5
def test_a_missing_alias_is_named_as_aws_names_it_for_get_and_for_update(function):
    with pytest.raises(ResourceNotFoundException) as get_error:
        selectors.alias_get(function=function, name="nope")
    assert get_error.value.message == "Cannot find alias arn: arn:aws:lambda:us-east-1:123456789012:function:fn:nope"
    with pytest.raises(ResourceNotFoundException) as update_error:
        selectors.alias_get_for_update(function=function, name="nope")
    assert update_error.value.message == "Alias not found: arn:aws:lambda:us-east-1:123456789012:function:fn:nope"


def test_aliases_can_be_listed_by_the_version_they_point_at(function):
    services.alias_create(function=function, name="a", function_version="1")
    services.alias_create(function=function, name="b", function_version="2")
    services.alias_create(function=function, name="c", function_version="$LATEST")
    assert [a.name for a in selectors.alias_list(function=function)] == ["a", "b", "c"]
    assert [a.name for a in selectors.alias_list(function=function, function_version="2")] == ["b"]
    assert [a.name for a in selectors.alias_list(function=function, function_version="$LATEST")] == ["c"]
