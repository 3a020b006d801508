"""RedisConcurrency: the engine's ConcurrencyStore on Redis, exact across processes, safe when a process dies."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Hashable, Iterable, Sequence

import redis

from invocations.engine.store import Grant

from .keys import DEFAULT_PREFIX, key_part, text
from .scripts import register

# (pc_key, pc_cap, pool_key, pool_cap), exactly try_acquire's arguments.
AcquireRequest = tuple[Hashable | None, int, Hashable, int]
# (grant, pc_key, pool_key), exactly release's arguments.
ReleaseRequest = tuple[Grant, Hashable | None, Hashable]

_GRANTS = (Grant.THROTTLED, Grant.ON_DEMAND, Grant.PROVISIONED)


def new_holder_id() -> str:
    """host:pid:random, unique per RedisConcurrency, readable in redis-cli when hunting a leak."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class RedisConcurrency:
    """try_acquire is one Lua script that checks and increments, so two processes never both take the last slot
    (semantics §8). Each slot is also recorded against this holder; a holder that stops heartbeating is presumed
    dead, and reclaim_dead_holders gives its slots back.

    Counters live in one hash (`<prefix>cc:counts`); this holder's share in `<prefix>cc:holder:<holder_id>`.

    Call heartbeat() more often than the ttl given to reclaim_dead_holders (every acquire counts as one too).
    Release from the same instance (holder) that acquired: a slot is owned by its holder.
    """

    def __init__(self, client: redis.Redis, *, prefix: str = DEFAULT_PREFIX, holder_id: str | None = None) -> None:
        self._client = client
        self._prefix = prefix
        self.holder_id = holder_id or new_holder_id()
        self._counts = f"{prefix}cc:counts"
        self._beats = f"{prefix}cc:heartbeats"
        self._holdings = holder_key(prefix, self.holder_id)
        self._acquire_keys = [self._counts, self._holdings, self._beats]
        self._release_keys = [self._counts, self._holdings]
        self._acquire = register(client, "concurrency_acquire")
        self._release = register(client, "concurrency_release")
        self._heartbeat = register(client, "concurrency_heartbeat")
        self._token = register(client, "token_bucket")
        self.heartbeat()

    def try_acquire(self, pc_key: Hashable | None, pc_cap: int, pool_key: Hashable, pool_cap: int) -> Grant:
        pc = "" if pc_key is None else key_part(pc_key)
        reply = self._acquire(keys=self._acquire_keys, args=[self.holder_id, pc, pc_cap, key_part(pool_key), pool_cap])
        return _GRANTS[reply[0]]

    def try_acquire_many(self, requests: Sequence[AcquireRequest]) -> list[Grant]:
        """try_acquire for a batch in one round trip, granted in order (as if called one after another)."""
        if not requests:
            return []
        args: list[object] = [self.holder_id]
        for pc_key, pc_cap, pool_key, pool_cap in requests:
            args += ["" if pc_key is None else key_part(pc_key), pc_cap, key_part(pool_key), pool_cap]
        return [_GRANTS[g] for g in self._acquire(keys=self._acquire_keys, args=args)]

    def release(self, grant: Grant, pc_key: Hashable | None, pool_key: Hashable) -> None:
        self.release_many([(grant, pc_key, pool_key)])

    def release_many(self, releases: Iterable[ReleaseRequest]) -> int:
        """Release a batch in one round trip; returns how many slots this holder still held and gave back."""
        keys = [key_part(pc_key if grant is Grant.PROVISIONED else pool_key) for grant, pc_key, pool_key in releases]
        return int(self._release(keys=self._release_keys, args=keys)) if keys else 0

    def in_use(self, key: Hashable) -> int:
        return int(self._client.hget(self._counts, key_part(key)) or 0)

    def held(self) -> dict[str, int]:
        """This holder's slots per counter key (what reclaim would give back if this process died now)."""
        return {text(k): int(v) for k, v in self._client.hgetall(self._holdings).items() if int(v)}

    def take_token(self, key: Hashable, now: float, capacity: float, per_second: float) -> bool:
        bucket = f"{self._prefix}cc:bucket:{key_part(key)}"
        return bool(self._token(keys=[bucket], args=[repr(now), repr(capacity), repr(per_second)]))

    def heartbeat(self) -> None:
        """This holder is alive (server time, so hosts with skewed clocks agree)."""
        self._heartbeat(keys=[self._beats], args=[self.holder_id])


def holder_key(prefix: str, holder_id: str) -> str:
    return f"{prefix}cc:holder:{holder_id}"
