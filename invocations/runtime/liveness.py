"""Is a simulator running on the configured Redis? (for terminal commands, which must not write into the void)"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import redis
from django.conf import settings

from .connection import redis_client
from .host.lease import LEASE
from .host.wiring import SANDBOX_WARNING


def redacted(url: str) -> str:
    """The URL without its password, fit for a message."""
    parts = urlsplit(url)
    if parts.password:
        netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def simulator_unreachable() -> str | None:
    """Why no running simulator can be reached (its Redis does not answer, or no engine host holds the lease)."""
    url = redacted(settings.REDIS_URL)
    client = redis_client()
    try:
        client.ping()
        host_running = client.exists(LEASE)
    except redis.RedisError as error:
        return (
            f"Cannot reach the simulator's Redis at {url} ({error}). Is `make run` running? It records the Redis it "
            "chose in var/run.json, which every management command reads; or set REDIS_URL."
        )
    finally:
        client.close()
    if not host_running:
        return (
            f"No simulator is running on {url}: no engine host holds the lease, so nothing would act on this. "
            "Start it with `make run` (or wait a few seconds if it is starting)."
        )
    return None


def sandbox_warning() -> str | None:
    """What the running engine host's handler sandbox cannot isolate, as its start-up log said it; None when fully
    jailed, or when no Redis answers (the top bar then says nothing more than it can know)."""
    client = redis_client()
    try:
        value = client.get(SANDBOX_WARNING)
    except redis.RedisError:
        return None
    finally:
        client.close()
    return value.decode("utf-8", "replace") if value else None
