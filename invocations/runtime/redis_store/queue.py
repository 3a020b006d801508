"""RedisQueueStore: the engine's QueueStore (simulated SQS) on Redis, one atomic Lua script per operation."""

from __future__ import annotations

import hashlib
import random
import time
import uuid

import redis

from invocations.engine.sources.queue_store import QueueConfig, QueueCounts, QueueMessage, ReceiveResult

from .keys import DEFAULT_PREFIX, text
from .queue_codec import config_from_json, config_to_json, message_from_reply, message_json
from .scripts import register

# Must match QUEUE_KEY_NAMES in lua/queue_common.lua (the scripts index KEYS by this order).
QUEUE_KEY_NAMES = ("msg", "order", "vis", "wait", "ready", "infl", "rc", "first", "hdl", "grp", "sqn")
QUEUE_KEY_NAMES += ("sent", "fseq", "dedup", "dedupt")
CONFIG_TTL_S = 1.0  # how long a process trusts its copy of a queue's config (edits reach it within this time)


class RedisQueueStore:
    """Every receive, delete and visibility change is one atomic script, so pollers in any number of processes
    never receive the same message while it is hidden; messages live in Redis, so a poller's crash loses nothing:
    an undeleted message comes back when its visibility timeout ends (semantics §3).

    Same observable behaviour as InMemoryQueueStore. Message ids come from `rng` when given (seeded runs),
    else uuid4. create_queue keeps the first config; put_queue replaces it (SetQueueAttributes). Each process
    caches a config for `config_ttl` seconds, so an edit made anywhere reaches every process within that time
    without a round trip per operation."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        rng: random.Random | None = None,
        config_ttl: float = CONFIG_TTL_S,
    ) -> None:
        self._client = client
        self._prefix = f"{prefix}sqs:"
        self._rng = rng
        self._config_ttl = config_ttl
        self._configs: dict[str, tuple[QueueConfig, float]] = {}  # arn -> (config, monotonic time it was read)
        self._keys: dict[str, list[str]] = {}
        self._send = register(client, "queue_common", "queue_send")
        self._receive = register(client, "queue_common", "queue_receive")
        self._delete = register(client, "queue_common", "queue_delete")
        self._change_visibility = register(client, "queue_common", "queue_change_visibility")
        self._messages = register(client, "queue_common", "queue_messages")

    # --- configuration ------------------------------------------------------------------------------------------

    def create_queue(self, config: QueueConfig) -> None:
        if config.arn.endswith(".fifo") != config.fifo:
            raise ValueError("FIFO queue names end in .fifo")
        self._client.set(self._config_key(config.arn), config_to_json(config), nx=True)

    def put_queue(self, config: QueueConfig) -> None:
        """Create the queue, or replace its configuration (visibility timeout, redrive policy...); messages stay."""
        if config.arn.endswith(".fifo") != config.fifo:
            raise ValueError("FIFO queue names end in .fifo")
        self._client.set(self._config_key(config.arn), config_to_json(config))
        self._configs[config.arn] = (config, time.monotonic())

    def queue_config(self, arn: str) -> QueueConfig:
        cached = self._configs.get(arn)
        now = time.monotonic()
        if cached is not None and now - cached[1] < self._config_ttl:
            return cached[0]
        raw = self._client.get(self._config_key(arn))
        if raw is None:
            self._configs.pop(arn, None)
            raise KeyError(f"no such queue: {arn}")
        config = config_from_json(raw)
        self._configs[arn] = (config, now)
        return config

    # --- messages -----------------------------------------------------------------------------------------------

    def send_message(
        self,
        arn: str,
        body: str,
        *,
        now: float,
        message_attributes: dict | None = None,
        group_id: str | None = None,
        dedup_id: str | None = None,
        delay: float = 0.0,
    ) -> str:
        config = self.queue_config(arn)
        if config.fifo:
            if not group_id:
                raise ValueError("FIFO queues need a MessageGroupId")
            if dedup_id is None and config.content_based_deduplication:
                dedup_id = hashlib.sha256(body.encode()).hexdigest()
            if dedup_id is None:
                raise ValueError("FIFO queues need a MessageDeduplicationId or content-based deduplication")
        message_id = self._new_id()
        raw = message_json(message_id, body, now, group_id, dedup_id, dict(message_attributes or {}))
        args = [message_id, raw, repr(now), repr(now + delay), _flag(not config.fifo)]
        args += [group_id or "", dedup_id or "", repr(config.dedup_window)]
        reply = self._send(keys=self._queue_keys(arn), args=args)
        return text(reply[0])

    def send_many(self, arn: str, bodies: list[str], *, now: float) -> list[str]:
        """Many plain SendMessage calls in one round trip (a pipeline of the same atomic script; the traffic
        generator's path). Standard queues only: a FIFO message needs its own group and deduplication ids."""
        config = self.queue_config(arn)
        if config.fifo:
            raise ValueError("send_many is for standard queues (FIFO messages need a MessageGroupId each)")
        keys, pipe = self._queue_keys(arn), self._client.pipeline(transaction=False)
        for body in bodies:
            message_id = self._new_id()
            raw = message_json(message_id, body, now, None, None, {})
            args = [message_id, raw, repr(now), repr(now), _flag(True), "", "", repr(config.dedup_window)]
            self._send(keys=keys, args=args, client=pipe)
        return [text(reply[0]) for reply in pipe.execute()]

    def send_many_fifo(self, arn: str, entries: list[tuple[str, str, str]], *, now: float) -> list[str]:
        """Many FIFO SendMessage calls, (body, group id, deduplication id) each, in one round trip, in order."""
        config = self.queue_config(arn)
        if not config.fifo:
            raise ValueError("send_many_fifo is for FIFO queues")
        keys, pipe = self._queue_keys(arn), self._client.pipeline(transaction=False)
        for body, group_id, dedup_id in entries:
            if not group_id or not dedup_id:
                raise ValueError("FIFO messages need a MessageGroupId and a MessageDeduplicationId")
            message_id = self._new_id()
            raw = message_json(message_id, body, now, group_id, dedup_id, {})
            args = [message_id, raw, repr(now), repr(now), _flag(False), group_id, dedup_id, repr(config.dedup_window)]
            self._send(keys=keys, args=args, client=pipe)
        return [text(reply[0]) for reply in pipe.execute()]

    def receive(
        self, arn: str, max_messages: int, *, now: float, visibility_timeout: float | None = None
    ) -> ReceiveResult:
        config = self.queue_config(arn)
        timeout = config.visibility_timeout if visibility_timeout is None else visibility_timeout
        redrive = config.redrive
        dlq = self.queue_config(redrive.dead_letter_target_arn) if redrive else config
        keys = self._queue_keys(arn) + self._queue_keys(dlq.arn) + [f"{self._prefix}handles"]
        args = [max_messages, repr(now), repr(timeout), _flag(not config.fifo)]
        args += [redrive.max_receive_count if redrive else "", _flag(not dlq.fifo)]
        taken, redriven = self._receive(keys=keys, args=args)
        return ReceiveResult([message_from_reply(m) for m in taken], [message_from_reply(m) for m in redriven])

    def delete(self, arn: str, receipt_handle: str) -> bool:
        return self.delete_batch(arn, [receipt_handle])[0]

    def delete_batch(self, arn: str, receipt_handles: list[str]) -> list[bool]:
        """DeleteMessageBatch: one atomic script for many handles; True per handle that deleted its message."""
        if not receipt_handles:
            return []
        self.queue_config(arn)
        args: list[str] = []
        for handle in receipt_handles:
            args += [_message_id_of(handle), handle]
        return [bool(ok) for ok in self._delete(keys=self._queue_keys(arn), args=args)]

    def change_visibility(self, arn: str, receipt_handle: str, timeout: float, *, now: float) -> bool:
        config = self.queue_config(arn)
        args = [_message_id_of(receipt_handle), receipt_handle, repr(now + timeout), _flag(not config.fifo)]
        return bool(self._change_visibility(keys=self._queue_keys(arn), args=args))

    def counts(self, arn: str, *, now: float) -> QueueCounts:
        self.queue_config(arn)
        keys = dict(zip(QUEUE_KEY_NAMES, self._queue_keys(arn), strict=True))
        pipe = self._client.pipeline(transaction=True)  # MULTI: one consistent snapshot
        pipe.zcard(keys["vis"]).zcount(keys["vis"], "-inf", repr(now)).zcount(keys["infl"], f"({now!r}", "+inf")
        total, visible, in_flight = pipe.execute()
        return QueueCounts(visible, in_flight, total - visible - in_flight)

    def group_counts(self, arn: str, *, now: float, limit: int = 1000) -> dict[str, dict[str, int]]:
        """FIFO: per MessageGroupId, how many of the oldest `limit` messages wait and how many are in flight
        (received, or failed and hidden until their visibility timeout ends). For the diagram's group lanes."""
        self.queue_config(arn)
        keys = dict(zip(QUEUE_KEY_NAMES, self._queue_keys(arn), strict=True))
        ids = self._client.zrange(keys["order"], 0, limit - 1)
        if not ids:
            return {}
        pipe = self._client.pipeline(transaction=True)
        pipe.hmget(keys["grp"], ids).zrangebyscore(keys["infl"], f"({now!r}", "+inf")
        groups, in_flight = pipe.execute()
        hidden = set(in_flight)
        counts: dict[str, dict[str, int]] = {}
        for message_id, group in zip(ids, groups, strict=True):
            if group is None:
                continue
            entry = counts.setdefault(text(group), {"waiting": 0, "in_flight": 0})
            entry["in_flight" if message_id in hidden else "waiting"] += 1
        return counts

    def messages(self, arn: str, limit: int | None = None) -> list[QueueMessage]:
        """The messages in the queue, oldest first; `limit` bounds how many (a DLQ can hold thousands)."""
        self.queue_config(arn)
        args = [] if limit is None else [max(1, int(limit))]
        return [message_from_reply(m) for m in self._messages(keys=self._queue_keys(arn), args=args)]

    # --- helpers ------------------------------------------------------------------------------------------------

    def _new_id(self) -> str:
        if self._rng is None:
            return str(uuid.uuid4())
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def _config_key(self, arn: str) -> str:
        return f"{self._prefix}{arn}:cfg"

    def _queue_keys(self, arn: str) -> list[str]:
        keys = self._keys.get(arn)
        if keys is None:
            keys = self._keys[arn] = [f"{self._prefix}{arn}:{name}" for name in QUEUE_KEY_NAMES]
        return keys


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _message_id_of(receipt_handle: str) -> str:
    # Handles are "<message id>#<n>"; a malformed one yields an id that matches nothing, so the call returns False.
    return receipt_handle.rpartition("#")[0]
