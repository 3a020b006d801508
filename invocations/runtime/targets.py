"""Where the live engine's DLQ messages and destination records go: simulated SQS queues, or a capped outbox."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis

from ..engine.sources.async_payloads import s3_event
from ..engine.sources.queue_store import QueueStore

OUTBOX_KEEP = 200  # per target: enough to inspect in the dashboard, bounded for long classes


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class S3Trigger:
    """A bucket notification as the host keeps it: which object keys invoke which function (semantics §3, S3)."""

    bucket: str
    target: str  # function name, or name:qualifier
    prefix: str = ""
    suffix: str = ""

    def matches(self, key: str) -> bool:
        return key.startswith(self.prefix) and key.endswith(self.suffix)


class RuntimeTargets:
    """SQS ARNs that are simulated queues receive real messages (their own mappings then poll them); an S3 bucket
    stores an object and fires its notifications (async invokes with an S3 event); SNS topics and EventBridge buses
    keep the last deliveries in a Redis list the dashboard can show. Every target keeps that list."""

    def __init__(self, client: redis.Redis, queues: QueueStore, now: Callable[[], float], prefix: str = "lv:") -> None:
        self._client = client
        self._queues = queues
        self._now = now
        self._prefix = prefix
        self.s3_triggers: list[S3Trigger] = []
        self.invoke_async: Callable[..., Any] | None = None  # the engine's, set by the host
        self.region = "us-east-1"

    def send(self, arn: str, body: Any, attributes: dict | None = None) -> None:
        text = body if isinstance(body, str) else json.dumps(body, separators=(",", ":"), default=str)
        if arn.startswith("arn:aws:sqs:"):
            try:
                self._queues.queue_config(arn)
            except KeyError:
                pass
            else:
                try:
                    self._queues.send_message(arn, text, now=self._now(), message_attributes=attributes or {})
                except ValueError as error:
                    # A FIFO queue as a DLQ or destination: AWS cannot deliver there either (semantics §2,
                    # DestinationDeliveryFailures); the delivery fails, the simulation goes on.
                    log.warning("delivery to %s failed: %s", arn, error)
                    self._client.incr(f"{self._prefix}delivery_failures:{arn}")
                    return
        elif arn.startswith("arn:aws:s3:::"):
            self._object_created(arn.removeprefix("arn:aws:s3:::"), text)
        key = f"{self._prefix}outbox:{arn}"
        entry = json.dumps({"at": self._now(), "body": text, "attributes": attributes or {}}, default=str)
        pipe = self._client.pipeline(transaction=False)
        pipe.lpush(key, entry)
        pipe.ltrim(key, 0, OUTBOX_KEEP - 1)
        pipe.execute()

    def _object_created(self, bucket: str, body: str) -> None:
        """An on-failure record written to S3 becomes an object; matching notifications invoke their functions."""
        digest = hashlib.md5(body.encode(), usedforsecurity=False).hexdigest()
        key = f"aws/lambda/async/{digest}.json"
        for trigger in self.s3_triggers:
            if trigger.bucket == bucket and trigger.matches(key) and self.invoke_async is not None:
                event = s3_event(bucket, key, size=len(body), at=self._now(), region=self.region, etag=digest)
                self.invoke_async(trigger.target, event, source="s3")


def outbox(client: redis.Redis, arn: str, limit: int = 50, prefix: str = "lv:") -> list[dict]:
    """The newest deliveries to `arn`, newest first."""
    return [json.loads(raw) for raw in client.lrange(f"{prefix}outbox:{arn}", 0, limit - 1)]
