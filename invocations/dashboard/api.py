"""The dashboard's JSON endpoints: staff-only controls (POST) and public reads (GET). Thin: forms, then services."""

from __future__ import annotations

from django.http import HttpRequest
from django.views.decorators.http import require_GET

from .. import selectors
from ..errors import InvalidParameterValueException, InvalidRequestContentException, ResourceNotFoundException
from ..rules.json_input import parse_json
from ..selectors import log_events, topology
from ..services import (
    alarm_panels,
    event_invoke_config_put,
    metric_history,
    provisioned_concurrency_delete,
    provisioned_concurrency_put,
)
from ..services.aliases import alias_versions_set, alias_weight_set
from ..services.clock import simulation_clock_now, simulation_clock_set
from ..services.cloudwatch import STATES
from ..services.concurrency import function_concurrency_set
from ..services.scenarios import SCENARIOS, scenario_run
from ..services.sources_live import (
    PEEK_LIMIT,
    event_bus_put_event,
    queue_message_send,
    queue_messages_peek,
    stream_record_put,
    topic_message_publish,
)
from ..services.traffic import (
    TrafficStream,
    traffic_burst_send,
    traffic_stream_list,
    traffic_stream_start,
    traffic_stream_stop,
)
from ..services.versions import version_publish_with_profile
from . import forms
from .http import read_endpoint, staff_action


def _function(name: str):
    return selectors.function_get_unqualified(name)


def _stream_dict(stream: TrafficStream) -> dict:
    return dict(stream.__dict__)


# --- reads ------------------------------------------------------------------------------------------------------


@require_GET
@read_endpoint
def function_topology(request: HttpRequest, name: str) -> dict:
    return topology.function_topology(_function(name))


@require_GET
@read_endpoint
def function_logs(request: HttpRequest, name: str) -> dict:
    version = request.GET.get("version") or None
    # The same store the CloudWatch Logs API reads: each entry names its log stream.
    entries = log_events.recent_invocations(_function(name).name, version, limit=40)
    return {"function": name, "version": version, "entries": entries}


@require_GET
@read_endpoint
def function_history(request: HttpRequest, name: str) -> dict:
    seconds = forms.cleaned(forms.HistoryForm, request.GET.dict())["seconds"] or metric_history.WINDOW_S
    function = _function(name)
    # From the metric store (issue 13 point 1): one Redis pipeline, whatever the traffic.
    return metric_history.function_history(function=function.name, until=simulation_clock_now(), seconds=seconds)


@require_GET
@read_endpoint
def function_alarms(request: HttpRequest, name: str) -> dict:
    function = _function(name)
    # The function's alarms as DescribeAlarms shows them, each with its recent datapoints (issue 13 point 5).
    return alarm_panels.function_alarms(function=function.name, until=simulation_clock_now())


@require_GET
@read_endpoint
def alarms(request: HttpRequest) -> dict:
    state = request.GET.get("state") or "ALARM"
    if state not in STATES:
        raise InvalidParameterValueException(f"state must be one of {', '.join(STATES)}.")
    return {"state": state, "alarms": alarm_panels.alarms_in_state(state=state)}


@require_GET
@read_endpoint
def delivered(request: HttpRequest) -> dict:
    arn = request.GET.get("arn", "")
    if not arn.startswith("arn:"):
        raise InvalidParameterValueException("Give the destination's ARN as ?arn=.")
    return {"arn": arn, "records": topology.delivered_records(arn)}


@require_GET
@read_endpoint
def queue_messages(request: HttpRequest) -> dict:
    values = forms.cleaned(forms.QueueMessagesForm, request.GET.dict())
    return queue_messages_peek(queue=values["arn"], limit=values["limit"] or PEEK_LIMIT)


@require_GET
@read_endpoint
def traffic_list(request: HttpRequest) -> dict:
    return {"streams": [_stream_dict(s) for s in traffic_stream_list()]}


# --- controls ---------------------------------------------------------------------------------------------------


@staff_action
def alias_weight(request: HttpRequest, data: dict, name: str, alias: str) -> dict:
    percent = forms.cleaned(forms.AliasWeightForm, data)["weight"]
    updated = alias_weight_set(function=_function(name), alias_name=alias, percent=percent)
    return {
        "alias": updated.name,
        "function_version": updated.function_version,
        "weights": updated.additional_version_weights,
    }


@staff_action
def alias_versions(request: HttpRequest, data: dict, name: str, alias: str) -> dict:
    values = forms.cleaned(forms.AliasVersionsForm, data)
    updated = alias_versions_set(
        function=_function(name),
        alias_name=alias,
        function_version=values["function_version"],
        additional_version=values["additional_version"],
        percent=values["weight"],
    )
    return {
        "alias": updated.name,
        "function_version": updated.function_version,
        "weights": updated.additional_version_weights,
    }


@staff_action
def errors_alarm(request: HttpRequest, data: dict, name: str, alias: str) -> dict:
    return alarm_panels.errors_alarm_create(function=name, alias=alias)


@staff_action
def version_publish(request: HttpRequest, data: dict, name: str) -> dict:
    values = forms.cleaned(forms.PublishForm, data)
    profile = {
        "duration_ms": {"mean": values["duration_mean_ms"], "stddev": values["duration_stddev_ms"] or 0.0},
        "init_ms": values["init_ms"],
        "error_rate": values["error_rate"],
        "timeout_rate": values["timeout_rate"],
    }
    version = version_publish_with_profile(function=_function(name), description=values["description"], profile=profile)
    return {"version": version.version}


