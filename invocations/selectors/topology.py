"""Read models for the dashboard: what the function diagram draws, the log tail and delivered records (issue 12:
moved out of the dashboard, so the interface only renders what a selector read)."""

from __future__ import annotations

from typing import Any

from .. import selectors
from ..models import (
    ApiStage,
    BucketNotification,
    EventBus,
    EventInvokeConfig,
    EventRule,
    Function,
    Queue,
    Stream,
    TargetGroup,
    Topic,
    TopicSubscription,
)
from ..runtime.connection import redis_client
from ..runtime.targets import outbox


def function_summaries() -> list[dict[str, Any]]:
    """Every function as the account page lists it (name, versions, aliases, concurrency settings)."""
    return [selectors.function_summary(function) for function in selectors.function_list()]


def function_topology(function: Function) -> dict[str, Any]:
    """Invokers, aliases, versions, concurrency settings and destinations of one function (from the database)."""
    summary = selectors.function_summary(function)
    stages = [
        {"api": stage.rest_api.name, "stage": stage.name, "qualifier": stage.alias_name or ""}
        for stage in ApiStage.objects.filter(rest_api__function=function).select_related("rest_api")
    ]
    groups = [{"name": g.name, "qualifier": g.qualifier} for g in TargetGroup.objects.filter(function=function)]
    async_sources = [
        {"kind": "s3", "label": f"S3 {n.bucket.name}", "qualifier": n.qualifier}
        for n in BucketNotification.objects.filter(function=function).select_related("bucket")
    ]
    async_sources += [
        {
            "kind": "sns",
            "label": f"SNS {s.topic.name}",
            "qualifier": s.qualifier,
            "topic_arn": s.topic.arn,
            "filter_policy": s.filter_policy,
        }
        for s in TopicSubscription.objects.filter(function=function).select_related("topic")
    ]
    async_sources += [
        {
            "kind": "eventbridge",
            "label": f"EventBridge {r.bus.name}/{r.name}",
            "qualifier": r.qualifier,
            "bus_arn": r.bus.arn,
            "event_pattern": r.event_pattern,
            "enabled": r.enabled,
        }
        for r in EventRule.objects.filter(function=function).select_related("bus")
    ]
    mappings = []
    for mapping in selectors.event_source_mapping_list(function=function).select_related(
        "queue__dead_letter_queue", "stream"
    ):
        if mapping.queue_id:
            queue = mapping.queue
            dlq = queue.dead_letter_queue
            mappings.append(
                {
                    "uuid": str(mapping.uuid),
                    "kind": "sqs",
                    "name": queue.name,
                    "arn": queue.arn,
                    "dlq_name": dlq.name if dlq else "",
                    "dlq_arn": dlq.arn if dlq else "",
                    "batch_size": mapping.batch_size,
                    "qualifier": mapping.qualifier,
                    "fifo": queue.fifo,
                }
            )
        elif mapping.stream_id:
            mappings.append(
                {
                    "uuid": str(mapping.uuid),
                    "kind": mapping.stream.kind,
                    "name": mapping.stream.name,
                    "arn": mapping.stream.arn,
                    "shard_count": mapping.stream.shard_count,
                    "on_failure": mapping.on_failure_destination,
                    "qualifier": mapping.qualifier,
                }
            )
    configs = [
        {
            "qualifier": c.qualifier,
            "maximum_retry_attempts": c.maximum_retry_attempts,
            "maximum_event_age_in_seconds": c.maximum_event_age_in_seconds,
            "on_success": c.on_success,
            "on_failure": c.on_failure,
        }
        for c in EventInvokeConfig.objects.filter(function=function).select_related("alias", "version")
    ]
    provisioned = [
        {
            "qualifier": c.qualifier,
            "requested": c.requested,
            "allocated": c.allocated,
            "status": c.status,
        }
        for c in selectors.provisioned_concurrency_list(function=function).select_related("alias", "version")
    ]
    targets = {m["arn"] for m in mappings if m["kind"] == "sqs"} | {m.get("dlq_arn", "") for m in mappings}
    targets |= {function.dead_letter_target_arn} | {c[k] for c in configs for k in ("on_success", "on_failure")}
    profile = function.behaviour_profile or {}
    duration = profile.get("duration_ms") or {}
    return {
        **summary,
        "description": function.description,
        "timeout": function.timeout,
        "memory_size": function.memory_size,
        "dead_letter_target_arn": function.dead_letter_target_arn,
        "tracing_mode": function.tracing_mode,  # stored, not simulated (the page says so)
        "snap_start_apply_on": function.snap_start_apply_on,
        "invokers": {"api_stages": stages, "target_groups": groups, "async": async_sources, "mappings": mappings},
        "event_invoke_configs": configs,
        "provisioned": provisioned,
        "queue_arns": _simulated_queues(targets),
        "subscribers": _subscribers(targets),
        "profile": {
            "duration_mean_ms": duration.get("mean", 100) if isinstance(duration, dict) else duration,
            "duration_stddev_ms": duration.get("stddev", 20) if isinstance(duration, dict) else 0,
            "init_ms": profile.get("init_ms", 250),
            "error_rate": profile.get("error_rate", 0.0),
            "timeout_rate": profile.get("timeout_rate", 0.0),
        },
    }


