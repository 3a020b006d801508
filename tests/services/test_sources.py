"""The simulated resources: queues (FIFO, redrive), topics, buses, buckets and sharded streams."""

import re

import pytest

from invocations import selectors, services
from invocations.errors import InvalidParameterValueException, ResourceConflictException, ResourceNotFoundException
from tests.factories import assert_refused, make_function, make_queue, make_stream

pytestmark = pytest.mark.django_db


# semantics §3
def test_a_queue_has_an_sqs_arn_and_a_fifo_queue_ends_in_fifo():
    queue = make_queue("orders")
    fifo = make_queue("orders.fifo")
    assert queue.arn == "arn:aws:sqs:us-east-1:123456789012:orders"
    assert queue.url == "https://sqs.us-east-1.amazonaws.com/123456789012/orders"
    assert (queue.fifo, fifo.fifo) == (False, True)
    assert queue.visibility_timeout == 30


@pytest.mark.parametrize("name", ["has space", "x" * 81, "", "bad.name"])
def test_queue_names_follow_sqs_rules(name):
    assert_refused(
        lambda: make_queue(name),
        InvalidParameterValueException,
        "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
    )


def test_a_visibility_timeout_above_12_hours_is_refused():
    assert_refused(lambda: make_queue(visibility_timeout=43201), InvalidParameterValueException)


# semantics §3
def test_a_queue_redrives_to_its_own_dlq_after_max_receive_count():
    dlq = make_queue("orders-dlq")
    queue = make_queue("orders", dead_letter_queue=dlq, max_receive_count=5)
    assert queue.redrive_policy == {"deadLetterTargetArn": dlq.arn, "maxReceiveCount": 5}


# semantics §3
def test_a_redrive_policy_needs_a_count_in_range_and_a_queue_of_the_same_type():
    dlq = make_queue("dlq")
    assert_refused(lambda: make_queue("a", dead_letter_queue=dlq), InvalidParameterValueException)
    assert_refused(lambda: make_queue("b", dead_letter_queue=dlq, max_receive_count=0), InvalidParameterValueException)
    assert_refused(
        lambda: make_queue("c.fifo", dead_letter_queue=dlq, max_receive_count=5), InvalidParameterValueException
    )


def test_a_second_queue_with_the_same_name_is_a_conflict():
    make_queue("dup")
    assert_refused(lambda: make_queue("dup"), ResourceConflictException)


def test_topics_buses_and_buckets_have_their_services_arns_and_name_rules():
    assert services.topic_create(name="alerts").arn == "arn:aws:sns:us-east-1:123456789012:alerts"
    assert services.bus_create(name="orders").arn == "arn:aws:events:us-east-1:123456789012:event-bus/orders"
    assert services.bucket_create(name="my-uploads").arn == "arn:aws:s3:::my-uploads"
    assert_refused(lambda: services.topic_create(name="bad topic"), InvalidParameterValueException)
    assert_refused(
        lambda: services.bucket_create(name="Bad_Bucket"),
        InvalidParameterValueException,
        "The specified bucket is not valid.",
    )


def test_a_bucket_notification_links_object_created_events_to_a_function():
    function = make_function("thumbnailer")
    bucket = services.bucket_create(name="uploads")
    notification = services.bucket_notification_create(bucket=bucket, function=function, suffix=".jpg")
    assert notification.events == ["s3:ObjectCreated:*"]
    assert notification.matches("cats/tabby.jpg") and not notification.matches("notes.txt")
    assert notification.function_arn == function.arn
    assert_refused(
        lambda: services.bucket_notification_create(bucket=bucket, function=function, events=["s3:Nonsense"]),
        InvalidParameterValueException,
    )


# semantics §3
def test_a_kinesis_stream_has_numbered_shards_and_a_kinesis_arn():
    stream = make_stream("clickstream", shard_count=3)
    assert stream.shard_ids == ["shardId-000000000000", "shardId-000000000001", "shardId-000000000002"]
    assert stream.arn == "arn:aws:kinesis:us-east-1:123456789012:stream/clickstream"


# semantics §3
def test_a_dynamodb_stream_arn_names_the_table_and_the_stream_label():
    stream = make_stream("Orders", kind="dynamodb", shard_count=2)
    assert re.fullmatch(
        r"arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}", stream.arn
    )
    assert selectors.source_get_by_arn(stream.arn) == stream


def test_stream_shard_counts_and_kinds_are_checked():
    assert_refused(lambda: make_stream(shard_count=0), InvalidParameterValueException)
    assert_refused(lambda: services.stream_create(kind="kafka", name="x"), InvalidParameterValueException)


def test_sources_are_found_by_name_or_arn():
    queue = make_queue("orders")
    assert selectors.queue_get("orders") == selectors.queue_get(queue.arn) == queue
    with pytest.raises(ResourceNotFoundException):
        selectors.queue_get("nope")
