"""EsmSettings.validate: per-source defaults and limits, AWS-named errors (semantics §3)."""

import pytest

from invocations.engine.sources import EsmSettings, SourceKind, check_sqs_visibility_timeout
from invocations.errors import InvalidParameterValueException, ValidationException

KINESIS_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/s"
DDB_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000"
SQS_DEST = {"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:123456789012:failures"}}


@pytest.mark.parametrize(
    ("kind", "extra", "batch", "window"),
    [
        ("kinesis", {"StartingPosition": "LATEST"}, 100, 0.0),
        ("dynamodb", {"StartingPosition": "TRIM_HORIZON"}, 100, 0.0),
        ("sqs", {}, 10, 0.0),
        ("sqs-fifo", {}, 10, 0.0),
        ("kafka", {"StartingPosition": "LATEST"}, 100, 0.5),
        ("mq-activemq", {}, 100, 0.5),
        ("mq-rabbitmq", {}, 100, 0.5),
    ],
)
def test_each_source_kind_gets_the_batch_size_and_window_defaults_of_the_table(kind, extra, batch, window):
    # semantics §3
    settings = EsmSettings.validate(kind, **extra)
    assert (settings.batch_size, settings.batching_window) == (batch, window)


def test_stream_defaults_retry_forever_without_age_limit_bisect_or_parallelism():
    # semantics §3
    settings = EsmSettings.validate("kinesis", StartingPosition="LATEST")
    assert settings.maximum_retry_attempts == -1
    assert settings.maximum_record_age == -1
    assert settings.bisect_on_error is False
    assert settings.parallelization_factor == 1
    assert settings.report_batch_item_failures is False


@pytest.mark.parametrize(("kind", "maximum"), [("kinesis", 10_000), ("sqs", 10_000), ("kafka", 10_000)])
def test_batch_size_above_ten_thousand_fails_model_validation(kind, maximum):
    # semantics §3
    extra = {"StartingPosition": "LATEST"} if kind != "sqs" else {}
    EsmSettings.validate(kind, BatchSize=maximum, MaximumBatchingWindowInSeconds=1, **extra)
    with pytest.raises(ValidationException) as err:
        EsmSettings.validate(kind, BatchSize=maximum + 1, MaximumBatchingWindowInSeconds=1, **extra)
    assert err.value.message == (
        "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: "
        "Member must have value less than or equal to 10000"
    )


def test_batch_size_zero_fails_model_validation():
    # semantics §3
    with pytest.raises(ValidationException, match="greater than or equal to 1"):
        EsmSettings.validate("sqs", BatchSize=0)


def test_fifo_queues_cap_the_batch_at_ten():
    # semantics §3
    assert EsmSettings.validate("sqs-fifo", BatchSize=10).batch_size == 10
    with pytest.raises(InvalidParameterValueException):
        EsmSettings.validate("sqs-fifo", BatchSize=11, MaximumBatchingWindowInSeconds=1)


@pytest.mark.parametrize(
    ("kind", "extra"),
    [("kinesis", {"StartingPosition": "LATEST"}), ("dynamodb", {"StartingPosition": "LATEST"}), ("sqs", {})],
)
def test_batch_size_over_ten_needs_a_window_of_at_least_one_second(kind, extra):
    # semantics §3 (checked when BatchSize is given: the streams' own default of 100 needs no window)
    with pytest.raises(InvalidParameterValueException) as err:
        EsmSettings.validate(kind, BatchSize=11, **extra)
    assert err.value.message == (
        "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10"
    )
    assert EsmSettings.validate(kind, BatchSize=11, MaximumBatchingWindowInSeconds=1, **extra).batch_size == 11


def test_kafka_accepts_a_large_batch_with_its_default_half_second_window():
    # semantics §3
    assert EsmSettings.validate("kafka", StartingPosition="LATEST", BatchSize=500).batching_window == 0.5


