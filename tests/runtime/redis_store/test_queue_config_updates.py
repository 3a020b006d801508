"""An edited queue configuration reaches Redis and every process (SetQueueAttributes, semantics §3)."""

from __future__ import annotations

import time

import pytest

from invocations.engine.sources import QueueConfig
from invocations.runtime.redis_store import RedisQueueStore

Q = "arn:aws:sqs:us-east-1:123456789012:edited"


def test_put_queue_replaces_the_config_and_keeps_the_messages(redis_client):
    store = RedisQueueStore(redis_client)
    store.create_queue(QueueConfig(Q, visibility_timeout=30))
    store.send_message(Q, "kept", now=0.0)
    store.put_queue(QueueConfig(Q, visibility_timeout=5))
    assert store.queue_config(Q).visibility_timeout == 5
    # semantics §3: the new visibility timeout applies to the next receive: hidden until 5, visible again after.
    assert [m.body for m in store.receive(Q, 10, now=1.0).messages] == ["kept"]
    assert store.receive(Q, 10, now=5.5).messages == []
    assert [m.body for m in store.receive(Q, 10, now=6.5).messages] == ["kept"]
    with pytest.raises(ValueError):
        store.put_queue(QueueConfig(Q + ".fifo"))


def test_another_process_sees_the_edit_once_its_cached_copy_expires(redis_client):
    here = RedisQueueStore(redis_client)
    there = RedisQueueStore(redis_client, config_ttl=0.2)  # another process's store, with its own cache
    here.create_queue(QueueConfig(Q, visibility_timeout=30))
    assert there.queue_config(Q).visibility_timeout == 30
    here.put_queue(QueueConfig(Q, visibility_timeout=7))
    assert there.queue_config(Q).visibility_timeout == 30  # still within its cache time: bounded staleness
    time.sleep(0.25)  # the thing under test: its cached copy expires after 0.2 s of real (monotonic) time
    assert there.queue_config(Q).visibility_timeout == 7


def test_create_queue_still_keeps_an_existing_config(redis_client):
    store = RedisQueueStore(redis_client)
    store.put_queue(QueueConfig(Q, visibility_timeout=12))
    store.create_queue(QueueConfig(Q, visibility_timeout=99))  # the live sources service's no-op
    assert RedisQueueStore(redis_client).queue_config(Q).visibility_timeout == 12
