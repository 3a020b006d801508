"""Event source mappings: per-source defaults and limits, SQS visibility, states and duplicates (semantics §3)."""

import datetime

import pytest

from invocations import selectors, services
from invocations.errors import InvalidParameterValueException, ResourceConflictException, ValidationException
from invocations.models import MappingState
from tests.factories import assert_refused, make_function, make_queue, make_stream, make_versions

pytestmark = pytest.mark.django_db
NEW_YEAR = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


def create(function, source, **settings):
    return services.event_source_mapping_create(function=function, event_source_arn=source.arn, **settings)


# semantics §3
def test_a_new_mapping_is_creating_with_no_records_processed_and_an_esm_arn():
    mapping = create(make_function(), make_queue())
    assert mapping.state == MappingState.CREATING
    assert mapping.last_processing_result == "No records processed"
    assert mapping.arn == f"arn:aws:lambda:us-east-1:123456789012:event-source-mapping:{mapping.uuid}"
    assert mapping.function_arn == "arn:aws:lambda:us-east-1:123456789012:function:fn"


# semantics §3
def test_sqs_and_stream_defaults_are_filled_in():
    function = make_function()
    sqs = create(function, make_queue()).settings()
    kinesis = create(function, make_stream(), starting_position="LATEST").settings()
    assert (sqs.batch_size, sqs.batching_window) == (10, 0.0)
    assert (kinesis.batch_size, kinesis.parallelization_factor, kinesis.maximum_retry_attempts) == (100, 1, -1)
    assert (kinesis.maximum_record_age, kinesis.bisect_on_error, kinesis.tumbling_window) == (-1, False, 0)


# semantics §3
def test_an_sqs_mapping_needs_a_visibility_timeout_at_least_the_function_timeout():
    function = make_function(timeout=60)
    queue = make_queue(visibility_timeout=30)
    assert_refused(
        lambda: create(function, queue),
        InvalidParameterValueException,
        "Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds",
    )
    services.queue_update(queue=queue, visibility_timeout=60)
    assert create(function, queue).queue == queue


# semantics §3
def test_the_visibility_check_uses_the_timeout_of_the_version_an_alias_points_at():
    function = make_function(timeout=10)
    make_versions(function, 0.1)
    services.function_update_configuration(function=function, timeout=120)
    services.alias_create(function=function, name="live", function_version="1")
    queue = make_queue(visibility_timeout=30)
    mapping = create(function, queue, qualifier="live")
    assert mapping.function_arn.endswith(":function:fn:live")
    # `function` is the object from before the update; the check must still see $LATEST's 120 s.
    assert_refused(lambda: create(function, queue), InvalidParameterValueException)


# semantics §3
def test_a_stream_mapping_needs_a_starting_position():
    function, stream = make_function(), make_stream()
    assert_refused(
        lambda: create(function, stream),
        InvalidParameterValueException,
        "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: "
        "Member must not be null.",
    )


# semantics §3
def test_an_unknown_starting_position_is_a_validation_exception():
    function, stream = make_function(), make_stream()
    assert_refused(
        lambda: create(function, stream, starting_position="0"),
        ValidationException,
        "1 validation error detected: Value '0' at 'startingPosition' failed to satisfy constraint: "
        "Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]",
    )


# semantics §3
def test_dynamodb_streams_do_not_take_at_timestamp_but_kinesis_does():
    function = make_function()
    table = make_stream("Orders", kind="dynamodb")
    assert_refused(
        lambda: create(function, table, starting_position="AT_TIMESTAMP", starting_position_timestamp=NEW_YEAR),
        InvalidParameterValueException,
        f"Unsupported starting position for arn type: {table.arn}",
    )
    mapping = create(function, make_stream(), starting_position="AT_TIMESTAMP", starting_position_timestamp=NEW_YEAR)
    assert mapping.settings().starting_position == "AT_TIMESTAMP"


# semantics §3
def test_sqs_refuses_stream_only_settings_and_on_failure_destinations():
    function = make_function()
    queue = make_queue()
    assert_refused(lambda: create(function, queue, starting_position="LATEST"), InvalidParameterValueException)
    assert_refused(
        lambda: create(
            function, queue, destination_config={"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:123456789012:x"}}
        ),
        InvalidParameterValueException,
        "Unsupported DestinationConfig parameter for given event source mapping type.",
    )
    assert_refused(lambda: create(function, queue, parallelization_factor=2), InvalidParameterValueException)


# semantics §3
def test_stream_limits_are_aws_limits():
    function = make_function()
    stream = make_stream()
    for settings in (
        {"parallelization_factor": 11},
        {"maximum_retry_attempts": 10001},
        {"maximum_record_age_in_seconds": 604801},
        {"tumbling_window_in_seconds": 901},
        {"maximum_batching_window_in_seconds": 301},
        {"batch_size": 10001, "maximum_batching_window_in_seconds": 1},
    ):
        assert_refused(
            lambda s=settings: create(function, stream, starting_position="LATEST", **s), ValidationException
        )
    assert_refused(
        lambda: create(function, stream, starting_position="LATEST", maximum_record_age_in_seconds=30),
        InvalidParameterValueException,
    )


# semantics §3
def test_a_stream_may_send_failed_batches_to_an_sqs_sns_or_s3_destination():
    mapping = create(
        make_function(),
        make_stream(),
        starting_position="TRIM_HORIZON",
        maximum_retry_attempts=3,
        bisect_batch_on_function_error=True,
        destination_config={"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:123456789012:failed"}},
        function_response_types=["ReportBatchItemFailures"],
    )
    settings = mapping.settings()
    assert (settings.on_failure_destination, settings.maximum_retry_attempts) == (
        "arn:aws:sqs:us-east-1:123456789012:failed",
        3,
    )
    assert settings.bisect_on_error and settings.report_batch_item_failures


