"""Event payload builders: the record shapes of semantics §3."""

import base64
import hashlib
import random

from invocations.engine.sources import (
    InMemoryQueueStore,
    InMemoryStreamStore,
    QueueConfig,
    SourceKind,
    StreamConfig,
    dynamodb_record,
    kafka_event,
    kinesis_record,
    mq_event,
    s3_event,
    sns_event,
    sqs_event,
)
from invocations.engine.sources.payloads import iso_ms

EPOCH = 1_700_000_000.0
FQ = "arn:aws:sqs:us-east-1:123456789012:orders.fifo"


def test_sqs_records_carry_the_documented_fields_and_fifo_attributes():
    # semantics §3
    store = InMemoryQueueStore(random.Random(0))
    store.create_queue(QueueConfig(FQ, fifo=True))
    store.send_message(
        FQ,
        "hello",
        now=1.5,
        group_id="g1",
        dedup_id="d1",
        message_attributes={"k": {"DataType": "String", "StringValue": "v"}},
    )
    message = store.receive(FQ, 1, now=2.0).messages[0]
    record = sqs_event([message], queue_arn=FQ, region="us-east-1", epoch=EPOCH)["Records"][0]
    assert set(record) == {
        "messageId", "receiptHandle", "body", "attributes", "messageAttributes", "md5OfBody", "eventSource",
        "eventSourceARN", "awsRegion",
    }  # fmt: skip
    assert record["attributes"] == {
        "ApproximateReceiveCount": "1",
        "SentTimestamp": "1700000001500",
        "SenderId": message.sender_id,
        "ApproximateFirstReceiveTimestamp": "1700000002000",
        "SequenceNumber": message.sequence_number,
        "MessageGroupId": "g1",
        "MessageDeduplicationId": "d1",
    }
    assert record["messageAttributes"] == {
        "k": {"stringValue": "v", "stringListValues": [], "binaryListValues": [], "dataType": "String"}
    }
    assert record["md5OfBody"] == hashlib.md5(b"hello").hexdigest()
    assert (record["eventSource"], record["eventSourceARN"], record["body"]) == ("aws:sqs", FQ, "hello")


def test_kinesis_records_carry_base64_data_and_the_shard_in_the_event_id():
    # semantics §3
    store = InMemoryStreamStore()
    arn = "arn:aws:kinesis:us-east-1:123456789012:stream/s"
    store.create_stream(StreamConfig(arn, "kinesis"))
    rec = store.put_record(arn, "pk", {"x": 1}, now=2.25)
    out = kinesis_record(rec, stream_arn=arn, region="us-east-1", account_id="123456789012", epoch=EPOCH)
    assert out == {
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": "pk",
            "sequenceNumber": rec.sequence_number,
            "data": base64.b64encode(b'{"x":1}').decode(),
            "approximateArrivalTimestamp": 1700000002.25,
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": f"shardId-000000000000:{rec.sequence_number}",
        "eventName": "aws:kinesis:record",
        "invokeIdentityArn": "arn:aws:iam::123456789012:role/lambda-role",
        "awsRegion": "us-east-1",
        "eventSourceARN": arn,
    }


def test_dynamodb_records_carry_keys_images_and_the_event_name():
    # semantics §3
    store = InMemoryStreamStore()
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2024-01-01T00:00:00.000"
    store.create_stream(StreamConfig(arn, "dynamodb"))
    change = {"eventName": "MODIFY", "Keys": {"id": {"S": "1"}}, "NewImage": {"id": {"S": "1"}, "n": {"N": "2"}},
              "OldImage": {"id": {"S": "1"}, "n": {"N": "1"}}}  # fmt: skip
    rec = store.put_record(arn, "1", change, now=0)
    out = dynamodb_record(rec, stream_arn=arn, region="us-east-1", epoch=EPOCH)
    assert (out["eventName"], out["eventVersion"], out["eventSource"], out["eventSourceARN"]) == (
        "MODIFY", "1.0", "aws:dynamodb", arn,
    )  # fmt: skip
    assert out["dynamodb"]["Keys"] == {"id": {"S": "1"}}
    assert out["dynamodb"]["NewImage"]["n"] == {"N": "2"} and out["dynamodb"]["OldImage"]["n"] == {"N": "1"}
    assert out["dynamodb"]["SequenceNumber"] == rec.sequence_number
    assert out["dynamodb"]["SizeBytes"] == rec.size
    assert out["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"


def test_kafka_events_group_records_by_topic_partition():
    store = InMemoryStreamStore()
    arn = "arn:aws:kafka:us-east-1:123456789012:topic/cluster/orders"
    store.create_stream(StreamConfig(arn, "kafka", shard_count=1))
    rec = store.put_record(arn, "k", "v", now=1)
    event = kafka_event([rec], config=store.stream_config(arn), epoch=EPOCH)
    assert event["eventSource"] == "aws:kafka"
    assert event["records"] == {
        "orders-0": [
            {"topic": "orders", "partition": 0, "offset": 0, "timestamp": 1700000001000, "timestampType": "CREATE_TIME",
             "key": base64.b64encode(b"k").decode(), "value": base64.b64encode(b"v").decode(), "headers": []}
        ]
    }  # fmt: skip


def test_mq_events_differ_between_activemq_and_rabbitmq():
    store = InMemoryQueueStore(random.Random(0))
    arn = "arn:aws:mq:us-east-1:123456789012:broker:b:b-1"
    store.create_queue(QueueConfig(arn))
    store.send_message(arn, "m", now=0)
    messages = store.receive(arn, 1, now=0).messages
    active = mq_event(messages, kind=SourceKind.MQ_ACTIVEMQ, broker_arn=arn, queue="orders", epoch=EPOCH)
    rabbit = mq_event(messages, kind=SourceKind.MQ_RABBITMQ, broker_arn=arn, queue="orders", epoch=EPOCH)
    assert active["eventSource"] == "aws:mq" and active["messages"][0]["destination"] == {"physicalName": "orders"}
    assert rabbit["eventSource"] == "aws:rmq" and list(rabbit["rmqMessagesByQueue"]) == ["orders::/"]


def test_s3_notifications_name_the_bucket_and_object():
    # semantics §3
    event = s3_event("photos", "cat.jpg", size=1024, at=EPOCH, etag="abc", sequencer="0A1B")
    record = event["Records"][0]
    assert (record["eventVersion"], record["eventSource"], record["eventName"]) == (
        "2.1", "aws:s3", "ObjectCreated:Put",
    )  # fmt: skip
    assert record["s3"]["bucket"]["name"] == "photos" and record["s3"]["bucket"]["arn"] == "arn:aws:s3:::photos"
    assert record["s3"]["object"] == {"key": "cat.jpg", "size": 1024, "eTag": "abc", "sequencer": "0A1B"}
    assert record["eventTime"] == "2023-11-14T22:13:20.000Z"


def test_sns_notifications_carry_the_message_and_topic():
    # semantics §3
    topic = "arn:aws:sns:us-east-1:123456789012:alerts"
    record = sns_event(topic, "hi", message_id="m-1", at=EPOCH, subject="S")["Records"][0]
    assert record["EventSource"] == "aws:sns"
    sns = record["Sns"]
    assert (sns["MessageId"], sns["TopicArn"], sns["Subject"], sns["Message"]) == ("m-1", topic, "S", "hi")
    assert sns["Timestamp"] == "2023-11-14T22:13:20.000Z" and sns["MessageAttributes"] == {}


def test_iso_timestamps_have_milliseconds_and_a_z():
    assert iso_ms(1573690686.0215) == "2019-11-14T00:18:06.021Z"