def test_batching_window_is_whole_seconds_from_zero_to_three_hundred():
    # semantics §3
    assert EsmSettings.validate("sqs", MaximumBatchingWindowInSeconds=300).batching_window == 300
    with pytest.raises(ValidationException, match="less than or equal to 300"):
        EsmSettings.validate("sqs", MaximumBatchingWindowInSeconds=301)
    with pytest.raises(ValidationException, match="must be an integer"):
        EsmSettings.validate("sqs", MaximumBatchingWindowInSeconds=0.5)


def test_setting_a_window_on_kafka_replaces_the_half_second_default_for_good():
    # semantics §3: "can't revert to 500 ms"
    settings = EsmSettings.validate("kafka", StartingPosition="LATEST", MaximumBatchingWindowInSeconds=0)
    assert settings.batching_window == 0.0
    assert settings.to_api()["MaximumBatchingWindowInSeconds"] == 0


def test_streams_require_a_starting_position():
    # semantics §3
    with pytest.raises(InvalidParameterValueException) as err:
        EsmSettings.validate("kinesis")
    assert err.value.message == (
        "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: "
        "Member must not be null."
    )


def test_an_unknown_starting_position_is_a_validation_error():
    # semantics §3
    with pytest.raises(ValidationException, match=r"enum value set: \[LATEST, AT_TIMESTAMP, TRIM_HORIZON\]"):
        EsmSettings.validate("kinesis", StartingPosition="EARLIEST")


def test_dynamodb_streams_reject_at_timestamp():
    # semantics §3
    with pytest.raises(InvalidParameterValueException) as err:
        EsmSettings.validate("dynamodb", StartingPosition="AT_TIMESTAMP", event_source_arn=DDB_ARN)
    assert err.value.message == f"Unsupported starting position for arn type: {DDB_ARN}"


def test_kinesis_at_timestamp_needs_the_timestamp():
    # semantics §3
    settings = EsmSettings.validate("kinesis", StartingPosition="AT_TIMESTAMP", StartingPositionTimestamp=1.7e9)
    assert settings.starting_position_timestamp == 1.7e9
    with pytest.raises(InvalidParameterValueException):
        EsmSettings.validate("kinesis", StartingPosition="AT_TIMESTAMP")


def test_sqs_takes_no_starting_position():
    # semantics §3
    with pytest.raises(InvalidParameterValueException, match="Unsupported starting position"):
        EsmSettings.validate("sqs", StartingPosition="LATEST")


@pytest.mark.parametrize(("value", "ok"), [(0, False), (1, True), (10, True), (11, False)])
def test_parallelization_factor_is_one_to_ten(value, ok):
    # semantics §3
    if ok:
        assert EsmSettings.validate("kinesis", StartingPosition="LATEST", ParallelizationFactor=value)
    else:
        with pytest.raises(ValidationException, match="parallelizationFactor"):
            EsmSettings.validate("kinesis", StartingPosition="LATEST", ParallelizationFactor=value)


@pytest.mark.parametrize("name", ["ParallelizationFactor", "MaximumRetryAttempts", "BisectBatchOnFunctionError"])
def test_stream_only_settings_are_refused_for_sqs(name):
    # semantics §3
    value = True if name == "BisectBatchOnFunctionError" else 2
    with pytest.raises(InvalidParameterValueException, match=f"Unsupported {name} parameter"):
        EsmSettings.validate("sqs", **{name: value})


@pytest.mark.parametrize(("value", "ok"), [(-2, False), (-1, True), (0, True), (10_000, True), (10_001, False)])
def test_maximum_retry_attempts_is_minus_one_to_ten_thousand(value, ok):
    # semantics §3
    if ok:
        settings = EsmSettings.validate("kinesis", StartingPosition="LATEST", MaximumRetryAttempts=value)
        assert settings.maximum_retry_attempts == value
    else:
        with pytest.raises(ValidationException, match="maximumRetryAttempts"):
            EsmSettings.validate("kinesis", StartingPosition="LATEST", MaximumRetryAttempts=value)