# semantics §3
def test_a_fifo_queue_takes_at_most_ten_messages_per_batch():
    function, queue = make_function(), make_queue("jobs.fifo")
    assert_refused(
        lambda: create(function, queue, batch_size=11, maximum_batching_window_in_seconds=1),
        InvalidParameterValueException,
    )
    assert create(function, queue, batch_size=10).settings().batch_size == 10


# semantics §3
def test_more_than_ten_sqs_messages_per_batch_need_a_batching_window():
    function = make_function()
    queue = make_queue()
    assert_refused(
        lambda: create(function, queue, batch_size=100),
        InvalidParameterValueException,
        "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
    )
    assert create(function, queue, batch_size=100, maximum_batching_window_in_seconds=1).settings().batch_size == 100


# semantics §3
def test_only_report_batch_item_failures_is_a_response_type():
    function, queue = make_function(), make_queue()
    assert_refused(lambda: create(function, queue, function_response_types=["Everything"]), ValidationException)


# semantics §3
def test_filter_criteria_are_validated():
    function = make_function()
    queue = make_queue()
    assert_refused(
        lambda: create(function, queue, filter_criteria={"Filters": [{"Pattern": "not json"}]}),
        InvalidParameterValueException,
        "Invalid filter pattern definition.",
    )
    six = {"Filters": [{"Pattern": '{"body": {"kind": ["order"]}}'}] * 6}
    assert_refused(lambda: create(function, queue, filter_criteria=six), InvalidParameterValueException)
    ok = create(function, queue, filter_criteria={"Filters": [{"Pattern": '{"body": {"kind": ["order"]}}'}]})
    assert ok.settings().filter_criteria is not None


# semantics §3
def test_sqs_scaling_config_takes_2_to_1000():
    function = make_function()
    queue = make_queue()
    assert_refused(lambda: create(function, queue, scaling_config={"MaximumConcurrency": 1}), ValidationException)
    assert create(function, queue, scaling_config={"MaximumConcurrency": 2}).settings().maximum_concurrency == 2


def test_one_mapping_per_source_and_function():
    function = make_function()
    queue, stream = make_queue(), make_stream()
    first = create(function, queue)
    assert_refused(
        lambda: create(function, queue),
        ResourceConflictException,
        f'An event source mapping with SQS arn (" {queue.arn} ") and function (" fn ") already exists. '
        f"Please update or delete the existing mapping with UUID {first.uuid}",
    )
    second = create(function, stream, starting_position="LATEST")
    assert_refused(
        lambda: create(function, stream, starting_position="LATEST"),
        ResourceConflictException,
        f'The event source arn (" {stream.arn} ") and function (" fn ") provided mapping already exists. '
        f"Please update or delete the existing mapping with UUID {second.uuid}",
    )


def test_a_source_that_does_not_exist_is_refused():
    function = make_function()
    assert_refused(
        lambda: services.event_source_mapping_create(
            function=function, event_source_arn="arn:aws:sqs:us-east-1:123456789012:ghost"
        ),
        InvalidParameterValueException,
    )
    assert_refused(
        lambda: services.event_source_mapping_create(
            function=function, event_source_arn="arn:aws:sns:us-east-1:123456789012:topic"
        ),
        InvalidParameterValueException,
        "Unrecognized event source.",
    )


# semantics §3
def test_states_go_creating_enabled_disabling_disabled_and_delete_answers_deleting():
    mapping = create(make_function(), make_queue())
    assert services.event_source_mapping_settle(mapping=mapping).state == MappingState.ENABLED
    mapping = services.event_source_mapping_update(mapping=mapping, enabled=False)
    assert mapping.state == MappingState.DISABLING
    assert services.event_source_mapping_settle(mapping=mapping).state == MappingState.DISABLED
    mapping = services.event_source_mapping_update(mapping=mapping, batch_size=5)
    assert (mapping.state, mapping.settings().batch_size) == (MappingState.UPDATING, 5)
    assert services.event_source_mapping_settle(mapping=mapping).state == MappingState.DISABLED
    deleted = services.event_source_mapping_delete(mapping=mapping)
    assert deleted.state == MappingState.DELETING
    assert not selectors.event_source_mapping_list().exists()


# semantics §3
def test_a_mapping_created_disabled_settles_to_disabled():
    mapping = create(make_function(), make_queue(), enabled=False)
    assert services.event_source_mapping_settle(mapping=mapping).state == MappingState.DISABLED


# semantics §3
def test_a_refused_update_changes_nothing():
    mapping = create(make_function(), make_queue())
    assert_refused(
        lambda: services.event_source_mapping_update(mapping=mapping, batch_size=20),
        InvalidParameterValueException,
        "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
    )


def test_mappings_are_found_by_uuid_arn_source_and_function():
    function = make_function()
    queue = make_queue()
    mapping = create(function, queue)
    assert selectors.event_source_mapping_get(str(mapping.uuid)) == mapping
    assert selectors.event_source_mapping_get(mapping.arn) == mapping
    assert list(selectors.event_source_mapping_list(event_source_arn=queue.arn)) == [mapping]
    assert list(selectors.event_source_mapping_list(function=function)) == [mapping]
    assert not selectors.event_source_mapping_list(event_source_arn="arn:aws:sqs:us-east-1:123456789012:x").exists()
