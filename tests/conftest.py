"""Fixtures shared by every test folder: a real Redis (database 15 by default, see scripts/test.py)."""

import pytest
import redis
from django.conf import settings


@pytest.fixture
def redis_client():
    """A real Redis client on the test database, emptied before and after the test."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()
