"""Live sources for the dashboard: put a message on a queue or a record on a stream, publish to a topic or put an
event on a bus (now in simulated time), and look at what a queue holds without receiving it."""

from __future__ import annotations

import json
import uuid
from typing import Any

from .. import selectors
from ..engine.sources.fanout import eventbridge_deliveries, eventbridge_event, sns_deliveries
from ..engine.sources.payloads import sqs_record
from ..errors import InvalidParameterValueException
from ..models import AccountSettings, Stream
from ..rules.fifo_messages import check_send_parameters
from ..runtime.connection import redis_client
from ..runtime.engine_config import bus_rules, queue_config, stream_config, topic_subscribers
from ..runtime.invoke_client import invoke_async
from ..runtime.redis_store import RedisQueueStore, RedisStreamStore
from ..runtime.shared_clock import SharedClock
from ..runtime.targets import outbox_push

MAX_BODY = 262_144  # SQS's and SNS's 256 KiB message limit
MAX_EVENT = 262_144  # EventBridge's 256 KB PutEvents entry limit
PEEK_LIMIT = 20  # messages a queue viewer shows


def queue_message_send(*, queue: str, body: str, group_id: str | None = None, dedup_id: str | None = None) -> str:
    """SendMessage: `queue` is a name or ARN; returns the MessageId. The engine host's poller picks it up.
    A FIFO queue needs `group_id` and `dedup_id` (simulated queues have no content-based deduplication)."""
    target = selectors.queue_get(queue)
    if not body:
        raise InvalidParameterValueException("The message body must not be empty.")
    if len(body.encode()) > MAX_BODY:
        raise InvalidParameterValueException(f"The message body must be at most {MAX_BODY} bytes.")
    config = queue_config(target)
    check_send_parameters(
        fifo=target.fifo,
        group_id=group_id or None,
        dedup_id=dedup_id or None,
        content_based_deduplication=config.content_based_deduplication,
    )
    client = redis_client()
    store = RedisQueueStore(client)
    store.create_queue(config)  # a no-op once the engine host has created it
    now = SharedClock(client).now()
    if not target.fifo:
        return store.send_message(target.arn, body, now=now)
    return store.send_message(target.arn, body, now=now, group_id=group_id, dedup_id=dedup_id)


def stream_record_put(*, stream: str, partition_key: str, data: Any) -> dict[str, str]:
    """PutRecord: `stream` is a Kinesis or DynamoDB stream ARN; returns the shard and sequence number."""
    source = selectors.source_get_by_arn(stream)
    if not isinstance(source, Stream):
        raise InvalidParameterValueException(f"{stream} is not a stream.")
    if not partition_key or len(partition_key) > 256:
        raise InvalidParameterValueException("The partition key must be 1-256 characters.")
    if isinstance(data, dict | list):
        data = json.dumps(data)
    client = redis_client()
    store = RedisStreamStore(client)
    store.create_stream(stream_config(source))  # a no-op once the engine host has created it
    record = store.put_record(source.arn, partition_key, data, now=SharedClock(client).now())
    return {"ShardId": record.shard_id, "SequenceNumber": record.sequence_number}


def topic_publish(
    *, topic: str, message: str, subject: str | None = None, message_attributes: dict[str, dict] | None = None
) -> str:
    """Publish: `topic` is a name or ARN; each subscription whose filter policy accepts the message is invoked
    asynchronously with an SNS event (through the engine host's inbox). Returns the MessageId."""
    target = selectors.topic_get(topic)
    if not message:
        raise InvalidParameterValueException("Invalid parameter: Empty message")
    if len(message.encode()) > MAX_BODY:
        raise InvalidParameterValueException("Invalid parameter: Message too long")
    if target.name.endswith(".fifo"):
        raise InvalidParameterValueException("FIFO topics need a MessageGroupId; LambdaViz does not model them.")
    _check_message_attributes(message_attributes or {})
    client = redis_client()
    now = SharedClock(client).now()
    message_id = str(uuid.uuid4())
    subscribers = [s for s in topic_subscribers() if s.topic_arn == target.arn]
    for function, event in sns_deliveries(
        subscribers, target.arn, message, attributes=message_attributes, message_id=message_id, at=now, subject=subject
    ):
        invoke_async(function, event, source="sns", client=client)
    outbox_push(client, target.arn, message, message_attributes, at=now)
    return message_id


