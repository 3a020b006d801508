"""Invoke: RequestResponse through the engine host (waiting for its reply), Event into the durable inbox, DryRun.

The view is async: a sync invoke waits up to the function's timeout (at the clock's speed) without holding one of
the server's worker threads, so many callers can wait at once (semantics §1, §2).
"""

from __future__ import annotations

import functools
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import redis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from invocations import selectors
from invocations.errors import (
    InvalidRequestContentException,
    RequestTooLargeException,
    ServiceException,
    TooManyRequestsException,
    ValidationException,
)
from invocations.rules.messages import enum_failed
from invocations.runtime.invoke_client import SyncInvokeResult, invoke_async, invoke_sync
from invocations.runtime.shared_clock import SharedClock

from ..auth import aws_signed
from .client_context import client_context_from_header
from .common import UnknownOperationException, respond

INVOCATION_TYPES = ["RequestResponse", "Event", "DryRun"]
LOG_TYPES = ["None", "Tail"]
SYNC_PAYLOAD_LIMIT = 6_291_456  # 6 MB request and response (semantics §1)
ASYNC_PAYLOAD_LIMIT = 1_048_576  # 1 MB since Oct 2025 (semantics §1)
RESPONSE_TOO_LARGE = {
    "errorMessage": "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
    "errorType": "Function.ResponseSizeTooLarge",
}
SOURCE = "sdk"
# How long a caller waits for the host: the function's timeout plus Lambda's 10 s Init limit (semantics §9), in wall
# seconds at the clock's speed, plus a margin for the round trip; while the clock is paused, a fixed cap.
INIT_ALLOWANCE_S = 10.0
WAIT_MARGIN_S = 5.0
PAUSED_WAIT_S = 60.0
MAX_WAIT_S = 15 * 60 + 30.0
PAUSED_MESSAGE = (
    "The simulation clock is paused, so the invocation did not finish within {wait:g} s; resume the clock and retry."
)

# Threads that only wait on Redis for the host's reply (cheap; enough for a classroom of concurrent callers).
_waiters = ThreadPoolExecutor(max_workers=256, thread_name_prefix="lv-invoke-wait")


@dataclass(frozen=True)
class Target:
    """What the host is asked to invoke ("name" or "name:qualifier") and the longest timeout it may run for."""

    name: str
    timeout_s: float


@aws_signed
async def invoke(request: HttpRequest, function_name: str) -> HttpResponse:
    if request.method != "POST":
        raise UnknownOperationException(f"Unknown operation: {request.method} {request.path}")
    invocation_type = request.headers.get("X-Amz-Invocation-Type") or "RequestResponse"
    if invocation_type not in INVOCATION_TYPES:
        raise ValidationException(enum_failed(invocation_type, "invocationType", INVOCATION_TYPES))
    log_type = request.headers.get("X-Amz-Log-Type") or "None"
    if log_type not in LOG_TYPES:
        raise ValidationException(enum_failed(log_type, "logType", LOG_TYPES))
    client_context = client_context_from_header(request.headers.get("X-Amz-Client-Context"))
    body = request.body
    if invocation_type == "Event" and len(body) > ASYNC_PAYLOAD_LIMIT:
        raise RequestTooLargeException(
            f"{len(body)} byte payload is too large for the Event invocation type (limit {ASYNC_PAYLOAD_LIMIT} bytes)"
        )
    if len(body) > SYNC_PAYLOAD_LIMIT:
        raise RequestTooLargeException(
            f"Request must be smaller than {SYNC_PAYLOAD_LIMIT} bytes for the InvokeFunction operation"
        )
    payload = event_payload(body)
    target = await sync_to_async(resolve)(function_name, request.GET.get("Qualifier"))
    if invocation_type == "DryRun":
        return respond(request, None, status=204)
    if invocation_type == "Event":
        await sync_to_async(invoke_async, thread_sensitive=False, executor=_waiters)(
            target.name, payload, source=SOURCE, client=_redis()
        )
        return respond(request, None, status=202)
    result = await sync_to_async(wait_for_result, thread_sensitive=False, executor=_waiters)(
        target, payload, client_context
    )
    return invocation_response(request, result, tail=log_type == "Tail")


def event_payload(body: bytes) -> Any:
    """The event: any JSON value; an empty body is {} (as AWS hands the function an empty object)."""
    if not body.strip():
        return {}
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        # ⚠ AWS quotes its own (Jackson) parser error after this prefix; ours is Python's.
        raise InvalidRequestContentException(
            f"Could not parse request body into json: Could not parse payload into json: {error}"
        ) from None


def resolve(function_name: str, qualifier: str | None) -> Target:
    """Check the function and qualifier exist (404 otherwise) before anything reaches the host."""
    qualified = selectors.function_get(function_name, qualifier)
    timeouts = [qualified.configuration.timeout]
    alias = qualified.alias
    if alias is not None and alias.routing_version is not None:
        timeouts.append(alias.routing_version.timeout)
    name = qualified.function.name
    return Target(f"{name}:{qualified.qualifier}" if qualified.qualifier else name, float(max(timeouts)))


def wait_for_result(target: Target, payload: Any, client_context: dict[str, Any] | None = None) -> SyncInvokeResult:
    client = _redis()
    state = _clock().state()
    if state.paused:
        wait = PAUSED_WAIT_S
    else:
        wait = min(MAX_WAIT_S, (target.timeout_s + INIT_ALLOWANCE_S) / state.factor + WAIT_MARGIN_S)
    try:
        return invoke_sync(
            target.name, payload, wait_s=wait, source=SOURCE, client=client, client_context=client_context
        )
    except ServiceException:
        if _clock().state(fresh=True).paused:
            raise ServiceException(PAUSED_MESSAGE.format(wait=wait)) from None
        raise


def invocation_response(request: HttpRequest, result: SyncInvokeResult, *, tail: bool) -> HttpResponse:
    """200 with the function's answer (function errors included); a throttle is a 429 without an executed version."""
    body = result.payload if isinstance(result.payload, dict) else {}
    if result.outcome == "Throttled":
        raise TooManyRequestsException(
            result.throttle_reason or body.get("Reason") or "ConcurrentInvocationLimitExceeded",
            str(body.get("message") or "Rate Exceeded."),
        )
    if result.outcome == "ServiceError":
        raise ServiceException(str(body.get("message") or "An internal error occurred."))
    content = json.dumps(result.payload).encode()
    function_error = result.function_error
    if len(content) > SYNC_PAYLOAD_LIMIT:
        content, function_error = json.dumps(RESPONSE_TOO_LARGE).encode(), "Unhandled"
    headers = {}
    if result.executed_version:
        headers["X-Amz-Executed-Version"] = result.executed_version
    if function_error:
        headers["X-Amz-Function-Error"] = function_error
    if tail:
        headers["X-Amz-Log-Result"] = result.log_result
    return respond(request, content, status=result.status_code or 200, headers=headers)


@functools.cache
def _redis() -> redis.Redis:
    # redis-py 8's default 5 s socket timeout would cut a longer BLPOP short (STACK-NOTES): wait as long as asked.
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=None)


@functools.cache
def _clock() -> SharedClock:
    return SharedClock(_redis())
