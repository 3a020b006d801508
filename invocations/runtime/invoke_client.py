"""How the web process (the Lambda API) invokes through the engine host and, for sync calls, waits for the result.

A request goes into the host's inbox with a reply key; the host runs it and pushes the result there. The caller
waits at most the function's timeout at the current clock speed, plus a margin. One engine owns every execution
environment, so API calls, traffic and pollers share warm environments and concurrency, as on AWS.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import redis
import redis.asyncio
from django.conf import settings

from ..errors import ServiceException
from .connection import INBOX, inbox_entry, inbox_push

REPLY_PREFIX = "lv:reply:"
# Published with every sync invoke: the host's idle wait returns at once instead of at its next poll (host.py).
WAKE_CHANNEL = "lv:inbox:wake"
REPLY_TTL_S = 120
NO_HOST_MESSAGE = "The simulator's engine host is not running (start it with `make run`)."


@dataclass(frozen=True)
class SyncInvokeResult:
    """What the host replied: the fields of the engine's InvokeResult plus the Tail log (base64, last 4 KB)."""

    status_code: int
    outcome: str
    executed_version: str | None
    payload: Any
    function_error: str | None
    throttle_reason: str | None
    log_result: str
    request_id: str


def invoke_request(
    invocation_type: str, target: str, payload: Any, *, source: str, reply: str | None = None, **fields: Any
) -> dict[str, Any]:
    """The inbox request the host reads (host._inbox_request); `fields` are extra members it understands."""
    request = {"op": "invoke", "type": invocation_type, "target": target, "payload": payload, "source": source}
    if reply:
        request["reply"] = reply
    return {**request, **fields}


def new_reply_key() -> str:
    return f"{REPLY_PREFIX}{uuid.uuid4().hex}"


def sync_result(answer: tuple[bytes, bytes] | list[bytes] | None) -> SyncInvokeResult:
    """The host's reply as BLPOP returned it; no reply in time, or a refusal, is a ServiceException."""
    if answer is None:
        raise ServiceException(NO_HOST_MESSAGE)
    data = json.loads(answer[1])
    if "error" in data:  # the host refused before invoking (e.g. the function was deleted a moment ago)
        raise ServiceException(data["error"])
    return SyncInvokeResult(**data)


def invoke_sync(
    target: str,
    payload: Any,
    *,
    wait_s: float,
    source: str = "sdk",
    client: redis.Redis | None = None,
    **fields: Any,
) -> SyncInvokeResult:
    """RequestResponse through the host; raises ServiceException if no host answers within `wait_s`."""
    # No socket timeout: redis-py 8's default (5 s) would cut a longer blocking wait short.
    client = client or redis.Redis.from_url(settings.REDIS_URL, socket_timeout=None)
    reply = new_reply_key()
    pipe = client.pipeline(transaction=False)  # one round trip; the request is in the inbox before the wake-up
    inbox_push([invoke_request("RequestResponse", target, payload, source=source, reply=reply, **fields)], pipe)
    pipe.publish(WAKE_CHANNEL, b"")
    pipe.execute()
    return sync_result(client.blpop([reply], timeout=max(0.1, wait_s)))


async def ainvoke_sync(
    client: redis.asyncio.Redis, target: str, payload: Any, *, wait_s: float, source: str = "sdk", **fields: Any
) -> SyncInvokeResult:
    """invoke_sync on an asyncio Redis client (the lean Invoke route): the wait holds no thread."""
    reply = new_reply_key()
    request = invoke_request("RequestResponse", target, payload, source=source, reply=reply, **fields)
    async with client.pipeline(transaction=False) as pipe:
        pipe.rpush(INBOX, inbox_entry(request))
        pipe.publish(WAKE_CHANNEL, b"")
        await pipe.execute()
    return sync_result(await client.blpop([reply], timeout=max(0.1, wait_s)))


def invoke_async(
    target: str, payload: Any, *, source: str = "sdk", client: redis.Redis | None = None, **fields: Any
) -> None:
    """Event: accepted once it is in the durable inbox (the API answers 202); the host takes it from there."""
    inbox_push([invoke_request("Event", target, payload, source=source, **fields)], client)


async def ainvoke_async(client: redis.asyncio.Redis, target: str, payload: Any, *, source: str = "sdk", **fields: Any):
    """invoke_async on an asyncio Redis client."""
    await client.rpush(INBOX, inbox_entry(invoke_request("Event", target, payload, source=source, **fields)))


def reply(client: redis.Redis, key: str, result) -> None:
    """Used by the host: push an InvokeResult to a waiting caller."""
    data = {
        "status_code": result.status_code,
        "outcome": str(result.outcome),
        "executed_version": result.executed_version,
        "payload": result.payload,
        "function_error": result.function_error,
        "throttle_reason": result.throttle_reason,
        "log_result": result.log_result(),
        "request_id": result.request_id,
    }
    pipe = client.pipeline(transaction=False)
    pipe.rpush(key, json.dumps(data, default=str))
    pipe.expire(key, REPLY_TTL_S)
    pipe.execute()


def reply_error(client: redis.Redis, key: str, message: str) -> None:
    """Used by the host: the invocation could not start (for example the function was deleted meanwhile)."""
    pipe = client.pipeline(transaction=False)
    pipe.rpush(key, json.dumps({"error": message}))
    pipe.expire(key, REPLY_TTL_S)
    pipe.execute()