@staff_action
def reserved_concurrency(request: HttpRequest, data: dict, name: str) -> dict:
    reserved = forms.cleaned(forms.ReservedForm, data)["reserved"]
    function_concurrency_set(function=_function(name), reserved=reserved)
    return {"reserved": reserved}


@staff_action
def provisioned_concurrency(request: HttpRequest, data: dict, name: str) -> dict:
    values = forms.cleaned(forms.ProvisionedForm, data)
    function = _function(name)
    if values["count"] == 0:
        provisioned_concurrency_delete(function=function, qualifier=values["qualifier"])
        return {"qualifier": values["qualifier"], "requested": 0}
    config = provisioned_concurrency_put(
        function=function, qualifier=values["qualifier"], provisioned_concurrent_executions=values["count"]
    )
    return {"qualifier": values["qualifier"], "requested": config.requested, "status": config.status}


@staff_action
def event_invoke_config(request: HttpRequest, data: dict, name: str) -> dict:
    values = forms.cleaned(forms.EventInvokeConfigForm, data)
    destinations = {}
    for key, field in (("OnSuccess", "on_success"), ("OnFailure", "on_failure")):
        if values[field]:
            destinations[key] = {"Destination": values[field]}
    config = event_invoke_config_put(
        function=_function(name),
        qualifier=values["qualifier"] or None,
        maximum_retry_attempts=values["maximum_retry_attempts"],
        maximum_event_age_in_seconds=values["maximum_event_age_in_seconds"],
        destination_config=destinations or None,
    )
    return {
        "maximum_retry_attempts": config.maximum_retry_attempts,
        "maximum_event_age_in_seconds": config.maximum_event_age_in_seconds,
        "on_success": config.on_success,
        "on_failure": config.on_failure,
    }


@staff_action
def traffic_start(request: HttpRequest, data: dict) -> dict:
    values = forms.cleaned(forms.TrafficStartForm, data)
    stream = traffic_stream_start(
        name=values["name"],
        target=values["target"],
        rate=values["rate"],
        pattern=values["pattern"] or "constant",
        kind=values["kind"],
        payload=values["payload"],
        poison_share=values["poison_share"] or 0.0,
        **_fifo_values(values),
    )
    return _stream_dict(stream)


@staff_action
def traffic_stop(request: HttpRequest, data: dict) -> dict:
    name = forms.cleaned(forms.TrafficStopForm, data)["name"]
    traffic_stream_stop(name=name)
    return {"stopped": name}


@staff_action
def traffic_burst(request: HttpRequest, data: dict) -> dict:
    values = forms.cleaned(forms.TrafficBurstForm, data)
    traffic_burst_send(
        target=values["target"],
        count=values["count"],
        kind=values["kind"],
        payload=values["payload"],
        poison_share=values["poison_share"] or 0.0,
        **_fifo_values(values),
    )
    return {"sent": values["count"]}


def _fifo_values(values: dict) -> dict:
    """The traffic forms' SQS FIFO fields: a group id, a rule for N groups, a deduplication id template."""
    return {"group_id": values["group_id"], "groups": values["groups"] or 0, "dedup_id": values["dedup_id"]}


@staff_action
def queue_message(request: HttpRequest, data: dict) -> dict:
    values = forms.cleaned(forms.QueueMessageForm, data)
    message_id = queue_message_send(
        queue=values["queue"], body=values["body"], group_id=values["group_id"], dedup_id=values["dedup_id"]
    )
    return {"MessageId": message_id}


@staff_action
def stream_record(request: HttpRequest, data: dict) -> dict:
    values = forms.cleaned(forms.StreamRecordForm, data)
    try:
        record_data = parse_json(values["data"])
    except InvalidRequestContentException:
        record_data = values["data"]
    return stream_record_put(stream=values["stream"], partition_key=values["partition_key"], data=record_data)


@staff_action
def topic_message(request: HttpRequest, data: dict) -> dict:
    values = forms.cleaned(forms.TopicPublishForm, data)
    return {"MessageId": topic_message_publish(**values)}


@staff_action
def bus_event(request: HttpRequest, data: dict) -> dict:
    values = forms.cleaned(forms.BusEventForm, data)
    event_id = event_bus_put_event(
        bus=values["bus"], source=values["source"], detail_type=values["detail_type"], detail=values["detail"]
    )
    return {"FailedEntryCount": 0, "Entries": [{"EventId": event_id}]}


@staff_action
def clock(request: HttpRequest, data: dict) -> dict:
    values = forms.cleaned(forms.ClockForm, data)
    if values["factor"] is None and values["paused"] is None:
        raise InvalidParameterValueException("Give a speed (factor) or paused.")
    simulation_clock_set(factor=values["factor"], paused=values["paused"])
    account = selectors.account_settings_get()
    return {"factor": account.clock_factor, "paused": account.clock_paused}


@staff_action
def scenario(request: HttpRequest, data: dict, name: str) -> dict:
    if name not in SCENARIOS:
        raise ResourceNotFoundException(f"No scenario named {name}.")
    return scenario_run(name=name)
