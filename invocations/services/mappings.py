"""Event source mapping writes: Create (202, Creating), Update, Delete, and settling transitional states (§3)."""

from __future__ import annotations

import datetime
from typing import Any

from ..arns import parse_arn
from ..errors import InvalidParameterValueException
from ..models import EventSourceMapping, Function, MappingState, Queue, Stream
from ..selectors import source_get_by_arn
from .common import aws_write, validated

_SETTINGS = (
    "batch_size",
    "maximum_batching_window_in_seconds",
    "parallelization_factor",
    "bisect_batch_on_function_error",
    "maximum_retry_attempts",
    "maximum_record_age_in_seconds",
    "tumbling_window_in_seconds",
)
UNSUPPORTED_DESTINATION = "Unsupported DestinationConfig parameter for given event source mapping type."
# Transitional states and where each one settles.
_SETTLES_TO = {
    MappingState.CREATING: None,
    MappingState.UPDATING: None,
    MappingState.ENABLING: MappingState.ENABLED,
    MappingState.DISABLING: MappingState.DISABLED,
}


@aws_write
def event_source_mapping_create(
    *,
    function: Function,
    event_source_arn: str,
    qualifier: str = "",
    enabled: bool = True,
    batch_size: int | None = None,
    maximum_batching_window_in_seconds: int | None = None,
    starting_position: str | None = None,
    starting_position_timestamp: datetime.datetime | None = None,
    parallelization_factor: int | None = None,
    bisect_batch_on_function_error: bool | None = None,
    maximum_retry_attempts: int | None = None,
    maximum_record_age_in_seconds: int | None = None,
    tumbling_window_in_seconds: int | None = None,
    destination_config: dict | None = None,
    function_response_types: list[str] | None = None,
    filter_criteria: dict | None = None,
    scaling_config: dict | None = None,
) -> EventSourceMapping:
    """Map an SQS queue or a Kinesis/DynamoDB stream (by ARN) to a function. Starts in State "Creating"."""
    source = _source(event_source_arn)
    mapping = EventSourceMapping(
        function=function,
        qualifier=qualifier or "",
        queue=source if isinstance(source, Queue) else None,
        stream=source if isinstance(source, Stream) else None,
        enabled=enabled,
        starting_position=starting_position or "",
        starting_position_timestamp=starting_position_timestamp,
        function_response_types=list(function_response_types or []),
        filter_criteria=filter_criteria,
        state=MappingState.CREATING,
        state_transition_reason="USER_INITIATED",
        last_processing_result="No records processed",
    )
    values = {
        "batch_size": batch_size,
        "maximum_batching_window_in_seconds": maximum_batching_window_in_seconds,
        "parallelization_factor": parallelization_factor,
        "bisect_batch_on_function_error": bisect_batch_on_function_error,
        "maximum_retry_attempts": maximum_retry_attempts,
        "maximum_record_age_in_seconds": maximum_record_age_in_seconds,
        "tumbling_window_in_seconds": tumbling_window_in_seconds,
    }
    for field, value in values.items():
        setattr(mapping, field, value)
    mapping.on_failure_destination = _on_failure(destination_config)
    mapping.maximum_concurrency = _maximum_concurrency(scaling_config)
    validated(mapping)
    mapping.save()
    return mapping


@aws_write
def event_source_mapping_update(
    *,
    mapping: EventSourceMapping,
    function: Function | None = None,
    qualifier: str | None = None,
    enabled: bool | None = None,
    destination_config: dict | None = None,
    function_response_types: list[str] | None = None,
    filter_criteria: dict | None = None,
    scaling_config: dict | None = None,
    **settings: Any,
) -> EventSourceMapping:
    """UpdateEventSourceMapping: given settings replace, the rest stay. Enabling/disabling passes through
    Enabling/Disabling; other changes through Updating."""
    unknown = sorted(set(settings) - set(_SETTINGS))
    if unknown:
        raise InvalidParameterValueException(f"Unsupported parameter(s) for UpdateEventSourceMapping: {unknown}")
    mapping = EventSourceMapping.objects.select_for_update().get(pk=mapping.pk)
    if function is not None:
        mapping.function = function
    if qualifier is not None:
        mapping.qualifier = qualifier
    for field, value in settings.items():
        if value is not None:
            setattr(mapping, field, value)
    if destination_config is not None:
        mapping.on_failure_destination = _on_failure(destination_config)
    if function_response_types is not None:
        mapping.function_response_types = list(function_response_types)
    if filter_criteria is not None:
        # An empty FilterCriteria removes the filters.
        mapping.filter_criteria = filter_criteria or None
    if scaling_config is not None:
        mapping.maximum_concurrency = _maximum_concurrency(scaling_config)
    if enabled is not None and enabled != mapping.enabled:
        mapping.enabled = enabled
        mapping.state = MappingState.ENABLING if enabled else MappingState.DISABLING
    else:
        mapping.state = MappingState.UPDATING
    mapping.state_transition_reason = "USER_INITIATED"
    validated(mapping)
    mapping.save()
    return mapping


@aws_write
def event_source_mapping_delete(*, mapping: EventSourceMapping) -> EventSourceMapping:
    """DeleteEventSourceMapping: gone at once; the returned copy shows State "Deleting" as AWS's response does."""
    mapping = EventSourceMapping.objects.select_for_update().get(pk=mapping.pk)
    mapping.delete()
    mapping.state = MappingState.DELETING
    return mapping


@aws_write
def event_source_mapping_settle(*, mapping: EventSourceMapping) -> EventSourceMapping:
    """For the runtime (or a demo): finish a transitional state, Creating/Updating → Enabled or Disabled."""
    mapping = EventSourceMapping.objects.select_for_update().get(pk=mapping.pk)
    if mapping.state in _SETTLES_TO:
        settled = _SETTLES_TO[mapping.state]
        if settled is None:
            settled = MappingState.ENABLED if mapping.enabled else MappingState.DISABLED
        mapping.state = settled
        mapping.save(update_fields=["state", "last_modified"])
    return mapping


def _source(event_source_arn: str) -> Queue | Stream:
    parsed = parse_arn(event_source_arn)
    if parsed is None or parsed.service not in {"sqs", "kinesis", "dynamodb"}:
        raise InvalidParameterValueException("Unrecognized event source.")
    return source_get_by_arn(event_source_arn)


def _on_failure(destination_config: dict | None) -> str:
    if not destination_config:
        return ""
    if not isinstance(destination_config, dict):
        raise InvalidParameterValueException("DestinationConfig must be an object.")
    if (destination_config.get("OnSuccess") or {}).get("Destination"):
        # ⚠ wording unconfirmed; only Kafka sources take an OnSuccess destination.
        raise InvalidParameterValueException(UNSUPPORTED_DESTINATION)
    return (destination_config.get("OnFailure") or {}).get("Destination") or ""


def _maximum_concurrency(scaling_config: dict | None) -> int | None:
    if not scaling_config:
        return None
    return scaling_config.get("MaximumConcurrency")