@pytest.mark.parametrize(
    ("value", "error"),
    [(-1, None), (60, None), (604_800, None), (0, InvalidParameterValueException),
     (59, InvalidParameterValueException), (604_801, ValidationException), (-2, ValidationException)],
)  # fmt: skip
def test_maximum_record_age_is_minus_one_or_sixty_to_a_week(value, error):
    # semantics §3
    if error is None:
        settings = EsmSettings.validate("dynamodb", StartingPosition="LATEST", MaximumRecordAgeInSeconds=value)
        assert settings.maximum_record_age == value
    else:
        with pytest.raises(error):
            EsmSettings.validate("dynamodb", StartingPosition="LATEST", MaximumRecordAgeInSeconds=value)


def test_tumbling_window_is_zero_to_nine_hundred_seconds():
    # semantics §3
    assert EsmSettings.validate("kinesis", StartingPosition="LATEST", TumblingWindowInSeconds=900).tumbling_window
    with pytest.raises(ValidationException, match="tumblingWindowInSeconds"):
        EsmSettings.validate("kinesis", StartingPosition="LATEST", TumblingWindowInSeconds=901)


@pytest.mark.parametrize(
    "destination",
    [
        "arn:aws:sqs:us-east-1:123456789012:failures",
        "arn:aws:sns:us-east-1:123456789012:failures",
        "arn:aws:s3:::failure-bucket",
    ],
)
def test_stream_on_failure_destination_may_be_sqs_sns_or_s3(destination):
    # semantics §3
    settings = EsmSettings.validate(
        "kinesis", StartingPosition="LATEST", DestinationConfig={"OnFailure": {"Destination": destination}}
    )
    assert settings.on_failure_destination == destination


def test_only_kafka_mappings_may_send_failures_to_a_kafka_topic():
    # semantics §3
    config = {"OnFailure": {"Destination": "kafka://failures"}}
    assert EsmSettings.validate("kafka", StartingPosition="LATEST", DestinationConfig=config).on_failure_destination
    with pytest.raises(InvalidParameterValueException, match="The provided destination config"):
        EsmSettings.validate("kinesis", StartingPosition="LATEST", DestinationConfig=config)


def test_a_lambda_function_is_not_a_valid_stream_failure_destination():
    # semantics §3
    config = {"OnFailure": {"Destination": "arn:aws:lambda:us-east-1:123456789012:function:other"}}
    with pytest.raises(InvalidParameterValueException, match="is invalid"):
        EsmSettings.validate("dynamodb", StartingPosition="LATEST", DestinationConfig=config)


def test_sqs_mappings_reject_an_on_failure_destination_with_aws_text():
    # semantics §3
    with pytest.raises(InvalidParameterValueException) as err:
        EsmSettings.validate("sqs", DestinationConfig=SQS_DEST)
    assert err.value.message == "Unsupported DestinationConfig parameter for given event source mapping type."


def test_no_mapping_accepts_an_on_success_destination():
    # semantics §3
    config = {"OnSuccess": {"Destination": "arn:aws:sqs:us-east-1:123456789012:ok"}}
    with pytest.raises(InvalidParameterValueException, match="Unsupported DestinationConfig"):
        EsmSettings.validate("kinesis", StartingPosition="LATEST", DestinationConfig=config)


@pytest.mark.parametrize("kind", ["kinesis", "dynamodb", "sqs", "sqs-fifo", "kafka"])
def test_report_batch_item_failures_is_available_for_streams_sqs_and_kafka(kind):
    # semantics §3
    extra = {"StartingPosition": "LATEST"} if SourceKind(kind).is_stream else {}
    settings = EsmSettings.validate(kind, FunctionResponseTypes=["ReportBatchItemFailures"], **extra)
    assert settings.report_batch_item_failures is True


