"""Where the live engine's DLQ messages and destination records go: simulated SQS queues, or a capped outbox."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import redis

from ..engine.sources.queue_store import QueueStore

OUTBOX_KEEP = 200  # per target: enough to inspect in the dashboard, bounded for long classes


class RuntimeTargets:
    """SQS ARNs that are simulated queues receive real messages (their own mappings then poll them); SNS topics,
    EventBridge buses and S3 buckets keep the last deliveries in a Redis list the dashboard can show."""

    def __init__(self, client: redis.Redis, queues: QueueStore, now: Callable[[], float], prefix: str = "lv:") -> None:
        self._client = client
        self._queues = queues
        self._now = now
        self._prefix = prefix

    def send(self, arn: str, body: Any, attributes: dict | None = None) -> None:
        text = body if isinstance(body, str) else json.dumps(body, separators=(",", ":"), default=str)
        if arn.startswith("arn:aws:sqs:"):
            try:
                self._queues.queue_config(arn)
            except KeyError:
                pass
            else:
                self._queues.send_message(arn, text, now=self._now(), message_attributes=attributes or {})
        key = f"{self._prefix}outbox:{arn}"
        entry = json.dumps({"at": self._now(), "body": text, "attributes": attributes or {}}, default=str)
        pipe = self._client.pipeline(transaction=False)
        pipe.lpush(key, entry)
        pipe.ltrim(key, 0, OUTBOX_KEEP - 1)
        pipe.execute()


def outbox(client: redis.Redis, arn: str, limit: int = 50, prefix: str = "lv:") -> list[dict]:
    """The newest deliveries to `arn`, newest first."""
    return [json.loads(raw) for raw in client.lrange(f"{prefix}outbox:{arn}", 0, limit - 1)]
