"""Where the live engine's DLQ messages and destination records go: simulated SQS queues, S3 buckets, SNS topics
and EventBridge buses (which invoke their subscribers and rules), each also kept in a capped outbox."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import redis

from ..engine.sources.async_payloads import s3_event
from ..engine.sources.fanout import (
    BusRule,
    TopicSubscriber,
    eventbridge_deliveries,
    eventbridge_event,
    sns_deliveries,
)
from ..engine.sources.queue_store import QueueStore
from ..errors import LambdaError

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
    stores an object and fires its notifications (async invokes with an S3 event); an SNS topic invokes each
    subscription whose filter policy accepts the message (SNS event); an EventBridge bus invokes each enabled rule
    whose pattern matches the event. Every target also keeps its last deliveries in a Redis list the dashboard
    shows (the outbox)."""

    def __init__(self, client: redis.Redis, queues: QueueStore, now: Callable[[], float], prefix: str = "lv:") -> None:
        self._client = client
        self._queues = queues
        self._now = now
        self._prefix = prefix
        self.s3_triggers: list[S3Trigger] = []
        self.subscriptions: list[TopicSubscriber] = []
        self.rules: list[BusRule] = []
        self.account_id = "123456789012"
        self.invoke_async: Callable[..., Any] | None = None  # the engine's, set by the host
        self.region = "us-east-1"

    def send(self, arn: str, body: Any, attributes: dict | None = None) -> bool:
        """False when the target refuses Lambda's delivery (the engine counts DeadLetterErrors or
        DestinationDeliveryFailures); a subscriber the topic or bus cannot invoke is the topic's failure, not this."""
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
                    self._delivery_failed(arn, str(error))
                    return False
        elif arn.startswith("arn:aws:s3:::"):
            self._object_created(arn.removeprefix("arn:aws:s3:::"), text)
        elif arn.startswith("arn:aws:sns:"):
            if arn.endswith(".fifo"):
                self._delivery_failed(arn, "FIFO topics cannot receive Lambda's deliveries")  # semantics §2
                return False
            deliveries = sns_deliveries(
                self.subscriptions, arn, text, attributes=attributes, message_id=str(uuid.uuid4()), at=self._now()
            )
            self._invoke_all(deliveries, "sns")
        elif arn.startswith("arn:aws:events:"):
            entry = body if isinstance(body, dict) else _json_object(text)
            event = eventbridge_event(
                entry, event_id=str(uuid.uuid4()), at=self._now(), region=self.region, account=self.account_id
            )
            self._invoke_all(eventbridge_deliveries(self.rules, arn, event), "eventbridge")
        outbox_push(self._client, arn, text, attributes, at=self._now(), prefix=self._prefix)
        return True

    def _invoke_all(self, deliveries: Iterable[tuple[str, Any]], source: str) -> None:
        for target, event in deliveries:
            if self.invoke_async is None:
                return
            try:
                self.invoke_async(target, event, source=source)
            except LambdaError as error:
                # The subscribed function or its alias went away since the last reload: that delivery fails.
                self._delivery_failed(target, error.message)

    def _delivery_failed(self, target: str, reason: str) -> None:
        log.warning("delivery to %s failed: %s", target, reason)
        self._client.incr(f"{self._prefix}delivery_failures:{target}")

    def _object_created(self, bucket: str, body: str) -> None:
        """An on-failure record written to S3 becomes an object; matching notifications invoke their functions."""
        digest = hashlib.md5(body.encode(), usedforsecurity=False).hexdigest()
        key = f"aws/lambda/async/{digest}.json"
        for trigger in self.s3_triggers:
            if trigger.bucket == bucket and trigger.matches(key) and self.invoke_async is not None:
                event = s3_event(bucket, key, size=len(body), at=self._now(), region=self.region, etag=digest)
                self.invoke_async(trigger.target, event, source="s3")


def _json_object(text: str) -> dict:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def outbox_push(
    client: redis.Redis, arn: str, text: str, attributes: dict | None, *, at: float, prefix: str = "lv:"
) -> None:
    """Keep one delivery to `arn` (newest first, capped) for the dashboard."""
    key = f"{prefix}outbox:{arn}"
    entry = json.dumps({"at": at, "body": text, "attributes": attributes or {}}, default=str)
    pipe = client.pipeline(transaction=False)
    pipe.lpush(key, entry)
    pipe.ltrim(key, 0, OUTBOX_KEEP - 1)
    pipe.execute()


def outbox(client: redis.Redis, arn: str, limit: int = 50, prefix: str = "lv:") -> list[dict]:
    """The newest deliveries to `arn`, newest first."""
    return [json.loads(raw) for raw in client.lrange(f"{prefix}outbox:{arn}", 0, limit - 1)]