def test_report_batch_item_failures_is_not_available_for_amazon_mq():
    # semantics §3
    with pytest.raises(InvalidParameterValueException):
        EsmSettings.validate("mq-activemq", FunctionResponseTypes=["ReportBatchItemFailures"])


def test_an_unknown_function_response_type_is_a_validation_error():
    # semantics §3
    with pytest.raises(ValidationException, match="ReportBatchItemFailures"):
        EsmSettings.validate("sqs", FunctionResponseTypes=["ReportEverything"])


def test_at_most_five_filters_per_mapping():
    # semantics §3
    pattern = {"Pattern": '{"body": {"a": [1]}}'}
    assert EsmSettings.validate("sqs", FilterCriteria={"Filters": [pattern] * 5}).filter_criteria is not None
    with pytest.raises(InvalidParameterValueException):
        EsmSettings.validate("sqs", FilterCriteria={"Filters": [pattern] * 6})


@pytest.mark.parametrize(("value", "ok"), [(1, False), (2, True), (1000, True), (1001, False)])
def test_sqs_maximum_concurrency_is_two_to_a_thousand(value, ok):
    # semantics §3
    if ok:
        assert EsmSettings.validate("sqs", ScalingConfig={"MaximumConcurrency": value}).maximum_concurrency == value
    else:
        with pytest.raises(ValidationException, match="scalingConfig.maximumConcurrency"):
            EsmSettings.validate("sqs", ScalingConfig={"MaximumConcurrency": value})


def test_scaling_config_is_sqs_only():
    # semantics §3
    with pytest.raises(InvalidParameterValueException):
        EsmSettings.validate("kinesis", StartingPosition="LATEST", ScalingConfig={"MaximumConcurrency": 5})


def test_an_update_merges_over_the_current_settings_and_keeps_the_starting_position():
    # semantics §3
    settings = EsmSettings.validate(
        "kinesis",
        StartingPosition="TRIM_HORIZON",
        BatchSize=50,
        MaximumBatchingWindowInSeconds=1,
        MaximumRetryAttempts=3,
    )
    updated = settings.updated(BatchSize=20)
    assert (updated.batch_size, updated.batching_window, updated.maximum_retry_attempts) == (20, 1, 3)
    assert updated.starting_position == "TRIM_HORIZON"
    with pytest.raises(InvalidParameterValueException):
        settings.updated(MaximumBatchingWindowInSeconds=0)


def test_api_view_lists_only_the_fields_the_source_supports():
    # semantics §3
    api = EsmSettings.validate("sqs", BatchSize=5).to_api()
    assert api == {"BatchSize": 5, "MaximumBatchingWindowInSeconds": 0, "FunctionResponseTypes": []}


def test_unknown_setting_names_are_a_programming_error():
    with pytest.raises(TypeError):
        EsmSettings.validate("sqs", Batchsize=5)


def test_sqs_visibility_timeout_must_cover_the_function_timeout():
    # semantics §3
    check_sqs_visibility_timeout(30, 30)
    with pytest.raises(InvalidParameterValueException) as err:
        check_sqs_visibility_timeout(30, 60)
    assert err.value.message == "Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds"


def test_kind_is_inferred_from_the_event_source_arn():
    # semantics §3
    assert SourceKind.from_arn(KINESIS_ARN) is SourceKind.KINESIS
    assert SourceKind.from_arn(DDB_ARN) is SourceKind.DYNAMODB
    assert SourceKind.from_arn("arn:aws:sqs:us-east-1:123456789012:q") is SourceKind.SQS
    assert SourceKind.from_arn("arn:aws:sqs:us-east-1:123456789012:q.fifo") is SourceKind.SQS_FIFO
    assert SourceKind.from_arn("arn:aws:kafka:us-east-1:123456789012:cluster/c/abc") is SourceKind.KAFKA
    with pytest.raises(InvalidParameterValueException, match="Unrecognized event source."):
        SourceKind.from_arn("arn:aws:s3:::bucket")
