"""RedisStore: the engine's StateStore with shared concurrency and async queue in Redis."""

from __future__ import annotations

import time

import redis

from invocations.engine.store import MemoryEnvironments

from .async_queue import RedisAsyncQueue
from .concurrency import RedisConcurrency
from .keys import DEFAULT_PREFIX

# Environment ids of one host run start at (seconds since 2020) << 22: unique across restarts (a restart takes
# more than a second, a run creates fewer than 4 million environments), and below 2**53 until 2088, so the
# dashboard's JavaScript numbers hold them exactly.
_EPOCH_2020 = 1_577_836_800
ENV_ID_BITS = 22


def first_environment_id(now: float | None = None) -> int:
    return (int((time.time() if now is None else now) - _EPOCH_2020) << ENV_ID_BITS) + 1


class RedisStore:
    """Environments stay in process memory: an Environment is a live object (a modelled sandbox or a real worker
    process) owned by the process that runs it; only the counters and the async queue must be shared."""

    __slots__ = ("concurrency", "environments", "async_queue")

    def __init__(
        self,
        client: redis.Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        claim_timeout: float = 60.0,
        first_env_id: int | None = None,
    ) -> None:
        self.concurrency = RedisConcurrency(client, prefix=prefix)
        first = first_environment_id() if first_env_id is None else first_env_id
        self.environments = MemoryEnvironments(first_id=first)
        self.async_queue = RedisAsyncQueue(client, prefix=prefix, claim_timeout=claim_timeout)
