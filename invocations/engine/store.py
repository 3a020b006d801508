"""The state the engine keeps, behind narrow protocols: concurrency counters, environment pools, the async queue.

The in-memory implementations here serve tests, benchmarks and a single-process runtime. A Redis implementation
(runtime issue) keeps the same shapes: `try_acquire` is one Lua script (check both counters, increment one),
`take_token` another, idle pools are lists (LPUSH/LPOP), the async queue a sorted set scored by due time.
The engine passes every limit in with the call, so the store holds counters only, never configuration.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Hashable, Iterable, Iterator, Sequence
from enum import IntEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .async_invoke import AsyncItem
    from .environments import Environment


class Grant(IntEnum):
    """What try_acquire granted: nothing (throttled), an on-demand slot, or a provisioned-concurrency slot."""

    THROTTLED = 0
    ON_DEMAND = 1
    PROVISIONED = 2


# (pc_key, pc_cap, pool_key, pool_cap): try_acquire's arguments; (grant, pc_key, pool_key): release's.
AcquireRequest = tuple[Hashable | None, int, Hashable, int]
ReleaseRequest = tuple[Grant, Hashable | None, Hashable]


class ConcurrencyStore(Protocol):
    def try_acquire(self, pc_key: Hashable | None, pc_cap: int, pool_key: Hashable, pool_cap: int) -> Grant:
        """Atomically: take a provisioned slot if `pc_key` has fewer than `pc_cap` in use, else an on-demand slot
        if `pool_key` has fewer than `pool_cap`, else nothing. Never waits (Lambda rejects, it does not queue)."""
        ...

    def try_acquire_many(self, requests: Sequence[AcquireRequest]) -> list[Grant]:
        """try_acquire for each request, in order, as if called one after another with nothing in between; one
        atomic step (one round trip for a remote store). Engine.invoke_many admits a batch with it."""
        ...

    def release(self, grant: Grant, pc_key: Hashable | None, pool_key: Hashable) -> None: ...

    def release_many(self, releases: Iterable[ReleaseRequest]) -> int:
        """release for each (grant, pc_key, pool_key); returns how many slots were given back."""
        ...

    def in_use(self, key: Hashable) -> int: ...

    def take_token(self, key: Hashable, now: float, capacity: float, per_second: float) -> bool:
        """Token bucket (full at start, refilled continuously, never above capacity): take one token or fail."""
        ...


class EnvironmentStore(Protocol):
    def new_id(self) -> int: ...

    def add(self, env: Environment) -> None: ...

    def discard(self, env: Environment) -> None: ...

    def all(self) -> Iterator[Environment]: ...

    def pop_idle(self, pool: Hashable) -> Environment | None:
        """The most recently used idle environment of a pool (warm reuse), or None."""
        ...

    def push_idle(self, pool: Hashable, env: Environment) -> None: ...

    def remove_idle(self, pool: Hashable, env: Environment) -> bool: ...

    def idle_count(self, pool: Hashable) -> int: ...


class AsyncQueueStore(Protocol):
    def push(self, item: AsyncItem, due: float) -> None: ...

    def pop_due(self, now: float, limit: int) -> list[AsyncItem]:
        """Remove and return up to `limit` items due at or before `now`, earliest first."""
        ...

    def next_due(self) -> float | None: ...

    def ack(self, request_id: str) -> bool:
        """The item popped last for `request_id` reached its terminal outcome; a durable queue forgets its claim."""
        ...

    def __len__(self) -> int: ...


# --- in-memory implementations -----------------------------------------------------------------------------------


class MemoryConcurrency:
    __slots__ = ("counts", "_buckets")

    def __init__(self) -> None:
        self.counts: dict[Hashable, int] = {}
        self._buckets: dict[Hashable, list[float]] = {}

    def try_acquire(self, pc_key: Hashable | None, pc_cap: int, pool_key: Hashable, pool_cap: int) -> Grant:
        counts = self.counts
        if pc_key is not None:
            n = counts.get(pc_key, 0)
            if n < pc_cap:
                counts[pc_key] = n + 1
                return Grant.PROVISIONED
        n = counts.get(pool_key, 0)
        if n < pool_cap:
            counts[pool_key] = n + 1
            return Grant.ON_DEMAND
        return Grant.THROTTLED

    def try_acquire_many(self, requests: Sequence[AcquireRequest]) -> list[Grant]:
        acquire = self.try_acquire
        return [acquire(pc_key, pc_cap, pool_key, pool_cap) for pc_key, pc_cap, pool_key, pool_cap in requests]

    def release(self, grant: Grant, pc_key: Hashable | None, pool_key: Hashable) -> None:
        key = pc_key if grant is Grant.PROVISIONED else pool_key
        self.counts[key] -= 1

    def release_many(self, releases: Iterable[ReleaseRequest]) -> int:
        n = 0
        for grant, pc_key, pool_key in releases:
            self.release(grant, pc_key, pool_key)
            n += 1
        return n

    def in_use(self, key: Hashable) -> int:
        return self.counts.get(key, 0)

    def take_token(self, key: Hashable, now: float, capacity: float, per_second: float) -> bool:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = [capacity, now]
        tokens = min(capacity, bucket[0] + (now - bucket[1]) * per_second)
        bucket[1] = now
        if tokens >= 1.0:
            bucket[0] = tokens - 1.0
            return True
        bucket[0] = tokens
        return False


class MemoryEnvironments:
    __slots__ = ("_ids", "_envs", "_idle")

    def __init__(self, first_id: int = 1) -> None:
        # The runtime starts each host run's ids at a fresh base, so that an id names one environment for good
        # (its CloudWatch log stream, rules/log_streams.py); the engine's own runs count from 1.
        self._ids = itertools.count(first_id)
        self._envs: dict[int, Environment] = {}
        self._idle: dict[Hashable, list[Environment]] = {}

    def new_id(self) -> int:
        return next(self._ids)

    def add(self, env: Environment) -> None:
        self._envs[env.env_id] = env

    def discard(self, env: Environment) -> None:
        self._envs.pop(env.env_id, None)

    def all(self) -> Iterator[Environment]:
        return iter(list(self._envs.values()))

    def pop_idle(self, pool: Hashable) -> Environment | None:
        stack = self._idle.get(pool)
        return stack.pop() if stack else None

    def push_idle(self, pool: Hashable, env: Environment) -> None:
        stack = self._idle.get(pool)
        if stack is None:
            self._idle[pool] = [env]
        else:
            stack.append(env)

    def remove_idle(self, pool: Hashable, env: Environment) -> bool:
        # The least recently used sit at the bottom of the stack, which is where reclaiming looks first.
        stack = self._idle.get(pool)
        if stack:
            for i, candidate in enumerate(stack):
                if candidate is env:
                    del stack[i]
                    return True
        return False

    def idle_count(self, pool: Hashable) -> int:
        return len(self._idle.get(pool, ()))


class MemoryAsyncQueue:
    __slots__ = ("_heap", "_seq")

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, AsyncItem]] = []
        self._seq = itertools.count()

    def push(self, item: AsyncItem, due: float) -> None:
        heapq.heappush(self._heap, (due, next(self._seq), item))

    def pop_due(self, now: float, limit: int) -> list[AsyncItem]:
        heap, out = self._heap, []
        while heap and heap[0][0] <= now and len(out) < limit:
            out.append(heapq.heappop(heap)[2])
        return out

    def next_due(self) -> float | None:
        return self._heap[0][0] if self._heap else None

    def ack(self, request_id: str) -> bool:
        # Popping already forgot the item: nothing survives a crash of this process anyway.
        return True

    def __len__(self) -> int:
        return len(self._heap)


class MemoryStore:
    """All engine state in this process."""

    __slots__ = ("concurrency", "environments", "async_queue")

    def __init__(self) -> None:
        self.concurrency = MemoryConcurrency()
        self.environments = MemoryEnvironments()
        self.async_queue = MemoryAsyncQueue()


class StateStore(Protocol):
    concurrency: ConcurrencyStore
    environments: EnvironmentStore
    async_queue: AsyncQueueStore
