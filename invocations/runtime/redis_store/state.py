"""RedisStore: the engine's StateStore with shared concurrency and async queue in Redis."""

from __future__ import annotations

import redis

from invocations.engine.store import MemoryEnvironments

from .async_queue import RedisAsyncQueue
from .concurrency import RedisConcurrency
from .keys import DEFAULT_PREFIX


class RedisStore:
    """Environments stay in process memory: an Environment is a live object (a modelled sandbox or a real worker
    process) owned by the process that runs it; only the counters and the async queue must be shared."""

    __slots__ = ("concurrency", "environments", "async_queue")

    def __init__(self, client: redis.Redis, *, prefix: str = DEFAULT_PREFIX, claim_timeout: float = 60.0) -> None:
        self.concurrency = RedisConcurrency(client, prefix=prefix)
        self.environments = MemoryEnvironments()
        self.async_queue = RedisAsyncQueue(client, prefix=prefix, claim_timeout=claim_timeout)
