"""RedisAsyncQueue: the in-memory queue's order, plus durable claims, acks and redeliveries (semantics §2)."""

from __future__ import annotations

import json
import random

import pytest

from invocations.engine.async_invoke import AsyncItem
from invocations.engine.clock import VirtualClock
from invocations.engine.config import AccountConfig, AliasConfig, AsyncConfig, FunctionConfig, VersionConfig
from invocations.engine.events import event_to_dict
from invocations.engine.outcomes import InvokeResult, Outcome
from invocations.engine.profile import BehaviourProfile
from invocations.engine.registry import Registry
from invocations.engine.simulator import Engine
from invocations.engine.store import MemoryAsyncQueue, MemoryStore
from invocations.runtime.redis_store import RedisAsyncQueue, RedisStore, item_from_dict, item_to_dict
from invocations.runtime.redis_store.state import first_environment_id

from .conftest import PREFIX


class FakeWall:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def item(rid: str, **changes) -> AsyncItem:
    it = AsyncItem(rid, "fn", "fn:live", "live", {"order": rid, "nested": [1, {"a": None}]}, "sdk", 0.5)
    for name, value in changes.items():
        setattr(it, name, value)
    return it


@pytest.fixture
def wall() -> FakeWall:
    return FakeWall()


@pytest.fixture
def queue(redis_client, wall) -> RedisAsyncQueue:
    return RedisAsyncQueue(redis_client, prefix=PREFIX, claim_timeout=30, wall=wall)


@pytest.fixture(params=["memory", "redis"])
def either(request):
    if request.param == "memory":
        return MemoryAsyncQueue()
    return RedisAsyncQueue(request.getfixturevalue("redis_client"), prefix=PREFIX)


def test_due_items_come_out_earliest_first_and_in_push_order_on_ties(either):
    for due, rid in [(5.0, "c"), (1.0, "a"), (2.0, "b1"), (2.0, "b0"), (2.0, "b2"), (9.0, "d")]:
        either.push(item(rid), due)
    assert [i.request_id for i in either.pop_due(5.0, limit=3)] == ["a", "b1", "b0"]
    assert [i.request_id for i in either.pop_due(5.0, limit=10)] == ["b2", "c"]
    assert either.pop_due(5.0, limit=0) == []
    assert (either.next_due(), len(either)) == (9.0, 1)
    assert either.pop_due(8.9, limit=10) == []


def test_an_empty_queue_has_no_next_due(either):
    assert (either.next_due(), len(either), either.pop_due(100, 10)) == (None, 0, [])


def test_an_item_round_trips_every_slot_including_its_last_result():
    result = InvokeResult(
        "r1",
        Outcome.FUNCTION_ERROR,
        200,
        "2",
        {"errorMessage": "boom"},
        "Unhandled",
        logs=("line 1", "line 2"),
        init_ms=12.5,
        duration_ms=3.25,
    )
    original = item("r1", attempts=2, retries=1, backoff=4.0, last=result)
    copy = item_from_dict(json.loads(json.dumps(item_to_dict(original))))
    assert {name: getattr(copy, name) for name in AsyncItem.__slots__} == {
        name: getattr(original, name) for name in AsyncItem.__slots__
    }
    assert isinstance(copy.last, InvokeResult) and copy.last.outcome is Outcome.FUNCTION_ERROR


def test_pop_due_claims_and_ack_finishes(queue):
    queue.push(item("a"), 1.0)
    [claimed] = queue.pop_due(1.0, 10)
    assert (len(queue), queue.in_flight()) == (0, 1)
    assert queue.ack("a") is True
    assert queue.ack("a") is False
    assert (len(queue), queue.in_flight()) == (0, 0)
    assert queue.requeue_expired(now=10**12) == []


def test_pushing_a_claimed_item_again_is_its_retry_and_replaces_the_claim(queue):
    # semantics §2: a function error re-queues the same event with a delay
    queue.push(item("a"), 1.0)
    [claimed] = queue.pop_due(1.0, 10)
    claimed.attempts, claimed.retries = 1, 1
    queue.push(claimed, 61.0)
    assert queue.in_flight() == 0
    assert queue.requeue_expired(now=10**12) == []
    assert queue.pop_due(60.0, 10) == []
    [again] = queue.pop_due(61.0, 10)
    assert (again.request_id, again.attempts, again.retries) == ("a", 1, 1)


