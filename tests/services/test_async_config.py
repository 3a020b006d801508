"""Put/Update/Delete FunctionEventInvokeConfig: ranges, destinations, overwrite vs merge (semantics §2)."""

import pytest

from invocations import selectors, services
from invocations.errors import InvalidParameterValueException, ResourceNotFoundException, ValidationException
from tests.factories import assert_refused, make_function, make_versions

pytestmark = pytest.mark.django_db

SQS = "arn:aws:sqs:us-east-1:123456789012:done"
SNS = "arn:aws:sns:us-east-1:123456789012:failed"
BUS = "arn:aws:events:us-east-1:123456789012:event-bus/default"
S3 = "arn:aws:s3:::failures"


def destinations(on_success=None, on_failure=None) -> dict:
    config = {}
    if on_success:
        config["OnSuccess"] = {"Destination": on_success}
    if on_failure:
        config["OnFailure"] = {"Destination": on_failure}
    return config


# semantics §2
def test_unset_numbers_mean_two_retries_and_six_hours():
    function = make_function()
    config = services.event_invoke_config_put(function=function, destination_config=destinations(SQS))
    assert (config.maximum_retry_attempts, config.maximum_event_age_in_seconds) == (None, None)
    assert (config.effective_maximum_retry_attempts, config.effective_maximum_event_age_in_seconds) == (2, 21600)
    assert config.function_arn.endswith(":function:fn:$LATEST")


# semantics §2
def test_a_put_with_nothing_in_it_is_refused():
    function = make_function()
    assert_refused(
        lambda: services.event_invoke_config_put(function=function),
        InvalidParameterValueException,
        "You must specify at least one of error handling or destination setting.",
    )


# semantics §2
@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {"maximum_retry_attempts": 3},
            "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: "
            "Member must have value less than or equal to 2",
        ),
        (
            {"maximum_event_age_in_seconds": 59},
            "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: "
            "Member must have value greater than or equal to 60",
        ),
        (
            {"maximum_event_age_in_seconds": 21601},
            "1 validation error detected: Value '21601' at 'maximumEventAgeInSeconds' failed to satisfy constraint: "
            "Member must have value less than or equal to 21600",
        ),
    ],
)
def test_retries_and_event_age_outside_their_ranges_are_refused(settings, message):
    function = make_function()
    assert_refused(
        lambda: services.event_invoke_config_put(function=function, **settings), ValidationException, message
    )


# semantics §2
def test_the_range_ends_are_accepted():
    function = make_function()
    low = services.event_invoke_config_put(function=function, maximum_retry_attempts=0, maximum_event_age_in_seconds=60)
    assert (low.maximum_retry_attempts, low.maximum_event_age_in_seconds) == (0, 60)
    high = services.event_invoke_config_put(
        function=function, maximum_retry_attempts=2, maximum_event_age_in_seconds=21600
    )
    assert (high.maximum_retry_attempts, high.maximum_event_age_in_seconds) == (2, 21600)


# semantics §2
def test_sqs_sns_lambda_and_eventbridge_may_receive_both_outcomes():
    function = make_function("fn")
    other = make_function("other")
    for arn in (SQS, SNS, BUS, other.arn):
        config = services.event_invoke_config_put(function=function, destination_config=destinations(arn, arn))
        assert (config.on_success, config.on_failure) == (arn, arn)


# semantics §2
def test_an_s3_bucket_is_a_destination_for_failures_only():
    function = make_function()
    config = services.event_invoke_config_put(function=function, destination_config=destinations(on_failure=S3))
    assert config.on_failure == S3
    assert_refused(
        lambda: services.event_invoke_config_put(function=function, destination_config=destinations(on_success=S3)),
        InvalidParameterValueException,
        f"The provided destination config DestinationConfig(onSuccess=OnSuccess(destination={S3}), onFailure=null) "
        "is invalid.",
    )


# semantics §2
def test_a_function_cannot_be_its_own_destination():
    function = make_function()
    assert_refused(
        lambda: services.event_invoke_config_put(
            function=function, destination_config=destinations(on_failure=function.qualified_arn("$LATEST"))
        ),
        InvalidParameterValueException,
        "You can't specify the function as a destination for itself.",
    )


# semantics §2
def test_a_destination_function_must_exist_and_an_arn_must_be_arn_shaped():
    function = make_function()
    missing = "arn:aws:lambda:us-east-1:123456789012:function:ghost"
    assert_refused(
        lambda: services.event_invoke_config_put(function=function, destination_config=destinations(missing)),
        InvalidParameterValueException,
        f"The destination ARN {missing} is invalid.",
    )
    error = assert_refused(
        lambda: services.event_invoke_config_put(function=function, destination_config=destinations("not-an-arn")),
        ValidationException,
    )
    assert "at 'destinationConfig.onSuccess.destination' failed to satisfy constraint" in error.message


# semantics §2
def test_put_overwrites_so_omitted_settings_are_cleared():
    function = make_function()
    services.event_invoke_config_put(
        function=function, maximum_retry_attempts=0, destination_config=destinations(SQS, SNS)
    )
    config = services.event_invoke_config_put(function=function, maximum_event_age_in_seconds=120)
    assert (config.maximum_retry_attempts, config.maximum_event_age_in_seconds) == (None, 120)
    assert (config.on_success, config.on_failure) == ("", "")
    assert function.event_invoke_configs.count() == 1


# semantics §2
def test_update_merges_into_the_existing_config():
    function = make_function()
    services.event_invoke_config_put(function=function, maximum_retry_attempts=0, destination_config=destinations(SQS))
    config = services.event_invoke_config_update(function=function, maximum_event_age_in_seconds=300)
    assert (config.maximum_retry_attempts, config.maximum_event_age_in_seconds, config.on_success) == (0, 300, SQS)


# semantics §2
def test_update_and_get_of_a_missing_config_are_not_found():
    function = make_function()
    message = "The function arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST doesn't have an EventInvokeConfig"
    assert_refused(
        lambda: services.event_invoke_config_update(function=function, maximum_retry_attempts=1),
        ResourceNotFoundException,
        message,
    )
    with pytest.raises(ResourceNotFoundException) as info:
        selectors.event_invoke_config_get(function=function)
    assert info.value.message == message


# semantics §2
def test_configs_are_per_function_version_and_alias():
    function = make_function()
    make_versions(function, 0.1)
    services.alias_create(function=function, name="live", function_version="1")
    services.event_invoke_config_put(function=function, maximum_retry_attempts=2)
    services.event_invoke_config_put(function=function, qualifier="1", maximum_retry_attempts=1)
    services.event_invoke_config_put(function=function, qualifier="live", maximum_retry_attempts=0)
    assert [c.qualifier for c in selectors.event_invoke_config_list(function=function)] == ["$LATEST", "1", "live"]
    assert selectors.event_invoke_config_for(selectors.function_get("fn", "live")).maximum_retry_attempts == 0
    assert selectors.event_invoke_config_get(function=function, qualifier="1").maximum_retry_attempts == 1
    assert_refused(
        lambda: services.event_invoke_config_put(function=function, qualifier="nope", maximum_retry_attempts=1),
        ResourceNotFoundException,
        "The function doesn't exist.",
    )


# semantics §2
def test_delete_removes_the_config():
    function = make_function()
    services.event_invoke_config_put(function=function, maximum_retry_attempts=1)
    services.event_invoke_config_delete(function=function)
    assert not function.event_invoke_configs.exists()
