"""Async retries, DLQ and destinations through a real Celery worker running the engine host (issue 4)."""

import json

import pytest

from invocations.runtime.connection import inbox_push
from invocations.runtime.host.lease import LEASE
from invocations.runtime.shared_clock import SharedClock
from invocations.runtime.targets import outbox
from invocations.services import event_invoke_config_put, function_create, queue_create, topic_create
from invocations.tasks import host_run
from tests.conftest import eventually

from .worker import WorkerProcess

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


@pytest.fixture
def flaky(redis_client):
    """A function that always fails, with a DLQ queue and both destinations; the clock runs at x600."""
    dlq = queue_create(name="flaky-dlq")
    done = queue_create(name="flaky-done")
    failed = topic_create(name="flaky-failed")
    function = function_create(
        name="flaky",
        dead_letter_target_arn=dlq.arn,
        behaviour_profile={"duration_ms": 20, "init_ms": 50, "error_rate": 1.0, "error_message": "boom"},
    )
    event_invoke_config_put(
        function=function,
        destination_config={"OnSuccess": {"Destination": done.arn}, "OnFailure": {"Destination": failed.arn}},
    )
    SharedClock(redis_client).set_speed(600.0)
    return {"dlq": dlq.arn, "done": done.arn, "failed": failed.arn}


def test_retries_end_in_the_dlq_and_the_on_failure_destination_with_aws_records(flaky, redis_client):
    # semantics §2: 3 attempts (2 retries ~1 and ~2 min apart), then DLQ (body + attributes) and OnFailure record.
    worker = WorkerProcess("async")
    try:
        inbox_push(
            [{"op": "invoke", "type": "Event", "target": "flaky", "payload": {"n": n}} for n in range(5)], redis_client
        )
        host_run.delay(max_seconds=30)
        eventually(
            lambda: len(outbox(redis_client, flaky["failed"])) >= 5,
            timeout=60,
            interval=0.2,
            what="5 OnFailure records",
        )
    finally:
        redis_client.delete(LEASE)
        worker.stop()
    records = [json.loads(entry["body"]) for entry in outbox(redis_client, flaky["failed"])]
    assert sorted(r["requestPayload"]["n"] for r in records) == [0, 1, 2, 3, 4]
    record = records[0]
    assert set(record) == {
        "version",
        "timestamp",
        "requestContext",
        "requestPayload",
        "responseContext",
        "responsePayload",
    }
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 3
    assert record["requestContext"]["functionArn"].endswith(":function:flaky:$LATEST")
    assert record["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"}
    assert record["responsePayload"]["errorMessage"] == "boom"
    dlq = outbox(redis_client, flaky["dlq"])
    assert len(dlq) == 5
    assert {json.loads(m["body"])["n"] for m in dlq} == {0, 1, 2, 3, 4}
    attributes = dlq[0]["attributes"]
    assert attributes["ErrorCode"]["StringValue"] == "200"
    assert attributes["ErrorMessage"]["StringValue"] == "boom"
    assert outbox(redis_client, flaky["done"]) == []