def test_an_unacked_claim_comes_back_after_its_deadline_and_counts_a_redelivery(queue, wall):
    # semantics §2: at-least-once; the redelivery counter makes the duplicate visible
    queue.push(item("a"), 1.0)
    queue.push(item("b"), 2.0)
    queue.pop_due(5.0, 10)
    wall.now += 29
    assert queue.requeue_expired() == []
    wall.now += 1
    assert sorted(queue.requeue_expired()) == ["a", "b"]
    assert (queue.redeliveries(), queue.in_flight(), len(queue)) == (2, 0, 2)
    assert queue.next_due() == 1.0  # back at the due time it was claimed at
    assert [i.request_id for i in queue.pop_due(5.0, 10)] == ["a", "b"]


def test_heartbeat_keeps_live_claims_and_forgets_finished_ones(queue, wall):
    for rid in "abc":
        queue.push(item(rid), 1.0)
    queue.pop_due(1.0, 10)
    queue.ack("b")
    wall.now += 20
    assert queue.heartbeat() == 2
    wall.now += 20  # 40 s after the claim, 20 s after the heartbeat
    assert queue.requeue_expired() == []
    wall.now += 11
    assert sorted(queue.requeue_expired()) == ["a", "c"]
    assert queue.heartbeat() == 0  # requeued elsewhere: no longer ours


def engine_run(store) -> list[str]:
    """Async invokes with errors, retries, throttles and a DLQ, on a seeded engine; its event log as JSON lines."""
    profile = BehaviourProfile.from_dict({"duration_ms": 200, "init_ms": 100, "error_rate": 0.4})
    version = VersionConfig(profile=profile, dlq_arn="arn:aws:sqs:us-east-1:123456789012:dlq")
    fn = FunctionConfig(
        "fn",
        versions={"$LATEST": version, "1": version},
        aliases={"live": AliasConfig("1")},
        reserved_concurrency=2,
        async_configs={"live": AsyncConfig(max_retry_attempts=2)},
    )
    clock = VirtualClock()
    counter = iter(range(10**6))
    engine = Engine(
        clock,
        random.Random(7),
        store=store,
        registry=Registry(AccountConfig(), [fn]),
        request_ids=lambda: f"req-{next(counter)}",
    )
    for i in range(12):
        engine.invoke_async("fn:live", {"i": i})
    clock.run(until=1_000.0)
    return [json.dumps(event_to_dict(e), sort_keys=True) for e in engine.sink.events]


def test_the_engine_runs_the_same_on_the_redis_store_as_in_memory(redis_client):
    # semantics §2, §8: retries after function errors, throttle backoff at reserved concurrency 2, DLQ at the end
    memory = engine_run(MemoryStore())
    store = RedisStore(redis_client, prefix=PREFIX, first_env_id=1)  # ids as the in-memory store counts them
    on_redis = engine_run(store)
    assert on_redis == memory
    # Every event reached its terminal outcome, and the engine acked each one: no claim is left to redeliver.
    assert (len(store.async_queue), store.async_queue.in_flight(), store.concurrency.held()) == (0, 0, {})
    assert any('"RetryScheduled"' in line for line in memory) and any('"Throttle' in line for line in memory)


def test_push_many_and_ack_many_handle_a_batch_in_one_call(queue):
    queue.push_many([(item(f"r{i}"), float(5 - i)) for i in range(5)])
    assert [i.request_id for i in queue.pop_due(10.0, 10)] == ["r4", "r3", "r2", "r1", "r0"]
    assert queue.ack_many(["r0", "r1", "r2", "unknown"]) == [True, True, True, False]
    assert (queue.in_flight(), len(queue), queue.ack_many([])) == (2, 0, [])


def test_each_host_run_numbers_its_environments_from_a_fresh_base(redis_client):
    # Environment ids name CloudWatch log streams (rules/log_streams.py), so a restarted host must not reuse them.
    earlier = first_environment_id(now=1_800_000_000.0)
    later = first_environment_id(now=1_800_000_001.0)
    assert later - earlier == 2**22 and later < 2**53
    store = RedisStore(redis_client, prefix=PREFIX)
    assert store.environments.new_id() >= first_environment_id() - 2**22
