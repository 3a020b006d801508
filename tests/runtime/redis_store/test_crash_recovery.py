"""A worker SIGKILLed while holding concurrency slots or claimed async events: nothing stays lost."""

from __future__ import annotations

import signal
import time

from invocations.engine.async_invoke import AsyncItem
from invocations.engine.sources import QueueConfig
from invocations.engine.store import Grant
from invocations.runtime.redis_store import RedisAsyncQueue, RedisConcurrency, RedisQueueStore, reclaim_dead_holders

from .conftest import PREFIX
from .processes import first_line, spawn

KEY = "reserved:fn"


def kill(process) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    process.stdout.close()
    process.stderr.close()
    assert process.returncode == -signal.SIGKILL


def test_the_slots_of_a_killed_worker_come_back_once_its_heartbeat_expires(redis_client):
    # semantics §8: leaked slots would throttle the function for ever; reclaim gives them back
    worker = spawn("hold", PREFIX, KEY, 5, 3)
    holder = first_line(worker)["holder"]
    kill(worker)
    survivor = RedisConcurrency(redis_client, prefix=PREFIX)
    assert survivor.try_acquire(None, 0, KEY, 5) is Grant.ON_DEMAND
    assert survivor.in_use(KEY) == 4
    assert reclaim_dead_holders(redis_client, ttl=30, prefix=PREFIX) == {}  # still within the ttl: kept
    time.sleep(0.4)  # the thing under test: heartbeats age in Redis server time, so real time must pass
    survivor.heartbeat()  # the survivor is alive; the killed worker went silent 400 ms ago
    assert reclaim_dead_holders(redis_client, ttl=0.3, prefix=PREFIX) == {holder: {KEY: 3}}
    assert survivor.in_use(KEY) == 1  # only the survivor's own slot is left
    assert reclaim_dead_holders(redis_client, ttl=0.3, prefix=PREFIX) == {}  # a second sweep finds nothing


def test_a_holder_that_keeps_beating_is_never_reclaimed(redis_client):
    alive = RedisConcurrency(redis_client, prefix=PREFIX)
    alive.try_acquire(None, 0, KEY, 5)
    time.sleep(0.4)  # the thing under test: heartbeats age in Redis server time, so real time must pass
    alive.heartbeat()
    assert reclaim_dead_holders(redis_client, ttl=0.3, prefix=PREFIX) == {}  # silent for 0.4 s, but beat since
    assert alive.held() == {KEY: 1}


def test_a_late_release_from_a_reclaimed_holder_cannot_free_someone_elses_slot(redis_client):
    slow = RedisConcurrency(redis_client, prefix=PREFIX)
    grant = slow.try_acquire(None, 0, KEY, 1)
    time.sleep(0.05)  # the thing under test: its heartbeat goes stale (Redis server time) past the 20 ms ttl
    assert reclaim_dead_holders(redis_client, ttl=0.02, prefix=PREFIX) == {slow.holder_id: {KEY: 1}}
    other = RedisConcurrency(redis_client, prefix=PREFIX)
    assert other.try_acquire(None, 0, KEY, 1) is Grant.ON_DEMAND  # the reclaimed slot, now someone else's
    slow.release(grant, None, KEY)  # the slow holder wakes up and releases
    assert other.in_use(KEY) == 1
    assert other.try_acquire(None, 0, KEY, 1) is Grant.THROTTLED


def test_events_claimed_by_a_killed_worker_are_redelivered(redis_client):
    # semantics §2: async delivery is at-least-once; the redelivery counter shows the possible duplicates
    queue = RedisAsyncQueue(redis_client, prefix=PREFIX)
    for i in range(4):
        event = AsyncItem(f"req-{i}", "fn", "fn", None, {"i": i}, "sdk", 0.0)
        event.attempts = i
        queue.push(event, due=1.0 + i)
    worker = spawn("claim", PREFIX, 2.5, 10)
    claimed = first_line(worker)["claimed"]
    kill(worker)
    assert claimed == ["req-0", "req-1"]
    assert (len(queue), queue.in_flight()) == (2, 2)
    assert queue.requeue_expired() == []  # the claim (5 s) has not expired yet
    assert sorted(queue.requeue_expired(now=time.time() + 6)) == claimed
    assert (queue.redeliveries(), queue.in_flight(), len(queue)) == (2, 0, 4)
    again = queue.pop_due(2.5, 10)
    assert [(e.request_id, e.attempts, e.payload) for e in again] == [("req-0", 0, {"i": 0}), ("req-1", 1, {"i": 1})]


def test_messages_received_by_a_killed_poller_reappear_after_the_visibility_timeout(redis_client):
    # semantics §3: an undeleted message becomes visible again, ApproximateReceiveCount + 1
    arn = "arn:aws:sqs:us-east-1:123456789012:crashy"
    store = RedisQueueStore(redis_client, prefix=PREFIX)
    store.create_queue(QueueConfig(arn))
    sent = [store.send_message(arn, f"m{i}", now=0.0) for i in range(5)]
    worker = spawn("receive-some", PREFIX, arn, 3)
    received = first_line(worker)["received"]
    kill(worker)
    assert received == sent[:3]
    assert [m.message_id for m in store.receive(arn, 10, now=29.0).messages] == sent[3:]
    back = store.receive(arn, 10, now=30.0).messages
    assert [(m.message_id, m.receive_count) for m in back] == [(i, 2) for i in received]
