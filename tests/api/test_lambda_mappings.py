"""Event source mappings through real boto3: Create/Get/Update/Delete/ListEventSourceMapping(s) (semantics §3)."""

import datetime

import pytest

from invocations.services import queue_create, stream_create

from .conftest import create_modelled, error_of

pytestmark = pytest.mark.django_db(transaction=True)

ARN = "arn:aws:lambda:us-east-1:123456789012:function:checkout"
UUID = "4d3c2b1a-0000-4000-8000-000000000000"


def test_an_sqs_mapping_is_created_as_202_creating_with_sqs_defaults(checkout):
    # semantics §3
    queue = queue_create(name="orders")
    created = checkout.create_event_source_mapping(EventSourceArn=queue.arn, FunctionName="checkout:prod")
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert created["State"] == "Creating"
    assert created["LastProcessingResult"] == "No records processed"
    assert (created["EventSourceArn"], created["FunctionArn"]) == (queue.arn, f"{ARN}:prod")
    assert (created["BatchSize"], created["MaximumBatchingWindowInSeconds"]) == (10, 0)
    assert created["EventSourceMappingArn"] == (
        f"arn:aws:lambda:us-east-1:123456789012:event-source-mapping:{created['UUID']}"
    )
    assert isinstance(created["LastModified"], datetime.datetime)
    fetched = checkout.get_event_source_mapping(UUID=created["UUID"])
    assert (fetched["UUID"], fetched["BatchSize"]) == (created["UUID"], 10)


def test_a_kinesis_mapping_shows_the_stream_settings_aws_fills_in(checkout):
    # semantics §3
    stream = stream_create(kind="kinesis", name="clicks")
    created = checkout.create_event_source_mapping(
        EventSourceArn=stream.arn,
        FunctionName="checkout",
        StartingPosition="TRIM_HORIZON",
        BatchSize=50,
        MaximumBatchingWindowInSeconds=1,
    )
    assert (created["BatchSize"], created["StartingPosition"]) == (50, "TRIM_HORIZON")
    assert (created["MaximumBatchingWindowInSeconds"], created["TumblingWindowInSeconds"]) == (1, 0)
    assert (created["ParallelizationFactor"], created["MaximumRetryAttempts"]) == (1, -1)
    assert (created["MaximumRecordAgeInSeconds"], created["BisectBatchOnFunctionError"]) == (-1, False)
    assert created["DestinationConfig"] == {"OnFailure": {}}
    assert created["FunctionArn"] == ARN


def test_a_batch_above_10_without_a_batching_window_is_refused_with_aws_message(checkout):
    # semantics §3: Kinesis/DynamoDB/SQS need a window of at least 1 s for BatchSize > 10.
    queue = queue_create(name="orders")
    error = error_of(
        lambda: checkout.create_event_source_mapping(EventSourceArn=queue.arn, FunctionName="checkout", BatchSize=50)
    )
    assert isinstance(error, checkout.exceptions.InvalidParameterValueException)
    assert error.response["Error"]["Message"] == (
        "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10"
    )


def test_mappings_are_updated_with_202_and_disabling_passes_through_disabling(checkout):
    queue = queue_create(name="orders")
    created = checkout.create_event_source_mapping(EventSourceArn=queue.arn, FunctionName="checkout")
    updated = checkout.update_event_source_mapping(UUID=created["UUID"], BatchSize=5, Enabled=False)
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert (updated["BatchSize"], updated["State"]) == (5, "Disabling")
    moved = checkout.update_event_source_mapping(UUID=created["UUID"], FunctionName="checkout:prod")
    assert moved["FunctionArn"] == f"{ARN}:prod"


