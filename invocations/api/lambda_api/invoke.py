"""Invoke: RequestResponse through the engine host (waiting for its reply), Event into the durable inbox, DryRun.

The rules (headers, limits, payload, wait budget, the answer's shape) are the helpers below, shared by the Django
view here and the lean ASGI route (invoke_route.py) that daphne serves without Django's middleware. Both are async:
a sync invoke waits up to the function's timeout (at the clock's speed) without holding one of the server's worker
threads, so many callers can wait at once (semantics §1, §2).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import redis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from invocations.errors import (
    RequestTooLargeException,
    ServiceException,
    TooManyRequestsException,
    ValidationException,
)
from invocations.rules.json_input import parse_json
from invocations.rules.messages import enum_failed
from invocations.services.invoke import (
    ClockState,
    SharedClock,
    SyncInvokeResult,
    invoke_async,
    invoke_sync,
    read_config_version,
)

from ..auth import aws_signed
from ..responses import aws_json_response
from .client_context import client_context_from_header
from .common import UnknownOperationException
from .invoke_targets import Target, targets

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
class InvokeCall:
    """An Invoke request, read and checked: everything decided before the function is looked up."""

    function_name: str
    qualifier: str | None
    invocation_type: str
    tail: bool
    payload: Any
    # Extra members of the inbox request the host reads (runtime/invoke_client.invoke_request), from headers.
    fields: dict[str, Any]


def read_call(function_name: str, qualifier: str | None, headers: Mapping[str, str], body: bytes) -> InvokeCall:
    """The Invoke rules on headers, limits and payload (semantics §1), shared by the Django view and the lean ASGI
    route: `headers` is case-insensitive, `qualifier` the Qualifier query parameter."""
    invocation_type = headers.get("X-Amz-Invocation-Type") or "RequestResponse"
    if invocation_type not in INVOCATION_TYPES:
        raise ValidationException(enum_failed(invocation_type, "invocationType", INVOCATION_TYPES))
    log_type = headers.get("X-Amz-Log-Type") or "None"
    if log_type not in LOG_TYPES:
        raise ValidationException(enum_failed(log_type, "logType", LOG_TYPES))
    client_context = client_context_from_header(headers.get("X-Amz-Client-Context"))
    if invocation_type == "Event" and len(body) > ASYNC_PAYLOAD_LIMIT:
        raise RequestTooLargeException(
            f"{len(body)} byte payload is too large for the Event invocation type (limit {ASYNC_PAYLOAD_LIMIT} bytes)"
        )
    if len(body) > SYNC_PAYLOAD_LIMIT:
        raise RequestTooLargeException(
            f"Request must be smaller than {SYNC_PAYLOAD_LIMIT} bytes for the InvokeFunction operation"
        )
    payload = event_payload(body)
    fields: dict[str, Any] = {}  # extra members of the inbox request, from headers
    if client_context is not None and invocation_type == "RequestResponse":  # AWS passes it to sync invokes only
        fields["client_context"] = client_context
    return InvokeCall(function_name, qualifier, invocation_type, log_type == "Tail", payload, fields)


def event_payload(body: bytes) -> Any:
    """The event: any JSON value; an empty body is {} (as AWS hands the function an empty object)."""
    if not body.strip():
        return {}
    # ⚠ AWS quotes its own (Jackson) parser error after the prefix; ours is Python's, except for Jackson's limits.
    return parse_json(body)


def accepted(call: InvokeCall, request_id: str) -> HttpResponse | None:
    """The answer that needs no reply from the host: DryRun 204 (nothing runs), Event 202 (once it is queued)."""
    if call.invocation_type == "DryRun":
        return aws_json_response(None, status=204, request_id=request_id)
    if call.invocation_type == "Event":
        return aws_json_response(None, status=202, request_id=request_id)
    return None


def wait_budget(target: Target, clock: ClockState) -> float:
    """How long (wall seconds) a caller waits for the host's reply."""
    if clock.paused:
        return PAUSED_WAIT_S
    return min(MAX_WAIT_S, (target.timeout_s + INIT_ALLOWANCE_S) / clock.factor + WAIT_MARGIN_S)


def no_reply_error(error: ServiceException, wait: float, clock: ClockState | None) -> ServiceException:
    """What a caller that got no reply is told: the pause, if the clock is paused now; otherwise `error`."""
    if clock is not None and clock.paused:
        return ServiceException(PAUSED_MESSAGE.format(wait=wait))
    return error


def invocation_response(request_id: str, result: SyncInvokeResult, *, tail: bool) -> HttpResponse:
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
    return aws_json_response(content, status=result.status_code or 200, request_id=request_id, headers=headers)


# --- the Django view -------------------------------------------------------------------------------------------


@aws_signed
async def invoke(request: HttpRequest, function_name: str) -> HttpResponse:
    """Served by Django under WSGI (and by daphne for anything the lean route hands on to Django)."""
    if request.method != "POST":
        raise UnknownOperationException(f"Unknown operation: {request.method} {request.path}")
    call = read_call(function_name, request.GET.get("Qualifier"), request.headers, request.body)
    target = await sync_to_async(cached_target)(call)
    request_id = request.aws_request_id  # the invocation's id too: logs, context, error body, DLQ, records (§1, §2)
    if call.invocation_type == "Event":
        await sync_to_async(invoke_async, thread_sensitive=False, executor=_waiters)(
            target.name, call.payload, source=SOURCE, client=_redis(), request_id=request_id, **call.fields
        )
    answer = accepted(call, request_id)
    if answer is not None:
        return answer
    result = await sync_to_async(wait_for_result, thread_sensitive=False, executor=_waiters)(target, call, request_id)
    return invocation_response(request_id, result, tail=call.tail)


def cached_target(call: InvokeCall) -> Target:
    pipe = _redis().pipeline(transaction=False)
    read_config_version(pipe)
    return targets.resolve(pipe.execute()[-1], call.function_name, call.qualifier)


def wait_for_result(target: Target, call: InvokeCall, request_id: str) -> SyncInvokeResult:
    wait = wait_budget(target, _clock().state())
    try:
        return invoke_sync(
            target.name,
            call.payload,
            wait_s=wait,
            source=SOURCE,
            client=_redis(),
            request_id=request_id,
            **call.fields,
        )
    except ServiceException as error:
        raise no_reply_error(error, wait, _clock().state(fresh=True)) from None


@functools.cache
def _redis() -> redis.Redis:
    # redis-py 8's default 5 s socket timeout would cut a longer BLPOP short (STACK-NOTES): wait as long as asked.
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=None)


@functools.cache
def _clock() -> SharedClock:
    return SharedClock(_redis())
