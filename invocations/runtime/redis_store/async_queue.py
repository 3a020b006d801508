"""RedisAsyncQueue: the engine's async-invocation queue (semantics §2) on Redis, durable and at-least-once."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

import redis

from invocations.engine.async_invoke import AsyncItem

from .async_codec import item_from_json, item_to_json
from .keys import DEFAULT_PREFIX, text
from .scripts import register

_NAMES = ("due", "items", "members", "claimed", "cdue", "seq", "redelivered")


class RedisAsyncQueue:
    """Items are JSON in a hash, scheduled in a sorted set by due time. pop_due CLAIMS rather than deletes: a
    claimed item stays in an in-flight set with a deadline until ack(), a new push (a retry) or heartbeat()
    extends it. If its worker is SIGKILLed, requeue_expired() puts it back and counts a redelivery: the event runs
    again rather than vanishing (AWS's async delivery is at-least-once too).

    `claim_timeout`: wall seconds a claim lasts without heartbeat(); `wall`: the wall clock (tests inject one).

    Due times are simulated seconds (the engine's clock); claim deadlines are wall seconds, because a crash is a
    real-time event: a paused simulation must still notice a dead worker.
    """

    def __init__(
        self,
        client: redis.Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        claim_timeout: float = 60.0,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self._keys = [f"{prefix}async:{name}" for name in _NAMES]
        self.claim_timeout = claim_timeout
        self._wall = wall
        self._claims: set[str] = set()  # request ids this instance claimed and has not finished
        self._push = register(client, "async_common", "async_push")
        self._pop = register(client, "async_common", "async_pop")
        self._ack = register(client, "async_common", "async_ack")
        self._extend = register(client, "async_common", "async_extend")
        self._requeue = register(client, "async_common", "async_requeue")

    # --- AsyncQueueStore ----------------------------------------------------------------------------------------

    def push(self, item: AsyncItem, due: float) -> None:
        self.push_many([(item, due)])

    def push_many(self, entries: Iterable[tuple[AsyncItem, float]], *, pipe=None) -> None:
        """push() for many items in one round trip (the runtime batches; one call per event is too slow); on `pipe`,
        a caller's pipeline, the push waits for its execute()."""
        args: list[str] = []
        for item, due in entries:
            args += [item.request_id, item_to_json(item), repr(due)]
            self._claims.discard(item.request_id)
        if args:
            self._push(keys=self._keys, args=args, client=pipe)

    def pop_due(self, now: float, limit: int) -> list[AsyncItem]:
        """Claim and return up to `limit` items due at or before `now`, earliest first (push order on ties)."""
        if limit <= 0:
            return []
        raws = self._pop(keys=self._keys, args=[repr(now), limit, repr(self._wall() + self.claim_timeout)])
        items = [item_from_json(raw) for raw in raws]
        self._claims.update(item.request_id for item in items)
        return items

    def next_due(self) -> float | None:
        first = self._client.zrange(self._keys[0], 0, 0, withscores=True)
        return first[0][1] if first else None

    def latest_due(self, limit: int) -> list[tuple[AsyncItem, float]]:
        """The `limit` waiting items due last, latest first, with their due times (retries wait the longest).
        Read-only: for a viewer, never for running events."""
        pairs = self._client.zrevrange(self._keys[0], 0, max(0, limit - 1), withscores=True)
        if not pairs:
            return []
        # Members are "<push sequence>:<request id>" (lua/async_common.lua, schedule), so ties keep push order.
        raws = self._client.hmget(self._keys[1], [member.partition(b":")[2] for member, _ in pairs])
        return [(item_from_json(raw), due) for (_, due), raw in zip(pairs, raws, strict=True) if raw is not None]

    def __len__(self) -> int:
        """Items waiting to be due (claimed ones are not counted, as the in-memory queue forgets popped items)."""
        return self._client.zcard(self._keys[0])

    # --- claims -------------------------------------------------------------------------------------------------

    def ack(self, request_id: str) -> bool:
        """The claimed item is settled (processed or dropped); False if it was not claimed (any more)."""
        return self.ack_many([request_id])[0]

    def ack_many(self, request_ids: Sequence[str]) -> list[bool]:
        """ack() for many items in one round trip; True per item that was still claimed."""
        if not request_ids:
            return []
        self._claims.difference_update(request_ids)
        return [bool(ok) for ok in self._ack(keys=self._keys, args=list(request_ids))]

    def heartbeat(self) -> int:
        """Extend every claim this instance still holds by claim_timeout; returns how many it holds."""
        if not self._claims:
            return 0
        held = self._extend(keys=self._keys, args=[repr(self._wall() + self.claim_timeout), *self._claims])
        self._claims = {text(rid) for rid in held}
        return len(self._claims)

    def requeue_expired(self, now: float | None = None) -> list[str]:
        """Put back claims whose deadline passed (`now`: wall seconds, default the wall clock); their ids."""
        expired = self._requeue(keys=self._keys, args=[repr(self._wall() if now is None else now)])
        return [text(rid) for rid in expired]

    def in_flight(self) -> int:
        return self._client.zcard(self._keys[3])

    def redeliveries(self) -> int:
        """How many claimed items were ever put back after their worker went silent (visible duplicates)."""
        return int(self._client.get(self._keys[6]) or 0)
