"""DeferredReleases: a ConcurrencyStore wrapper that batches slot releases into the next admission's round trip.

The engine releases one slot per completed invocation. On Redis that was one Lua call (~300 µs) each. Here a
release only counts the slot in memory; the next acquisition by this process (try_acquire, try_acquire_many)
runs ONE script that first applies every pending release, then grants in order. flush() applies them without
acquiring (the host calls it at the end of every step, so other processes see the slots back within a step).

Exactness (semantics §8; DESIGN.md: two processes must never both take the last slot):
- granting is still one atomic check-and-increment script on the shared counters, so no interleaving of
  processes can admit past a cap;
- a deferred release only keeps a slot counted a little longer in Redis than in reality. Counters are therefore
  never lower than the true number of running invocations: another process may be throttled a few
  milliseconds early (conservative), nobody is ever over-admitted;
- this process itself never sees its own late releases: they are applied in the same atomic script, before the
  grants it asks for, so the engine behaves exactly as with immediate releases.
A process that dies with releases pending loses nothing: its slots are still recorded against its holder and
reclaim_dead_holders gives them back, as for slots it held when it died.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import redis

from ..engine.store import Grant
from .redis_store.concurrency import RedisConcurrency, holder_key
from .redis_store.keys import DEFAULT_PREFIX, key_part, text

# KEYS: counts, this holder's holdings, heartbeats. ARGV: holder id, number of release pairs P, then P pairs
# (counter key, slots to give back), then runs of identical acquire requests, five values each (how many, pc key
# or '', pc cap, pool key, pool cap): a host's batch is mostly one request repeated, and packing thousands of
# arguments costs more than the script. Releases first (a slot this holder no longer holds, reclaimed after a
# missed heartbeat, leaves the shared counter alone, as in concurrency_release.lua), then grants in order, as
# concurrency_acquire.lua does one by one. Returns one character per request: 2 provisioned, 1 on-demand,
# 0 throttled.
SETTLE = """
local counts, holdings, beats = KEYS[1], KEYS[2], KEYS[3]
local pairs_n = tonumber(ARGV[2])
local i = 3
for _ = 1, pairs_n do
  local key, n = ARGV[i], tonumber(ARGV[i + 1])
  local before = tonumber(redis.call('HGET', holdings, key) or '0')
  local give = math.min(before, n)
  if give > 0 then
    redis.call('HINCRBY', counts, key, -give)
    if before > give then redis.call('HSET', holdings, key, before - give) else redis.call('HDEL', holdings, key) end
  elseif before <= 0 then
    redis.call('HDEL', holdings, key)
  end
  i = i + 2
end
local grants = {}
if i > #ARGV then return '' end
local t = redis.call('TIME')
redis.call('ZADD', beats, t[1] + t[2] / 1000000, ARGV[1])
local used, added = {}, {}
local function in_use(key)
  local n = used[key]
  if n == nil then
    n = tonumber(redis.call('HGET', counts, key) or '0')
    used[key] = n
  end
  return n