def _check_message_attributes(attributes: dict) -> None:
    if not isinstance(attributes, dict):
        raise InvalidParameterValueException("Invalid parameter: MessageAttributes: must be a map of attributes.")
    for name, attribute in attributes.items():
        kind = attribute.get("DataType") if isinstance(attribute, dict) else None
        if not isinstance(kind, str) or not kind.startswith(("String", "Number", "Binary")):
            raise InvalidParameterValueException(
                f"Invalid parameter: MessageAttributes: The message attribute '{name}' must contain a DataType."
            )
        if not isinstance(attribute.get("StringValue", attribute.get("BinaryValue")), str):
            raise InvalidParameterValueException(
                f"Invalid parameter: MessageAttributes: The message attribute '{name}' must contain non-empty "
                "message attribute value for message attribute type "
                f"'{kind}'."
            )


def event_bus_put_event(*, bus: str, source: str, detail_type: str, detail: dict[str, Any]) -> str:
    """PutEvents with one entry: each enabled rule on `bus` whose pattern matches invokes its target
    asynchronously with the EventBridge event. Returns the event id."""
    target = selectors.bus_get(bus)
    if not source or not detail_type:
        raise InvalidParameterValueException("Parameters Source and DetailType are required.")
    if not isinstance(detail, dict):
        raise InvalidParameterValueException("Detail is malformed: it must be a JSON object.")
    text = json.dumps(detail)
    if len(text.encode()) > MAX_EVENT:
        raise InvalidParameterValueException(f"The event must be at most {MAX_EVENT} bytes.")
    client = redis_client()
    now = SharedClock(client).now()
    account = AccountSettings.load()
    event = eventbridge_event(
        {"source": source, "detail-type": detail_type, "detail": detail},
        event_id=str(uuid.uuid4()),
        at=now,
        region=account.region,
        account=account.account_id,
    )
    for function, payload in eventbridge_deliveries(bus_rules(), target.arn, event):
        invoke_async(function, payload, source="eventbridge", client=client)
    outbox_push(client, target.arn, json.dumps(event), None, at=now)
    return event["id"]


def queue_messages_peek(*, queue: str, limit: int = PEEK_LIMIT) -> dict[str, Any]:
    """The oldest `limit` messages of a simulated queue (a redrive DLQ, say) as a Lambda SQS record shows them:
    body, attributes (ApproximateReceiveCount, SentTimestamp, ...) and message attributes. Read-only: nothing is
    received, so no receive count or visibility changes."""
    target = selectors.queue_get(queue)
    client = redis_client()
    store = RedisQueueStore(client)
    try:
        messages = store.messages(target.arn, limit=limit)
    except KeyError:  # the engine host has not created it yet: nothing was ever sent there
        return {"queue": target.name, "arn": target.arn, "total": 0, "messages": []}
    counts = store.counts(target.arn, now=SharedClock(client).now())
    account = selectors.account_settings_get()
    records = [sqs_record(m, queue_arn=target.arn, region=account.region, epoch=0.0) for m in messages]
    for record in records:
        del record["receiptHandle"]  # a viewer must not be able to delete or hide what it shows
    return {
        "queue": target.name,
        "arn": target.arn,
        "total": counts.total,
        "visible": counts.visible,
        "in_flight": counts.in_flight,
        "messages": records,
    }


def topic_message_publish(*, topic: str, message: str, subject: str, attributes: dict[str, Any]) -> str:
    """The "Publish to topic" panel: attributes may be given as SNS MessageAttributes or, for the classroom, as
    plain values ({"ErrorCode": "500", "Retries": 3, "Tags": ["a", "b"]}). Returns the MessageId."""
    return topic_publish(
        topic=topic, message=message, subject=subject or None, message_attributes=message_attributes(attributes) or None
    )


def message_attributes(values: dict[str, Any]) -> dict[str, Any]:
    """Plain values become String / Number / String.Array attributes; anything else goes to SNS's checks as given."""
    attributes: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, str):
            attributes[name] = {"DataType": "String", "StringValue": value}
        elif isinstance(value, int | float) and not isinstance(value, bool):
            attributes[name] = {"DataType": "Number", "StringValue": json.dumps(value)}
        elif isinstance(value, list):
            attributes[name] = {"DataType": "String.Array", "StringValue": json.dumps(value)}
        else:
            attributes[name] = value
    return attributes
