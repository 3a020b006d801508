"""Redis-backed engine state shared by every web process and Celery worker (one atomic Lua script per operation)."""

from .async_codec import item_from_dict, item_to_dict
from .async_queue import RedisAsyncQueue
from .concurrency import RedisConcurrency
from .keys import DEFAULT_PREFIX
from .queue import RedisQueueStore
from .reclaim import reclaim_dead_holders
from .state import RedisStore
from .stream import RedisStreamStore

__all__ = [
    "DEFAULT_PREFIX",
    "RedisAsyncQueue",
    "RedisConcurrency",
    "RedisQueueStore",
    "RedisStore",
    "RedisStreamStore",
    "item_from_dict",
    "item_to_dict",
    "reclaim_dead_holders",
]
