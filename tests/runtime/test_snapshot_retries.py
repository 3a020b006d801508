"""A function's snapshot lists its async events waiting for a retry, so a page that (re)connects shows the retry
loop as it is rather than empty (issue 6)."""

import pytest

from invocations.engine.async_invoke import AsyncItem
from invocations.engine.outcomes import InvokeResult, Outcome
from invocations.runtime.redis_store import RedisAsyncQueue
from invocations.runtime.snapshot import live_snapshot, pending_retries
from invocations.services.host_adapter import DatabaseConfig

pytestmark = pytest.mark.django_db


def item(request_id: str, function: str = "thumbnailer", *, attempts=0, backoff=0.0, refusal=None) -> AsyncItem:
    event = AsyncItem(request_id, function, function, None, {"k": 1}, "s3", 100.0)
    event.attempts = attempts
    event.backoff = backoff
    if refusal is not None:
        event.last_refusal = InvokeResult(request_id, refusal, 429 if refusal is Outcome.THROTTLED else 500, "1", {})
    return event


def test_waiting_retries_are_listed_latest_due_first_with_attempt_and_cause(redis_client):
    # semantics §2: function errors retry after about 1 and 2 minutes; throttles and service errors back off
    queue = RedisAsyncQueue(redis_client)
    queue.push_many(
        [
            (item("first-attempt"), 100.0),  # not a retry
            (item("error-once", attempts=1), 160.0),
            (item("error-twice", attempts=2), 280.0),
            (item("throttled", backoff=2.0, refusal=Outcome.THROTTLED), 102.0),
            (item("service", attempts=1, backoff=1.0, refusal=Outcome.SERVICE_ERROR), 101.0),
            (item("elsewhere", "checkout", attempts=1), 300.0),
        ]
    )
    facts = pending_retries(redis_client, "thumbnailer")
    assert [(f["request_id"], f["attempts"], f["retry_at"], f["cause"]) for f in facts] == [
        ("error-twice", 2, 280.0, "FunctionError"),
        ("error-once", 1, 160.0, "FunctionError"),
        ("throttled", 0, 102.0, "Throttled"),
        ("service", 1, 101.0, "ServiceError"),
    ]
    assert {f["type"] for f in facts} == {"RetryScheduled"}
    assert len(queue) == 6  # looking took nothing from the queue


def test_only_a_function_snapshot_carries_them(redis_client):
    from invocations.services.demo import demo_seed

    demo_seed()
    RedisAsyncQueue(redis_client).push(item("error-once", attempts=1), 160.0)
    assert [f["request_id"] for f in live_snapshot("thumbnailer", config=DatabaseConfig())["pending_retries"]] == [
        "error-once"
    ]
    assert live_snapshot("checkout", config=DatabaseConfig())["pending_retries"] == []
    assert live_snapshot(config=DatabaseConfig())["pending_retries"] == []
