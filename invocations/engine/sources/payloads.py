"""Event payloads Lambda hands the function for each poll-based source, in the shapes of semantics §3.

Builders take store records plus the mapping's identity and return JSON-ready dicts. `filter_view` gives the
part of a record FilterCriteria patterns see (data/value decoded from JSON when it is JSON).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from .kinds import SourceKind
from .queue_store import QueueMessage
from .stream_store import StreamConfig, StreamRecord


def iso_ms(epoch_seconds: float) -> str:
    """2019-11-14T00:38:06.021Z, the timestamp style of AWS's invocation records."""
    moment = datetime.fromtimestamp(epoch_seconds, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def encode_data(data: Any) -> str:
    """Base64 of the record's bytes (str as UTF-8, anything else as compact JSON)."""
    if isinstance(data, bytes):
        raw = data
    elif isinstance(data, str):
        raw = data.encode()
    else:
        raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.b64encode(raw).decode()


def decode_for_filter(data: Any) -> Any:
    """What a filter pattern sees for a data/value/body field: parsed JSON when it parses, else the raw text."""
    if isinstance(data, bytes):
        try:
            data = data.decode()
        except UnicodeDecodeError:
            return None
    if isinstance(data, str):
        try:
            return json.loads(data)
        except ValueError:
            return data
    return data


# --- SQS ---------------------------------------------------------------------------------------------------------


def sqs_record(message: QueueMessage, *, queue_arn: str, region: str, epoch: float) -> dict[str, Any]:
    attributes = {
        "ApproximateReceiveCount": str(message.receive_count),
        "SentTimestamp": str(int((epoch + message.sent_at) * 1000)),
        "SenderId": message.sender_id,
        "ApproximateFirstReceiveTimestamp": str(int((epoch + (message.first_received_at or message.sent_at)) * 1000)),
    }
    if message.group_id is not None:
        attributes["SequenceNumber"] = message.sequence_number or ""
        attributes["MessageGroupId"] = message.group_id
        attributes["MessageDeduplicationId"] = message.dedup_id or ""
    return {
        "messageId": message.message_id,
        "receiptHandle": message.receipt_handle,
        "body": message.body,
        "attributes": attributes,
        "messageAttributes": _lambda_message_attributes(message.message_attributes),
        "md5OfBody": hashlib.md5(message.body.encode()).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }


def sqs_event(messages: Sequence[QueueMessage], *, queue_arn: str, region: str, epoch: float) -> dict[str, Any]:
    return {"Records": [sqs_record(m, queue_arn=queue_arn, region=region, epoch=epoch) for m in messages]}


def _lambda_message_attributes(attributes: dict) -> dict:
    """SQS API attributes {"Name": {"DataType", "StringValue"}} -> Lambda's camelCase record form."""
    out = {}
    for name, value in attributes.items():
        entry = {"stringListValues": [], "binaryListValues": [], "dataType": value.get("DataType", "String")}
        if "StringValue" in value:
            entry["stringValue"] = value["StringValue"]
        if "BinaryValue" in value:
            entry["binaryValue"] = value["BinaryValue"]
        out[name] = entry
    return out


# --- Kinesis -----------------------------------------------------------------------------------------------------


def kinesis_record(record: StreamRecord, *, stream_arn: str, region: str, account_id: str, epoch: float) -> dict:
    return {
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": record.partition_key,
            "sequenceNumber": record.sequence_number,
            "data": encode_data(record.data),
            "approximateArrivalTimestamp": round(epoch + record.arrival, 3),
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": f"{record.shard_id}:{record.sequence_number}",
        "eventName": "aws:kinesis:record",
        "invokeIdentityArn": f"arn:aws:iam::{account_id}:role/lambda-role",
        "awsRegion": region,
        "eventSourceARN": stream_arn,
    }


# --- DynamoDB Streams --------------------------------------------------------------------------------------------


def dynamodb_record(record: StreamRecord, *, stream_arn: str, region: str, epoch: float) -> dict:
    """`record.data` holds eventName (INSERT|MODIFY|REMOVE), Keys, NewImage, OldImage, StreamViewType."""
    data = record.data if isinstance(record.data, dict) else {}
    body: dict[str, Any] = {"ApproximateCreationDateTime": int(epoch + record.arrival), "Keys": data.get("Keys", {})}
    for image in ("NewImage", "OldImage"):
        if image in data:
            body[image] = data[image]
    body["SequenceNumber"] = record.sequence_number
    body["SizeBytes"] = record.size
    body["StreamViewType"] = data.get("StreamViewType", "NEW_AND_OLD_IMAGES")
    return {
        "eventID": hashlib.md5(f"{stream_arn}/{record.shard_id}/{record.seq}".encode()).hexdigest(),
        "eventVersion": "1.0",
        "dynamodb": body,
        "awsRegion": region,
        "eventName": data.get("eventName", "INSERT"),
        "eventSourceARN": stream_arn,
        "eventSource": "aws:dynamodb",
    }


# --- Kafka (MSK / self-managed) ----------------------------------------------------------------------------------


def kafka_event(records: Sequence[StreamRecord], *, config: StreamConfig, epoch: float) -> dict:
    topic = config.name
    grouped: dict[str, list[dict]] = {}
    for record in records:
        grouped.setdefault(f"{topic}-{record.shard_id}", []).append(
            {
                "topic": topic,
                "partition": int(record.shard_id),
                "offset": record.seq,
                "timestamp": int((epoch + record.arrival) * 1000),
                "timestampType": "CREATE_TIME",
                "key": encode_data(record.partition_key),
                "value": encode_data(record.data),
                "headers": [],
            }
        )
    return {
        "eventSource": "aws:kafka",
        "eventSourceArn": config.arn,
        "bootstrapServers": "b-1.simulated.kafka.us-east-1.amazonaws.com:9092",
        "records": grouped,
    }


# --- Amazon MQ ---------------------------------------------------------------------------------------------------


def mq_event(messages: Sequence[QueueMessage], *, kind: SourceKind, broker_arn: str, queue: str, epoch: float) -> dict:
    if kind is SourceKind.MQ_RABBITMQ:
        items = [
            {
                "basicProperties": {
                    "contentType": "text/plain",
                    "deliveryMode": 1,
                    "messageId": m.message_id,
                    "timestamp": None,
                    "bodySize": m.size,
                },
                "redelivered": m.receive_count > 1,
                "data": encode_data(m.body),
            }
            for m in messages
        ]
        return {"eventSource": "aws:rmq", "eventSourceArn": broker_arn, "rmqMessagesByQueue": {f"{queue}::/": items}}
    return {
        "eventSource": "aws:mq",
        "eventSourceArn": broker_arn,
        "messages": [
            {
                "messageID": m.message_id,
                "messageType": "jms/text-message",
                "data": encode_data(m.body),
                "connectionId": "simulated-connection",
                "redelivered": m.receive_count > 1,
                "persistent": True,
                "destination": {"physicalName": queue},
                "timestamp": int((epoch + m.sent_at) * 1000),
                "brokerInTime": int((epoch + m.sent_at) * 1000),
                "brokerOutTime": int((epoch + (m.first_received_at or m.sent_at)) * 1000),
                "properties": {},
            }
            for m in messages
        ],
    }


# --- what filters see (DG invocation-eventfiltering) ---------------------------------------------------------------


def filter_view(kind: SourceKind, record: dict | StreamRecord | QueueMessage) -> dict:
    """Kinesis filters see only `data`, Kafka only `value`, MQ only `data`; SQS and DynamoDB the whole record."""
    if kind is SourceKind.KINESIS and isinstance(record, StreamRecord):
        return {"data": decode_for_filter(record.data)}
    if kind is SourceKind.KAFKA and isinstance(record, StreamRecord):
        return {"value": decode_for_filter(record.data)}
    if kind.is_mq and isinstance(record, QueueMessage):
        return {"data": decode_for_filter(record.body)}
    if isinstance(record, dict):
        view = dict(record)
        if "body" in view:
            view["body"] = decode_for_filter(view["body"])
        return view
    raise TypeError(f"no filter view for {kind} and {type(record).__name__}")