def _simulated_queues(arns: set[str]) -> list[str]:
    """Which of these ARNs are simulated SQS queues (their messages can be looked at), sorted."""
    names = {arn.rsplit(":", 1)[-1]: arn for arn in arns if arn and arn.startswith("arn:aws:sqs:")}
    return sorted(q.arn for q in Queue.objects.filter(name__in=names) if q.arn == names[q.name])


def _subscribers(arns: set[str]) -> dict[str, list[dict[str, str]]]:
    """Who a destination or DLQ that is a topic or a bus passes its records on to: the topic's Lambda subscriptions,
    the bus's enabled rules with their target (whether a rule's pattern matches a given record is not judged here)."""
    topics = {t.arn: t for t in Topic.objects.filter(name__in={a.rsplit(":", 1)[-1] for a in arns if a})}
    buses = {b.arn: b for b in EventBus.objects.filter(name__in={a.rsplit("/", 1)[-1] for a in arns if a})}
    found: dict[str, list[dict[str, str]]] = {}
    for arn in sorted(a for a in arns if a):
        if arn in topics:
            found[arn] = [
                {"function": s.function.name, "qualifier": s.qualifier, "via": "subscription"}
                for s in topics[arn].subscriptions.select_related("function")
            ]
        elif arn in buses:
            found[arn] = [
                {"function": r.function.name, "qualifier": r.qualifier, "via": f"rule {r.name}"}
                for r in buses[arn].rules.filter(enabled=True).select_related("function")
            ]
    return found


def source_choices() -> dict[str, list[dict[str, str]]]:
    """Queues, streams, topics and buses the "put a message / record / publish / put an event" controls offer."""
    return {
        # FIFO queues are offered too: the control then asks for a MessageGroupId and a MessageDeduplicationId.
        "queues": [{"name": q.name, "arn": q.arn, "fifo": q.fifo} for q in Queue.objects.order_by("name")],
        "streams": [{"name": f"{s.kind} {s.name}", "arn": s.arn} for s in Stream.objects.order_by("kind", "name")],
        # FIFO topics need a MessageGroupId, which LambdaViz does not model (topic_publish refuses them).
        "topics": [
            {"name": t.name, "arn": t.arn} for t in Topic.objects.order_by("name") if not t.name.endswith(".fifo")
        ],
        "buses": [{"name": b.name, "arn": b.arn} for b in EventBus.objects.order_by("name")],
    }


def delivered_records(arn: str, limit: int = 20) -> list[dict]:
    """What the runtime delivered to a destination or DLQ (newest first)."""
    return outbox(redis_client(), arn, limit=limit)
