"""The runtime's Redis connection and the two small messages other layers send the engine host."""

from __future__ import annotations

import json
import uuid
from typing import Any

import redis
from django.conf import settings

INBOX = "lv:inbox"
CONFIG_VERSION = "lv:config:version"


def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def config_changed(client: redis.Redis | None = None) -> None:
    """Tell the live host that functions, aliases or sources changed (called after the transaction commits).

    The version is a fresh random token, not a counter: after Redis loses its data (flushed, restarted without
    persistence) a counter would start over and repeat a value that a cache already saw with other contents."""
    (client or redis_client()).set(CONFIG_VERSION, uuid.uuid4().hex)


def read_config_version(pipe) -> None:
    """Queue on `pipe` (sync or asyncio) the commands whose LAST result is the configuration version, one made up
    first if Redis has none yet, so a cache keyed by it never sees None."""
    pipe.set(CONFIG_VERSION, uuid.uuid4().hex, nx=True)
    pipe.get(CONFIG_VERSION)


def inbox_entry(request: dict[str, Any]) -> str:
    """One inbox request as the host reads it (for clients that push themselves, such as redis.asyncio)."""
    return json.dumps(request, separators=(",", ":"))


def inbox_push(requests: list[dict[str, Any]], client: redis.Redis | None = None) -> None:
    """Queue invocations for the host (durable until the host has taken them into the engine)."""
    if requests:
        (client or redis_client()).rpush(INBOX, *(inbox_entry(r) for r in requests))
