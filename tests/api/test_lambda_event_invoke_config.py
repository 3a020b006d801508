"""Async invoke configuration through real boto3: Put/Update/Get/Delete/ListFunctionEventInvokeConfig(s) (§2)."""

import datetime

import pytest

from invocations.services import queue_create, topic_create

from .conftest import error_of, lambda_api_client

pytestmark = pytest.mark.django_db(transaction=True)

ARN = "arn:aws:lambda:us-east-1:123456789012:function:checkout"


def test_put_answers_the_config_with_a_qualified_arn_and_get_reads_it_back(checkout):
    client = checkout
    failures = queue_create(name="failures")
    put = client.put_function_event_invoke_config(
        FunctionName="checkout",
        MaximumRetryAttempts=1,
        MaximumEventAgeInSeconds=120,
        DestinationConfig={"OnFailure": {"Destination": failures.arn}},
    )
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert put["FunctionArn"] == f"{ARN}:$LATEST"
    assert (put["MaximumRetryAttempts"], put["MaximumEventAgeInSeconds"]) == (1, 120)
    assert put["DestinationConfig"] == {"OnSuccess": {}, "OnFailure": {"Destination": failures.arn}}
    assert isinstance(put["LastModified"], datetime.datetime)
    fetched = client.get_function_event_invoke_config(FunctionName="checkout")
    assert fetched["DestinationConfig"] == put["DestinationConfig"]
    assert fetched["MaximumRetryAttempts"] == 1


def test_put_overwrites_while_update_merges(checkout):
    # semantics §2: Put clears what it does not give; Update keeps it.
    client = checkout
    client.put_function_event_invoke_config(FunctionName="checkout", Qualifier="prod", MaximumRetryAttempts=0)
    updated = client.update_function_event_invoke_config(
        FunctionName="checkout", Qualifier="prod", MaximumEventAgeInSeconds=300
    )
    assert (updated["MaximumRetryAttempts"], updated["MaximumEventAgeInSeconds"]) == (0, 300)
    assert updated["FunctionArn"] == f"{ARN}:prod"
    put = client.put_function_event_invoke_config(
        FunctionName="checkout", Qualifier="prod", MaximumEventAgeInSeconds=60
    )
    assert "MaximumRetryAttempts" not in put
    assert put["MaximumEventAgeInSeconds"] == 60


def test_configs_are_listed_per_qualifier_and_deleted_with_204(checkout):
    client = checkout
    topic = topic_create(name="done")
    client.put_function_event_invoke_config(FunctionName="checkout", MaximumRetryAttempts=2)
    client.put_function_event_invoke_config(
        FunctionName=f"{ARN}:1", DestinationConfig={"OnSuccess": {"Destination": topic.arn}}
    )
    listed = client.list_function_event_invoke_configs(FunctionName="checkout")["FunctionEventInvokeConfigs"]
    assert [c["FunctionArn"] for c in listed] == [f"{ARN}:$LATEST", f"{ARN}:1"]
    deleted = client.delete_function_event_invoke_config(FunctionName="checkout", Qualifier="1")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    listed = client.list_function_event_invoke_configs(FunctionName="checkout")["FunctionEventInvokeConfigs"]
    assert [c["FunctionArn"] for c in listed] == [f"{ARN}:$LATEST"]


def test_a_config_with_nothing_in_it_is_refused_with_aws_message(checkout):
    # semantics §2
    error = error_of(lambda: checkout.put_function_event_invoke_config(FunctionName="checkout"))
    assert isinstance(error, checkout.exceptions.InvalidParameterValueException)
    assert error.response["Error"]["Message"] == (
        "You must specify at least one of error handling or destination setting."
    )


def test_the_function_as_its_own_destination_is_refused(checkout):
    # semantics §2
    error = error_of(
        lambda: checkout.put_function_event_invoke_config(
            FunctionName="checkout", DestinationConfig={"OnFailure": {"Destination": ARN}}
        )
    )
    assert isinstance(error, checkout.exceptions.InvalidParameterValueException)
    assert error.response["Error"]["Message"] == "You can't specify the function as a destination for itself."


def test_retry_attempts_above_2_is_a_validation_exception(live_server, checkout):
    # semantics §2: 0–2.
    client = lambda_api_client(live_server.url, validate=False)
    error = error_of(lambda: client.put_function_event_invoke_config(FunctionName="checkout", MaximumRetryAttempts=5))
    assert error.response["Error"]["Code"] == "ValidationException"
    assert error.response["Error"]["Message"] == (
        "1 validation error detected: Value '5' at 'maximumRetryAttempts' failed to satisfy constraint: "
        "Member must have value less than or equal to 2"
    )


def test_reading_updating_or_deleting_a_missing_config_is_a_404(checkout):
    client = checkout
    message = f"The function {ARN}:$LATEST doesn't have an EventInvokeConfig"
    for call in (
        lambda: client.get_function_event_invoke_config(FunctionName="checkout"),
        lambda: client.update_function_event_invoke_config(FunctionName="checkout", MaximumRetryAttempts=1),
        lambda: client.delete_function_event_invoke_config(FunctionName="checkout"),
    ):
        error = error_of(call)
        assert isinstance(error, client.exceptions.ResourceNotFoundException)
        assert error.response["Error"]["Message"] == message


def test_a_config_for_an_unknown_function_is_a_404(client):
    error = error_of(lambda: client.put_function_event_invoke_config(FunctionName="ghost", MaximumRetryAttempts=1))
    assert isinstance(error, client.exceptions.ResourceNotFoundException)
