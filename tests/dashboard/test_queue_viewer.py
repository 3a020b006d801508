"""Viewing a simulated queue's messages (a redrive DLQ above all) read-only from the dashboard (issue 6)."""

import pytest

from invocations.models import Queue
from invocations.runtime.engine_config import queue_config
from invocations.runtime.redis_store import RedisQueueStore
from invocations.services.demo import demo_seed

pytestmark = pytest.mark.django_db

URL = "/dashboard/api/queues/messages"


@pytest.fixture
def queues(redis_client):
    demo_seed()
    store = RedisQueueStore(redis_client)
    for queue in Queue.objects.all():
        store.create_queue(queue_config(queue))
    return store


def arn(name: str) -> str:
    return Queue.objects.get(name=name).arn


def test_a_redriven_message_shows_its_body_attributes_and_receive_count(client, queues):
    # semantics §3: after maxReceiveCount receives, the next receive moves the message to the DLQ
    orders, dlq = arn("orders"), arn("orders-dlq")
    message_id = queues.send_message(orders, '{"order": 7}', now=0, message_attributes={"k": {"StringValue": "v"}})
    for attempt in range(5):
        queues.receive(orders, 1, now=attempt * 200)
    assert [m.message_id for m in queues.receive(orders, 1, now=1000).redriven] == [message_id]

    body = client.get(URL, {"arn": dlq}).json()
    assert (body["queue"], body["total"], body["visible"]) == ("orders-dlq", 1, 1)
    (message,) = body["messages"]
    assert message["messageId"] == message_id
    assert message["body"] == '{"order": 7}'
    assert message["attributes"]["ApproximateReceiveCount"] == "0"  # it starts over in the DLQ
    assert message["messageAttributes"]["k"]["stringValue"] == "v"
    assert "receiptHandle" not in message


def test_viewing_receives_nothing_and_changes_nothing(client, queues):
    orders = arn("orders")
    queues.send_message(orders, "a", now=0)
    queues.receive(orders, 1, now=0)
    for _ in range(2):
        (message,) = client.get(URL, {"arn": orders}).json()["messages"]
        assert message["attributes"]["ApproximateReceiveCount"] == "1"
    (again,) = queues.messages(orders)
    assert again.receive_count == 1


def test_the_list_is_bounded_and_oldest_first_while_the_total_counts_them_all(client, queues):
    dlq = arn("orders-dlq")
    for i in range(30):
        queues.send_message(dlq, f"m{i}", now=i)
    body = client.get(URL, {"arn": dlq}).json()
    assert body["total"] == 30
    assert [m["body"] for m in body["messages"]] == [f"m{i}" for i in range(20)]
    assert [m["body"] for m in client.get(URL, {"arn": dlq, "limit": 3}).json()["messages"]] == ["m0", "m1", "m2"]


def test_a_queue_the_host_never_created_is_simply_empty(client, redis_client):
    demo_seed()
    body = client.get(URL, {"arn": arn("orders-dlq")}).json()
    assert (body["total"], body["messages"]) == (0, [])


@pytest.mark.parametrize(
    ("params", "status", "error_type"),
    [
        ({"arn": "arn:aws:sqs:us-east-1:123456789012:nope"}, 404, "ResourceNotFoundException"),
        ({}, 400, "InvalidParameterValueException"),
        ({"arn": "orders", "limit": 500}, 400, "InvalidParameterValueException"),
    ],
)
def test_bad_queue_requests_get_aws_shaped_errors(client, redis_client, params, status, error_type):
    demo_seed()
    response = client.get(URL, params)
    assert response.status_code == status
    assert response["x-amzn-ErrorType"] == error_type


def test_an_unreachable_redis_is_a_service_exception_not_an_html_page(client, queues, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get(URL, {"arn": arn("orders-dlq")})
    assert response.status_code == 500
    assert response["x-amzn-ErrorType"] == "ServiceException"
    assert response.json()["Type"] == "Service"
