"""Dashboard use cases that combine services: weights with a live announcement, publish with a profile, scenarios."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction

from .. import selectors
from ..errors import InvalidParameterValueException
from ..models import Alias, Function
from ..runtime.publisher import Publisher
from ..services import (
    alias_update,
    function_concurrency_delete,
    function_concurrency_put,
    function_update_code,
    simulation_clock_set,
    version_publish,
)
from ..services.demo import demo_seed, demo_traffic_start
from ..services.sources_live import topic_publish
from ..services.traffic import traffic_burst_send, traffic_stream_list, traffic_stream_start, traffic_stream_stop


def _announce_alias(alias: Alias) -> None:
    """Every open dashboard redraws the alias once the change is committed."""
    name, function = alias.name, alias.function.name
    version, weights = alias.function_version, dict(alias.additional_version_weights)
    transaction.on_commit(
        lambda: Publisher().announce(
            "AliasWeightsChanged", function, alias=name, function_version=version, weights=weights
        )
    )


@transaction.atomic
def alias_weight_set(*, function: Function, alias_name: str, percent: float) -> Alias:
    """The slider: `percent` of the alias's traffic goes to its additional version."""
    alias = selectors.alias_get(function=function, name=alias_name)
    weights = alias.additional_version_weights
    if not weights:
        raise InvalidParameterValueException(
            f"Alias {alias_name} has no additional version; set its versions first to split its traffic."
        )
    (additional, _), *_ = weights.items()
    alias = alias_update(alias=alias, routing_config={additional: round(percent / 100.0, 4)})
    _announce_alias(alias)
    return alias


@transaction.atomic
def alias_versions_set(
    *, function: Function, alias_name: str, function_version: str, additional_version: str, percent: float | None
) -> Alias:
    """Point the alias at a primary version and, optionally, an additional version with a weight."""
    alias = selectors.alias_get(function=function, name=alias_name)
    routing: dict[str, float] = {}
    if additional_version:
        routing = {additional_version: round((percent or 0.0) / 100.0, 4)}
    alias = alias_update(alias=alias, function_version=function_version, routing_config=routing)
    _announce_alias(alias)
    return alias


@transaction.atomic
def version_publish_with_profile(*, function: Function, description: str, profile: dict[str, Any]):
    """Put the edited behaviour profile on $LATEST (keeping its other keys), then publish it as a new version."""
    current = dict(function.behaviour_profile or {})
    current.update(profile)
    function = function_update_code(function=function, behaviour_profile=current)
    version = version_publish(function=function, description=description or None)
    transaction.on_commit(lambda: Publisher().announce("VersionPublished", function.name, version=version.version))
    return version


def reserved_set(*, function: Function, reserved: int | None) -> None:
    if reserved is None:
        function_concurrency_delete(function=function)
    else:
        function_concurrency_put(function=function, reserved_concurrent_executions=reserved)
    transaction.on_commit(lambda: Publisher().announce("ConcurrencyChanged", function.name, reserved=reserved))


def topic_message_publish(*, topic: str, message: str, subject: str, attributes: dict[str, Any]) -> str:
    """The "Publish to topic" panel: attributes may be given as SNS MessageAttributes or, for the classroom, as
    plain values ({"ErrorCode": "500", "Retries": 3, "Tags": ["a", "b"]}). Returns the MessageId."""
    return topic_publish(
        topic=topic, message=message, subject=subject or None, message_attributes=message_attributes(attributes) or None
    )


def message_attributes(values: dict[str, Any]) -> dict[str, Any]:
    """Plain values become String / Number / String.Array attributes; anything else goes to SNS's checks as given."""
    attributes: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, str):
            attributes[name] = {"DataType": "String", "StringValue": value}
        elif isinstance(value, int | float) and not isinstance(value, bool):
            attributes[name] = {"DataType": "Number", "StringValue": json.dumps(value)}
        elif isinstance(value, list):
            attributes[name] = {"DataType": "String.Array", "StringValue": json.dumps(value)}
        else:
            attributes[name] = value
    return attributes


# --- scenarios ----------------------------------------------------------------------------------------------------

SCENARIOS = {
    "seed_demo": "The classroom demo: checkout's prod alias at 95/5, an SQS worker, a Kinesis stream, S3 uploads.",
    "canary_50": "Move checkout's prod alias to 50/50 and watch the canary's errors double.",
    "throttle": "Reserve 0 concurrency for checkout: every invocation is throttled (429).",
    "fifo_groups": "Feed jobs.fifo over 3 customer groups, plus one poison job: its group blocks, the others flow.",
    "stop_traffic": "Stop every running traffic stream.",
}


def scenario_run(*, name: str) -> dict[str, Any]:
    if name not in SCENARIOS:
        raise InvalidParameterValueException(f"Unknown scenario {name}. Choose one of {', '.join(SCENARIOS)}.")
    if name == "seed_demo":
        summary = demo_seed()
        return {"created": summary.created, "traffic": demo_traffic_start()}
    if name == "canary_50":
        checkout = selectors.function_get("checkout").function
        alias_weight_set(function=checkout, alias_name="prod", percent=50)
        return {"alias": "prod", "weight": 50}
    if name == "fifo_groups":
        demo_seed()  # idempotent: makes jobs.fifo and job-runner if an older demo predates them
        traffic_stream_start(name="jobs", target="jobs.fifo", kind="sqs", rate=3.0, group_id="customer", groups=3)
        traffic_burst_send(target="jobs.fifo", kind="sqs", count=1, payload={"poison": True}, group_id="customer-0")
        simulation_clock_set(paused=False)
        return {"traffic": ["jobs"], "poison_group": "customer-0"}
    if name == "throttle":
        reserved_set(function=selectors.function_get("checkout").function, reserved=0)
        return {"reserved": 0}
    for stream in traffic_stream_list():
        traffic_stream_stop(name=stream.name)
    return {"stopped": True}
