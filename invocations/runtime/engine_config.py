"""Builds the engine's view of the account (pure config dataclasses) from the Django models, in few queries."""

from __future__ import annotations

import logging

from ..engine.config import AccountConfig, AliasConfig, AsyncConfig, FunctionConfig, VersionConfig
from ..engine.sources.fanout import BusRule, TopicSubscriber
from ..engine.sources.queue_store import QueueConfig, RedrivePolicy
from ..engine.sources.stream_store import StreamConfig
from ..errors import LambdaError
from ..models import AccountSettings, CodeKind, EventRule, Function, Queue, Stream, TopicSubscription
from ..models.configuration import FunctionConfiguration
from .python_executor import PythonCode

log = logging.getLogger(__name__)


def version_config(source: FunctionConfiguration) -> VersionConfig:
    """$LATEST or a published version as the engine runs it; secrets are decrypted here, for the runtime only."""
    python = source.code_kind == CodeKind.PYTHON
    return VersionConfig(
        memory_mb=source.memory_size,
        timeout_s=float(source.timeout),
        profile=source.profile(),
        dlq_arn=source.dead_letter_target_arn or None,
        env=_environment(source),
        runtime=source.runtime,
        executor="python" if python else "modelled",
        code=python_code(source) if python else None,
        ephemeral_storage_mb=source.ephemeral_storage_size,
    )


def python_code(source: FunctionConfiguration) -> PythonCode:
    """The uploaded deployment package when there is one (the whole zip), else the source written in the dashboard."""
    if source.code_archive:
        return PythonCode(source.handler, archive=bytes(source.code_archive))
    return PythonCode.single_file(source.handler_source, source.handler)


def _environment(source: FunctionConfiguration) -> dict[str, str]:
    """Plain and decrypted secret variables. A secret that cannot be decrypted (the KMS stand-in's key changed)
    leaves the function running without it, logged, instead of stopping the whole simulator."""
    try:
        return source.environment_for_runtime()
    except LambdaError:
        log.exception("could not decrypt the secret environment of %s; running without it", source)
        return dict(source.environment)


def function_config(function: Function) -> FunctionConfig:
    versions = {"$LATEST": version_config(function)}
    versions.update({str(v.number): version_config(v) for v in function.versions.all()})
    aliases = {
        alias.name: AliasConfig(alias.function_version, dict(alias.additional_version_weights))
        for alias in function.aliases.all()
    }
    async_configs = {
        config.qualifier: AsyncConfig(
            max_retry_attempts=config.effective_maximum_retry_attempts,
            max_event_age_s=float(config.effective_maximum_event_age_in_seconds),
            on_success=config.on_success or None,
            on_failure=config.on_failure or None,
        )
        for config in function.event_invoke_configs.all()
    }
    provisioned = {config.qualifier: config.requested for config in function.provisioned_concurrency_configs.all()}
    return FunctionConfig(
        name=function.name,
        versions=versions,
        aliases=aliases,
        reserved_concurrency=function.reserved_concurrency,
        async_configs=async_configs,
        provisioned=provisioned,
    )


def account_config() -> AccountConfig:
    settings = AccountSettings.load()
    return AccountConfig(
        region=settings.region,
        account_id=settings.account_id,
        concurrency_limit=settings.concurrency_limit,
        unreserved_min=settings.unreserved_minimum,
    )


def queue_config(queue: Queue) -> QueueConfig:
    """A simulated SQS queue as the engine sees it: visibility timeout and redrive policy."""
    redrive = None
    if queue.dead_letter_queue is not None and queue.max_receive_count:
        redrive = RedrivePolicy(queue.dead_letter_queue.arn, queue.max_receive_count)
    return QueueConfig(queue.arn, fifo=queue.fifo, visibility_timeout=float(queue.visibility_timeout), redrive=redrive)


def stream_config(stream: Stream) -> StreamConfig:
    """A simulated Kinesis or DynamoDB stream as the engine sees it: its shards and retention."""
    return StreamConfig(stream.arn, stream.kind, stream.shard_count, retention=stream.retention_hours * 3600.0)


def all_function_configs() -> list[FunctionConfig]:
    functions = Function.objects.select_related("concurrency").prefetch_related(
        "versions",
        "aliases__version",
        "aliases__routing_version",
        "event_invoke_configs__version",
        "event_invoke_configs__alias",
        "provisioned_concurrency_configs__version",
        "provisioned_concurrency_configs__alias",
    )
    return [function_config(fn) for fn in functions]


def topic_subscribers() -> list[TopicSubscriber]:
    """Every Lambda subscription of every topic, as the runtime fans messages out."""
    return [
        TopicSubscriber(s.topic.arn, s.target, str(s.subscription_id), s.filter_policy)
        for s in TopicSubscription.objects.select_related("topic", "function")
    ]


def bus_rules() -> list[BusRule]:
    """Every enabled EventBridge rule (a disabled rule matches nothing)."""
    return [
        BusRule(r.bus.arn, r.name, r.target, r.event_pattern)
        for r in EventRule.objects.filter(enabled=True).select_related("bus", "function")
    ]
