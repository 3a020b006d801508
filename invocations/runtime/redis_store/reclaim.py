"""reclaim_dead_holders: give back the concurrency slots of holders (processes) that stopped heartbeating."""

from __future__ import annotations

import redis

from .concurrency import holder_key
from .keys import DEFAULT_PREFIX, text
from .scripts import register


def reclaim_dead_holders(client: redis.Redis, ttl: float, *, prefix: str = DEFAULT_PREFIX) -> dict[str, dict[str, int]]:
    """Slots returned per dead holder ({holder: {counter key: n}}); a holder with no slots maps to {}.

    A holder is dead when its last heartbeat (or acquire) is more than `ttl` wall seconds old by the Redis
    server's clock. Safe to run from several processes at once: each holder is reclaimed in one script that
    checks the heartbeat again, and a second reclaim of the same holder finds nothing.
    """
    beats, counts = f"{prefix}cc:heartbeats", f"{prefix}cc:counts"
    script = register(client, "concurrency_reclaim")
    seconds, micros = client.time()
    stale = client.zrangebyscore(beats, "-inf", f"({seconds + micros / 1e6 - ttl!r}")
    reclaimed: dict[str, dict[str, int]] = {}
    for raw in stale:
        holder = text(raw)
        dead, *flat = script(keys=[counts, holder_key(prefix, holder), beats], args=[holder, repr(float(ttl))])
        if dead:
            reclaimed[holder] = {text(flat[i]): int(flat[i + 1]) for i in range(0, len(flat), 2) if int(flat[i + 1])}
    return reclaimed
