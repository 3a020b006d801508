"""Test helpers: plain functions that build things through the services, and a whole-database snapshot."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.apps import apps

from invocations import services
from invocations.errors import LambdaError
from invocations.models import Function, InvocationRecord, Queue, Stream, Version


def make_function(name: str = "fn", **config: Any) -> Function:
    return services.function_create(name=name, **config)


def make_versions(function: Function, *error_rates: float) -> list[Version]:
    """Publish one version per error rate (each a different behaviour profile)."""
    versions = []
    for rate in error_rates:
        function = services.function_update_code(function=function, behaviour_profile={"error_rate": rate})
        versions.append(services.version_publish(function=function))
    return versions


def make_queue(name: str = "q", **config: Any) -> Queue:
    return services.queue_create(name=name, **config)


_record_ids = itertools.count()


def invocation_record(
    at: float, *, version="1", outcome="Success", duration_ms=100.0, cold=False, fn="checkout"
) -> InvocationRecord:
    """An unsaved record as the runtime writes it: completed at simulated time `at`, after `duration_ms`."""
    throttled = outcome == "Throttled"
    return InvocationRecord(
        request_id=f"r{next(_record_ids)}",
        function=fn,
        qualifier="prod",
        executed_version="" if throttled else version,
        source="sdk",
        invocation_type="RequestResponse",
        outcome=outcome,
        throttle_reason="ReservedFunctionConcurrentInvocationLimitExceeded" if throttled else "",
        cold_start=cold,
        duration_ms=0.0 if throttled else duration_ms,
        started_at=at if throttled else at - duration_ms / 1000,
        completed_at=at,
    )


def make_stream(name: str = "s", kind: str = "kinesis", shard_count: int = 1) -> Stream:
    return services.stream_create(kind=kind, name=name, shard_count=shard_count)


def db_state(*, with_users: bool = False) -> dict[str, list[dict]]:
    """Every row of every invocations model (and optionally of auth users), ordered by primary key."""
    models = list(apps.get_app_config("invocations").get_models())
    if with_users:
        models.append(apps.get_model("auth", "User"))
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def assert_refused(call, error: type[LambdaError], message: str | None = None) -> LambdaError:
    """`call()` raises `error` (with exactly `message` when given) and leaves the database as it was."""
    before = db_state()
    with pytest.raises(error) as info:
        call()
    assert type(info.value) is error, f"{type(info.value).__name__}: {info.value.message}"
    if message is not None:
        assert info.value.message == message
    assert db_state() == before, "a refused write changed the database"
    return info.value
