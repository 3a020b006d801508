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
from .connection import CONFIG_VERSION, INBOX, inbox_entry, inbox_push, read_config_version
from .shared_clock import KEY as CLOCK_KEY

REPLY_PREFIX = "lv:reply:"
# Published with every sync invoke: the host's idle wait returns at once instead of at its next poll
# (EngineHost._idle in host/__init__.py).
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
    """The inbox request the host reads (InboxReader.parse); `fields` are extra members it understands."""
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


def invoke_async(
    target: str, payload: Any, *, source: str = "sdk", client: redis.Redis | None = None, **fields: Any
) -> None:
    """Event: accepted once it is in the durable inbox (the API answers 202); the host takes it from there."""
    inbox_push([invoke_request("Event", target, payload, source=source, **fields)], client)


# The lean Invoke route's round trip: queue the request (ARGV[2], if any) only while the configuration is still the
# version its target was looked up under (ARGV[1]; '' queues regardless), wake the host (ARGV[3], if any), and read
# the clock. A refusal pushes ARGV[4] to the reply list (KEYS[4], if any), so that the BLPOP sent behind this script
# in the same pipeline returns at once instead of waiting for a reply that will never come.
_QUEUE_IF_CURRENT = """
local version = redis.call('GET', KEYS[1])
local clock = redis.call('HGETALL', KEYS[3])
if ARGV[1] ~= '' and version ~= ARGV[1] then
  if KEYS[4] then
    redis.call('RPUSH', KEYS[4], ARGV[4])
    redis.call('EXPIRE', KEYS[4], ARGV[5])
  end
  return {0, version, clock}
end
if ARGV[2] ~= '' then redis.call('RPUSH', KEYS[2], ARGV[2]) end
if ARGV[3] ~= '' then redis.call('PUBLISH', ARGV[3], '') end
return {1, version, clock}
"""
_REFUSED = b"refused"  # never a host reply (those are JSON objects)


@dataclass(frozen=True)
class Queued:
    """What AsyncInbox.queue saw: whether it queued, the configuration version, the clock (HGETALL of its key), and
    the host's reply as BLPOP returned it (None: none within `waited_s`, or nothing queued)."""

    done: bool
    version: bytes | None
    clock: dict[bytes, bytes]
    answer: list[bytes] | None
    waited_s: float


class AsyncInbox:
    """The inbox on an asyncio Redis client (the lean Invoke route): no thread is held while a caller waits."""

    def __init__(self, client: redis.asyncio.Redis) -> None:
        self.client = client

    async def queue(
        self, request: dict[str, Any] | None, *, version: bytes | None, reply: str | None = None, wait_s: float = 0.0
    ) -> Queued:
        """Queue `request` unless the configuration moved on from `version` (None: queue regardless). With a
        `reply` key (a sync invoke), wake the host and wait up to `wait_s` for its reply, in the same round trip."""
        keys = [CONFIG_VERSION, INBOX, CLOCK_KEY, *([reply] if reply else [])]
        entry = inbox_entry(request) if request else ""
        wait_s = max(0.1, wait_s)
        async with self.client.pipeline(transaction=False) as pipe:
            # EVAL, not EVALSHA: a pipeline with a registered script asks SCRIPT EXISTS first (another round trip).
            pipe.eval(
                _QUEUE_IF_CURRENT,
                len(keys),
                *keys,
                version or "",
                entry,
                WAKE_CHANNEL if reply else "",
                _REFUSED,
                REPLY_TTL_S,
            )
            if reply:
                pipe.blpop([reply], timeout=wait_s)
            answers = await pipe.execute()
        done, current, clock = answers[0]
        answer = answers[1] if reply and done else None
        return Queued(bool(done), current, dict(zip(clock[::2], clock[1::2], strict=True)), answer, wait_s)

    async def config_version(self) -> bytes:
        async with self.client.pipeline(transaction=False) as pipe:
            read_config_version(pipe)
            return (await pipe.execute())[-1]

    async def clock(self) -> dict[bytes, bytes]:
        return await self.client.hgetall(CLOCK_KEY)

    async def wait(self, reply: str, wait_s: float) -> list[bytes] | None:
        return await self.client.blpop([reply], timeout=max(0.1, wait_s))


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
