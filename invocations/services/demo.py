"""The classroom demo (`manage.py seed_demo`): ensure-style, so running it again changes nothing."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from ..arns import LATEST
from ..models import (
    Alias,
    ApiStage,
    Bucket,
    EventBus,
    EventInvokeConfig,
    EventRule,
    EventSourceMapping,
    Function,
    Queue,
    RestApi,
    Stream,
    StreamKind,
    TargetGroup,
    Topic,
    TopicSubscription,
)
from .aliases import alias_create, alias_update
from .async_config import event_invoke_config_put
from .clock import simulation_clock_set
from .front_doors import api_stage_create, api_stage_update, rest_api_create, target_group_create
from .functions import function_create, function_update_code
from .mappings import event_source_mapping_create, event_source_mapping_settle
from .sources import bucket_create, bucket_notification_create, bus_create, queue_create, stream_create, topic_create
from .subscriptions import event_rule_create, topic_subscription_create
from .traffic import traffic_stream_list, traffic_stream_start
from .versions import version_publish

CHECKOUT_V1 = {
    "duration_ms": {"mean": 120, "stddev": 30},
    "init_ms": 450,
    "error_rate": 0.01,
    "memory_used_mb": 72,
    "response": {"statusCode": 200, "body": "order placed"},
}
# v2 is the bad canary: one request in five fails.
CHECKOUT_V2 = {
    **CHECKOUT_V1,
    "duration_ms": {"mean": 95, "stddev": 25},
    "error_rate": 0.2,
    "error_type": "PaymentGatewayError",
    "error_message": "Payment gateway timed out",
}
ORDER_WORKER = {"duration_ms": {"mean": 300, "stddev": 80}, "init_ms": 600, "error_rate": 0.02}
CLICKSTREAM = {
    "duration_ms": {"mean": 40, "stddev": 10},
    "init_ms": 300,
    # A record with "poison": true fails every attempt and blocks its shard (§3).
    "fail_when": [{"path": "poison", "equals": True}],
    "error_type": "PoisonRecordError",
    "error_message": "Cannot parse click event",
}
# Jobs in order per customer (SQS FIFO): a poison job holds its message group until it is redriven (§3).
JOB_RUNNER = {
    "duration_ms": {"mean": 200, "stddev": 50},
    "init_ms": 400,
    "fail_when": [{"path": "poison", "equals": True}],
    "error_type": "JobFailedError",
    "error_message": "Job cannot run",
}
FAILURE_ALERTS = {"duration_ms": {"mean": 60, "stddev": 15}, "init_ms": 250, "memory_used_mb": 48}
# The default bus's rule: what Lambda sends there for a failed async invocation (semantics §2).
FAILED_INVOCATIONS = {"source": ["lambda"], "detail-type": ["Lambda Function Invocation Result - Failure"]}
THUMBNAILER = {
    "duration_ms": {"mean": 1800, "stddev": 400},
    "init_ms": 900,
    "error_rate": 0.1,
    "memory_used_mb": 700,
    "error_type": "ImageDecodeError",
    "error_message": "Unsupported image format",
}


@dataclass
class DemoSummary:
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    def note(self, created: bool, what: str) -> None:
        (self.created if created else self.kept).append(what)


@transaction.atomic
def demo_seed() -> DemoSummary:
    summary = DemoSummary()
    _checkout(summary)
    _order_pipeline(summary)
    _clickstream(summary)
    _thumbnailer(summary)
    _failure_alerts(summary)
    _fifo_jobs(summary)
    return summary


# The demo's gentle background traffic: what "Start the classroom demo" and `make run` (unless QUIET=1) start.
DEMO_TRAFFIC = (
    {"name": "checkout-prod", "target": "checkout:prod", "kind": "sync", "rate": 20.0},
    {"name": "checkout-dev", "target": "checkout:dev", "kind": "sync", "rate": 2.0},
    {"name": "uploads", "target": "thumbnailer", "kind": "s3", "rate": 1.0},
    {"name": "orders", "target": "orders", "kind": "sqs", "rate": 5.0},
)


def demo_traffic_start() -> list[str]:
    """Start (or restart) the demo's traffic streams and run the clock; returns the running streams' names."""
    for stream in DEMO_TRAFFIC:
        traffic_stream_start(**stream)
    clickstream = Stream.objects.get(kind=StreamKind.KINESIS, name="clickstream")
    traffic_stream_start(name="clicks", target=clickstream.arn, kind="kinesis", rate=10.0, poison_share=0.002)
    simulation_clock_set(paused=False)
    return [s.name for s in traffic_stream_list()]


def demo_admin_ensure(*, username: str = "admin", password: str | None = None) -> tuple[str, str | None]:
    """A staff superuser. Returns (what happened, a generated password to print once or None).

    With `password` (from LAMBDAVIZ_ADMIN_PASSWORD) the user gets exactly that password; without it an existing
    user is left alone and a new one gets a generated password. Only the hash is stored.
    """
    users = get_user_model()
    user = users.objects.filter(username=username).first()
    if user is None:
        generated = None if password else secrets.token_urlsafe(12)
        users.objects.create_superuser(username=username, email="", password=password or generated)
        return "created", generated
    if password and not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
        return "password set from LAMBDAVIZ_ADMIN_PASSWORD", None
    return "exists (password unchanged)", None


# --- the pieces ------------------------------------------------------------------------------------------------


def _function(summary: DemoSummary, name: str, **config: Any) -> tuple[Function, bool]:
    function = Function.objects.filter(name=name).first()
    summary.note(function is None, f"function {name}")
    if function is None:
        function = function_create(name=name, **config)
        return function, True
    return function, False


def _alias(function: Function, name: str, version: str, weights: dict[str, float] | None = None) -> None:
    weights = weights or {}
    alias = Alias.objects.filter(function=function, name=name).select_related("version", "routing_version").first()
    if alias is None:
        alias_create(function=function, name=name, function_version=version, routing_config=weights)
    elif alias.function_version != version or alias.additional_version_weights != weights:
        alias_update(alias=alias, function_version=version, routing_config=weights)


def _queue(summary: DemoSummary, name: str, **config: Any) -> Queue:
    queue = Queue.objects.filter(name=name).first()
    summary.note(queue is None, f"queue {name}")
    return queue or queue_create(name=name, **config)


def _topic(summary: DemoSummary, name: str) -> Topic:
    topic = Topic.objects.filter(name=name).first()
    summary.note(topic is None, f"topic {name}")
    return topic or topic_create(name=name)


def _mapping(summary: DemoSummary, function: Function, source: Queue | Stream, **settings: Any) -> None:
    lookup = {"queue": source} if isinstance(source, Queue) else {"stream": source}
    mapping = EventSourceMapping.objects.filter(function=function, qualifier="", **lookup).first()
    summary.note(mapping is None, f"mapping {source} → {function.name}")
    if mapping is None:
        mapping = event_source_mapping_create(function=function, event_source_arn=source.arn, **settings)
    # The demo starts with its pollers' mappings Enabled rather than Creating.
    event_source_mapping_settle(mapping=mapping)


def _checkout(summary: DemoSummary) -> None:
    checkout, created = _function(
        summary,
        "checkout",
        description="Places an order; v2 is a canary with a 20% error rate.",
        memory_size=512,
        timeout=10,
        environment={"PAYMENT_API": "https://payments.example"},
        secret_environment={"PAYMENT_API_KEY": secrets.token_urlsafe(16)},
        behaviour_profile=CHECKOUT_V1,
    )
    if created:
        version_publish(function=checkout, description="v1: stable")
        checkout = function_update_code(function=checkout, behaviour_profile=CHECKOUT_V2)
        version_publish(function=checkout, description="v2: canary (20% errors)")
    _alias(checkout, "dev", LATEST)
    _alias(checkout, "test", "2")
    _alias(checkout, "prod", "1", {"2": 0.05})

    api = RestApi.objects.filter(name="checkout-api").first()
    summary.note(api is None, "REST API checkout-api")
    api = api or rest_api_create(name="checkout-api", function=checkout)
    for stage_name, alias_name in (("Prod", "prod"), ("Test", "test"), ("Dev", "dev")):
        stage = ApiStage.objects.filter(rest_api=api, name=stage_name).first()
        if stage is None:
            api_stage_create(rest_api=api, name=stage_name, alias_name=alias_name)
        elif stage.alias_name != alias_name:
            api_stage_update(stage=stage, alias_name=alias_name)

    group = TargetGroup.objects.filter(name="checkout-tg").first()
    summary.note(group is None, "target group checkout-tg")
    if group is None:
        target_group_create(name="checkout-tg", function=checkout, qualifier="prod")


def _order_pipeline(summary: DemoSummary) -> None:
    dlq = _queue(summary, "orders-dlq")
    # Visibility timeout 6× the worker's timeout, DLQ on the source queue (§3).
    orders = _queue(summary, "orders", visibility_timeout=180, dead_letter_queue=dlq, max_receive_count=5)
    worker, _ = _function(
        summary,
        "order-worker",
        description="Consumes the orders queue in batches.",
        timeout=30,
        behaviour_profile=ORDER_WORKER,
    )
    _mapping(summary, worker, orders, batch_size=10, function_response_types=["ReportBatchItemFailures"])


def _clickstream(summary: DemoSummary) -> None:
    stream = Stream.objects.filter(kind=StreamKind.KINESIS, name="clickstream").first()
    summary.note(stream is None, "Kinesis stream clickstream")
    stream = stream or stream_create(kind=StreamKind.KINESIS, name="clickstream", shard_count=2)
    processor, _ = _function(
        summary,
        "clickstream-processor",
        description="Reads clickstream; a poison record blocks its shard.",
        behaviour_profile=CLICKSTREAM,
    )
    # BatchSize left at the Kinesis default (100); an explicit value above 10 would need a batching window.
    _mapping(summary, processor, stream, starting_position="TRIM_HORIZON")


def _thumbnailer(summary: DemoSummary) -> None:
    dlq = _queue(summary, "thumbnailer-dlq")
    done = _queue(summary, "thumbnails-done")
    failures = _topic(summary, "thumbnail-failures")
    thumbnailer, _ = _function(
        summary,
        "thumbnailer",
        description="Invoked asynchronously by S3 uploads; retries, DLQ and destinations.",
        memory_size=1024,
        timeout=60,
        dead_letter_target_arn=dlq.arn,
        behaviour_profile=THUMBNAILER,
    )
    wanted = {
        "maximum_retry_attempts": 2,
        "maximum_event_age_in_seconds": 3600,
        "on_success": done.arn,
        "on_failure": failures.arn,
    }
    config = EventInvokeConfig.objects.filter(function=thumbnailer, version=None, alias=None).first()
    if config is None or any(getattr(config, key) != value for key, value in wanted.items()):
        event_invoke_config_put(
            function=thumbnailer,
            maximum_retry_attempts=wanted["maximum_retry_attempts"],
            maximum_event_age_in_seconds=wanted["maximum_event_age_in_seconds"],
            destination_config={"OnSuccess": {"Destination": done.arn}, "OnFailure": {"Destination": failures.arn}},
        )
    bucket = Bucket.objects.filter(name="lambdaviz-uploads").first()
    summary.note(bucket is None, "bucket lambdaviz-uploads")
    bucket = bucket or bucket_create(name="lambdaviz-uploads")
    if not bucket.notifications.filter(function=thumbnailer).exists():
        bucket_notification_create(bucket=bucket, function=thumbnailer, suffix=".jpg")


def _failure_alerts(summary: DemoSummary) -> None:
    """thumbnail-failures (the thumbnailer's on-failure destination) fans out to failure-alerts; the default bus
    has a rule for Lambda's failure records, ready for any function whose destination is that bus."""
    alerts, _ = _function(
        summary,
        "failure-alerts",
        description="Subscribed to thumbnail-failures (SNS) and to the default bus's lambda-failures rule.",
        behaviour_profile=FAILURE_ALERTS,
    )
    topic = Topic.objects.get(name="thumbnail-failures")  # made by _thumbnailer
    subscribed = TopicSubscription.objects.filter(topic=topic, function=alerts).exists()
    summary.note(not subscribed, "subscription thumbnail-failures → failure-alerts")
    if not subscribed:
        topic_subscription_create(topic=topic, function=alerts)
    bus = EventBus.objects.filter(name="default").first()
    summary.note(bus is None, "event bus default")
    bus = bus or bus_create(name="default")
    rule = EventRule.objects.filter(bus=bus, name="lambda-failures").first()
    summary.note(rule is None, "rule default/lambda-failures → failure-alerts")
    if rule is None:
        event_rule_create(bus=bus, name="lambda-failures", event_pattern=FAILED_INVOCATIONS, function=alerts)


def _fifo_jobs(summary: DemoSummary) -> None:
    """jobs.fifo: message groups per customer; idle until fed (the "fifo_groups" scenario, or the controls)."""
    dlq = _queue(summary, "jobs-dlq.fifo")
    # Visibility timeout 6x the runner's timeout; after 3 receives a poison job goes to the DLQ and frees its group.
    jobs = _queue(summary, "jobs.fifo", visibility_timeout=60, dead_letter_queue=dlq, max_receive_count=3)
    runner, _ = _function(
        summary,
        "job-runner",
        description="Runs jobs.fifo in order per customer; a poison job blocks its group, the others flow.",
        timeout=10,
        behaviour_profile=JOB_RUNNER,
    )
    _mapping(summary, runner, jobs, batch_size=10)