def test_mappings_are_listed_by_function_and_by_source(checkout):
    orders, refunds = queue_create(name="orders"), queue_create(name="refunds")
    create_modelled(checkout, "other")
    checkout.create_event_source_mapping(EventSourceArn=orders.arn, FunctionName="checkout")
    checkout.create_event_source_mapping(EventSourceArn=refunds.arn, FunctionName="checkout")
    checkout.create_event_source_mapping(EventSourceArn=orders.arn, FunctionName="other")
    by_function = checkout.list_event_source_mappings(FunctionName="checkout")["EventSourceMappings"]
    assert sorted(m["EventSourceArn"] for m in by_function) == sorted([orders.arn, refunds.arn])
    by_source = checkout.list_event_source_mappings(EventSourceArn=orders.arn)["EventSourceMappings"]
    assert sorted(m["FunctionArn"] for m in by_source) == sorted([ARN, ARN.replace("checkout", "other")])
    page = checkout.list_event_source_mappings(MaxItems=2)
    assert len(page["EventSourceMappings"]) == 2 and page["NextMarker"]


def test_deleting_answers_202_with_state_deleting_then_the_mapping_is_gone(checkout):
    queue = queue_create(name="orders")
    created = checkout.create_event_source_mapping(EventSourceArn=queue.arn, FunctionName="checkout")
    deleted = checkout.delete_event_source_mapping(UUID=created["UUID"])
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert (deleted["UUID"], deleted["State"]) == (created["UUID"], "Deleting")
    error = error_of(lambda: checkout.get_event_source_mapping(UUID=created["UUID"]))
    assert isinstance(error, checkout.exceptions.ResourceNotFoundException)
    assert error.response["Error"]["Message"] == "The resource you requested does not exist."


def test_an_unknown_mapping_is_a_404_for_get_update_and_delete(checkout):
    for call in (
        lambda: checkout.get_event_source_mapping(UUID=UUID),
        lambda: checkout.update_event_source_mapping(UUID=UUID, BatchSize=1),
        lambda: checkout.delete_event_source_mapping(UUID=UUID),
    ):
        assert isinstance(error_of(call), checkout.exceptions.ResourceNotFoundException)


def test_the_same_queue_and_function_twice_is_a_409(checkout):
    queue = queue_create(name="orders")
    checkout.create_event_source_mapping(EventSourceArn=queue.arn, FunctionName="checkout")
    error = error_of(lambda: checkout.create_event_source_mapping(EventSourceArn=queue.arn, FunctionName="checkout"))
    assert isinstance(error, checkout.exceptions.ResourceConflictException)
    assert "already exists" in error.response["Error"]["Message"]


def test_a_queue_that_does_not_exist_is_refused_with_sqs_message(checkout):
    error = error_of(
        lambda: checkout.create_event_source_mapping(
            EventSourceArn="arn:aws:sqs:us-east-1:123456789012:nowhere", FunctionName="checkout"
        )
    )
    assert isinstance(error, checkout.exceptions.InvalidParameterValueException)
    assert "AWS.SimpleQueueService.NonExistentQueue" in error.response["Error"]["Message"]


def test_a_function_that_outlives_the_visibility_timeout_is_refused(checkout):
    # semantics §3
    queue = queue_create(name="slow", visibility_timeout=2)
    error = error_of(lambda: checkout.create_event_source_mapping(EventSourceArn=queue.arn, FunctionName="checkout"))
    assert isinstance(error, checkout.exceptions.InvalidParameterValueException)
    assert error.response["Error"]["Message"] == (
        "Queue visibility timeout: 2 seconds is less than Function timeout: 3 seconds"
    )


def test_an_on_failure_destination_on_an_sqs_mapping_is_refused_with_aws_message(checkout):
    # semantics §3
    queue, dlq = queue_create(name="orders"), queue_create(name="dlq")
    error = error_of(
        lambda: checkout.create_event_source_mapping(
            EventSourceArn=queue.arn,
            FunctionName="checkout",
            DestinationConfig={"OnFailure": {"Destination": dlq.arn}},
        )
    )
    assert isinstance(error, checkout.exceptions.InvalidParameterValueException)
    assert (
        error.response["Error"]["Message"]
        == "Unsupported DestinationConfig parameter for given event source mapping type."
    )


def test_a_mapping_to_an_unknown_function_is_a_404(client):
    queue = queue_create(name="orders")
    error = error_of(lambda: client.create_event_source_mapping(EventSourceArn=queue.arn, FunctionName="ghost"))
    assert isinstance(error, client.exceptions.ResourceNotFoundException)