end
for j = i, #ARGV, 5 do
  local pc, pc_cap, pool, pool_cap = ARGV[j + 1], tonumber(ARGV[j + 2]), ARGV[j + 3], tonumber(ARGV[j + 4])
  for _ = 1, tonumber(ARGV[j]) do
    local key, grant = nil, '0'
    if pc ~= '' and in_use(pc) < pc_cap then
      key, grant = pc, '2'
    elseif in_use(pool) < pool_cap then
      key, grant = pool, '1'
    end
    if key then
      used[key] = used[key] + 1
      added[key] = (added[key] or 0) + 1
    end
    grants[#grants + 1] = grant
  end
end
for key, n in pairs(added) do
  redis.call('HINCRBY', counts, key, n)
  redis.call('HINCRBY', holdings, key, n)
end
return table.concat(grants)
"""

_BY_DIGIT = {ord("0"): Grant.THROTTLED, ord("1"): Grant.ON_DEMAND, ord("2"): Grant.PROVISIONED}
_PROVISIONED = Grant.PROVISIONED


def _run(count: int, request: tuple[Hashable | None, int, Hashable, int]) -> list[object]:
    pc_key, pc_cap, pool_key, pool_cap = request
    return [count, "" if pc_key is None else key_part(pc_key), pc_cap, key_part(pool_key), pool_cap]


class DeferredReleases:
    """Wraps a RedisConcurrency (same holder, same keys); a drop-in ConcurrencyStore for the engine."""

    def __init__(self, inner: RedisConcurrency, client: redis.Redis, *, prefix: str = DEFAULT_PREFIX) -> None:
        self.inner = inner
        self.holder_id = inner.holder_id
        self._client = client
        self._keys = [f"{prefix}cc:counts", holder_key(prefix, inner.holder_id), f"{prefix}cc:heartbeats"]
        self._script = client.register_script(SETTLE)
        self._pending: dict[str, int] = {}  # counter key -> slots to give back at the next round trip
        self.round_trips = 0

    # --- ConcurrencyStore ---------------------------------------------------------------------------------------

    def try_acquire(self, pc_key: Hashable | None, pc_cap: int, pool_key: Hashable, pool_cap: int) -> Grant:
        return self.try_acquire_many([(pc_key, pc_cap, pool_key, pool_cap)])[0]

    def try_acquire_many(self, requests: Sequence[tuple[Hashable | None, int, Hashable, int]]) -> list[Grant]:
        """Apply pending releases, then grant in order: one atomic script, one round trip."""
        if not requests and not self._pending:
            return []
        args = self._release_args()
        previous, count = None, 0
        for request in requests:
            if request == previous:
                count += 1
                continue
            if count:
                args += _run(count, previous)
            previous, count = request, 1
        if count:
            args += _run(count, previous)
        reply = self._script(keys=self._keys, args=args)
        self.round_trips += 1
        self._pending.clear()  # only once the script ran: a failed call keeps them for the next one
        if isinstance(reply, str):  # a client made with decode_responses=True
            reply = reply.encode()
        return [_BY_DIGIT[c] for c in reply]

    def release(self, grant: Grant, pc_key: Hashable | None, pool_key: Hashable) -> None:
        key = pc_key if grant is _PROVISIONED else pool_key
        if type(key) is not str:
            key = key_part(key)
        pending = self._pending
        pending[key] = pending.get(key, 0) + 1

    def release_many(self, releases: Iterable[tuple[Grant, Hashable | None, Hashable]]) -> int:
        """Deferred like release(); returns how many slots were queued to be given back."""
        n = 0
        for grant, pc_key, pool_key in releases:
            self.release(grant, pc_key, pool_key)
            n += 1
        return n

    def in_use(self, key: Hashable) -> int:
        self.flush()
        return self.inner.in_use(key)

    def take_token(self, key: Hashable, now: float, capacity: float, per_second: float) -> bool:
        return self.inner.take_token(key, now, capacity, per_second)

    # --- runtime ------------------------------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Slots released by the engine and not yet given back in Redis."""
        return sum(self._pending.values())

    def flush(self) -> None:
        """Give back every pending slot now (one round trip, none if nothing is pending)."""
        if self._pending:
            self.try_acquire_many(())

    def heartbeat(self) -> None:
        self.inner.heartbeat()

    def held(self) -> dict[str, int]:
        self.flush()
        return self.inner.held()

    def _release_args(self) -> list[object]:
        pending = self._pending
        args: list[object] = [self.holder_id, len(pending)]
        for key, n in pending.items():
            args += [key, n]
        return args


def counter_snapshot(client: redis.Redis, prefix: str = DEFAULT_PREFIX) -> dict[str, int]:
    """Every shared counter as Redis holds it now (benchmarks and the dashboard's gauges read it)."""
    return {text(k): int(v) for k, v in client.hgetall(f"{prefix}cc:counts").items()}
