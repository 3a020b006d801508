"""Event source mappings: Create/Get/Update/Delete/ListEventSourceMapping(s) (semantics §3)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

from invocations import selectors, services
from invocations.errors import InvalidParameterValueException

from . import shapes
from .common import paged, request_params, respond, with_marker

# API member → the services' keyword, for the settings every mapping kind shares.
_SETTINGS = {
    "BatchSize": "batch_size",
    "MaximumBatchingWindowInSeconds": "maximum_batching_window_in_seconds",
    "ParallelizationFactor": "parallelization_factor",
    "BisectBatchOnFunctionError": "bisect_batch_on_function_error",
    "MaximumRetryAttempts": "maximum_retry_attempts",
    "MaximumRecordAgeInSeconds": "maximum_record_age_in_seconds",
    "TumblingWindowInSeconds": "tumbling_window_in_seconds",
    "DestinationConfig": "destination_config",
    "FunctionResponseTypes": "function_response_types",
    "FilterCriteria": "filter_criteria",
    "ScalingConfig": "scaling_config",
}


def create_event_source_mapping(request: HttpRequest) -> HttpResponse:
    """202 with State "Creating"; the runtime settles it to Enabled (or Disabled) when it starts polling."""
    params = request_params(request, "CreateEventSourceMapping")
    qualified = selectors.function_get(params["FunctionName"])
    mapping = services.event_source_mapping_create(
        function=qualified.function,
        qualifier=qualified.qualifier or "",
        event_source_arn=params.get("EventSourceArn") or "",
        enabled=params.get("Enabled", True),
        starting_position=params.get("StartingPosition"),
        starting_position_timestamp=_moment(params.get("StartingPositionTimestamp")),
        **_settings(params),
    )
    return respond(request, _shape(mapping), status=202)


def get_event_source_mapping(request: HttpRequest, uuid: str) -> HttpResponse:
    return respond(request, _shape(selectors.event_source_mapping_get(uuid)))


def update_event_source_mapping(request: HttpRequest, uuid: str) -> HttpResponse:
    """202; given settings replace, the rest stay. Enabled=false passes through Disabling."""
    params = request_params(request, "UpdateEventSourceMapping")
    mapping = selectors.event_source_mapping_get(uuid)
    target: dict[str, Any] = {}
    if params.get("FunctionName") is not None:
        qualified = selectors.function_get(params["FunctionName"])
        target = {"function": qualified.function, "qualifier": qualified.qualifier or ""}
    mapping = services.event_source_mapping_update(
        mapping=mapping, enabled=params.get("Enabled"), **target, **_settings(params)
    )
    return respond(request, _shape(mapping), status=202)


def delete_event_source_mapping(request: HttpRequest, uuid: str) -> HttpResponse:
    """202 with the mapping as it was, State "Deleting"."""
    mapping = services.event_source_mapping_delete(mapping=selectors.event_source_mapping_get(uuid))
    return respond(request, _shape(mapping), status=202)


def list_event_source_mappings(request: HttpRequest) -> HttpResponse:
    params = request_params(request, "ListEventSourceMappings")
    function = None
    if params.get("FunctionName"):
        function = selectors.function_get(params["FunctionName"]).function
    mappings = selectors.event_source_mapping_list(event_source_arn=params.get("EventSourceArn"), function=function)
    page, marker = paged(params, mappings, default_size=100)
    return respond(request, with_marker({"EventSourceMappings": [_shape(mapping) for mapping in page]}, marker))


def _settings(params: dict[str, Any]) -> dict[str, Any]:
    return {keyword: params[member] for member, keyword in _SETTINGS.items() if member in params}


def _moment(value: Any) -> datetime.datetime | None:
    """StartingPositionTimestamp: epoch seconds (what botocore sends) or an ISO 8601 string."""
    if value is None:
        return None
    try:
        if isinstance(value, str):
            moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
        return datetime.datetime.fromtimestamp(value, tz=datetime.UTC)
    except (ValueError, OverflowError, OSError):
        raise InvalidParameterValueException(f"Invalid StartingPositionTimestamp: {value}") from None


def _shape(mapping) -> dict[str, Any]:
    return shapes.event_source_mapping(mapping, where=selectors.account_settings_get().where)
