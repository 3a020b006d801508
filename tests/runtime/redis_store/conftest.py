"""Fixtures: each store twice, in memory and on a real Redis, so one test checks both behave the same."""

from __future__ import annotations

import random

import pytest

from invocations.engine.sources import InMemoryQueueStore, InMemoryStreamStore
from invocations.engine.store import MemoryConcurrency
from invocations.runtime.redis_store import RedisConcurrency, RedisQueueStore, RedisStreamStore

PREFIX = "lvtest:"  # not the default "lv:", to show every key honours the prefix


def make_queue_store(kind: str, request: pytest.FixtureRequest, seed: int = 1):
    if kind == "memory":
        return InMemoryQueueStore(random.Random(seed))
    return RedisQueueStore(request.getfixturevalue("redis_client"), prefix=PREFIX, rng=random.Random(seed))


def make_stream_store(kind: str, request: pytest.FixtureRequest):
    if kind == "memory":
        return InMemoryStreamStore()
    return RedisStreamStore(request.getfixturevalue("redis_client"), prefix=PREFIX)


def make_concurrency(kind: str, request: pytest.FixtureRequest):
    if kind == "memory":
        return MemoryConcurrency()
    return RedisConcurrency(request.getfixturevalue("redis_client"), prefix=PREFIX)


@pytest.fixture(params=["memory", "redis"])
def queues(request):
    return make_queue_store(request.param, request)


@pytest.fixture(params=["memory", "redis"])
def streams(request):
    return make_stream_store(request.param, request)


@pytest.fixture(params=["memory", "redis"])
def concurrency(request):
    return make_concurrency(request.param, request)
