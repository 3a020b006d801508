"""Durability: a worker killed with kill -9 mid-run loses no accepted async event (issue 4, point 3)."""

import json

import pytest

from invocations.runtime.connection import inbox_push
from invocations.runtime.host.lease import LEASE
from invocations.runtime.redis_store import RedisAsyncQueue
from invocations.runtime.shared_clock import SharedClock
from invocations.runtime.targets import outbox
from invocations.services import event_invoke_config_put, function_create, queue_create, topic_create
from invocations.tasks import host_run
from tests.conftest import eventually

from .worker import WorkerProcess

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

EVENTS = 40


def settled_numbers(client, done: str, failed: str) -> list[int]:
    bodies = [json.loads(e["body"]) for arn in (done, failed) for e in outbox(client, arn, limit=1000)]
    return [body["requestPayload"]["n"] for body in bodies]


def test_every_accepted_event_reaches_a_terminal_outcome_after_a_kill_9(redis_client, monkeypatch):
    # semantics §2: at-least-once; accepted events are never lost (duplicates allowed, and counted).
    monkeypatch.setenv("LAMBDAVIZ_ASYNC_CLAIM_TIMEOUT_S", "2")
    done, failed = queue_create(name="crash-done"), topic_create(name="crash-failed")
    function = function_create(name="crashy", behaviour_profile={"duration_ms": 400, "init_ms": 100, "error_rate": 0.5})
    event_invoke_config_put(
        function=function,
        destination_config={"OnSuccess": {"Destination": done.arn}, "OnFailure": {"Destination": failed.arn}},
    )
    SharedClock(redis_client).set_speed(20.0)  # retries ~3 s and ~6 s of wall time apart
    inbox_push(
        [{"op": "invoke", "type": "Event", "target": "crashy", "payload": {"n": n}} for n in range(EVENTS)],
        redis_client,
    )
    first = WorkerProcess("crash-a")
    host_run.delay(max_seconds=60)
    try:
        eventually(lambda: len(settled_numbers(redis_client, done.arn, failed.arn)) >= 5, timeout=40, interval=0.2)
    finally:
        first.kill9()
    unfinished = EVENTS - len(set(settled_numbers(redis_client, done.arn, failed.arn)))
    assert unfinished > 0, "the worker finished everything before it was killed; the test proves nothing"

    second = WorkerProcess("crash-b")
    try:
        eventually(lambda: not redis_client.exists(LEASE), timeout=15, interval=0.2)  # the dead host's lease expires
        host_run.delay(max_seconds=60)
        eventually(
            lambda: set(settled_numbers(redis_client, done.arn, failed.arn)) == set(range(EVENTS)),
            timeout=60,
            interval=0.2,
            what=lambda: (
                f"lost events: {set(range(EVENTS)) - set(settled_numbers(redis_client, done.arn, failed.arn))}"
            ),
        )
    finally:
        redis_client.delete(LEASE)
        second.stop()
    numbers = settled_numbers(redis_client, done.arn, failed.arn)
    duplicates = len(numbers) - len(set(numbers))
    redeliveries = RedisAsyncQueue(redis_client).redeliveries()
    # Every duplicate destination record comes from an event that was redelivered after the crash.
    assert duplicates <= redeliveries
