"""In-memory state stores: environment pools and the async queue (the Redis store will keep these shapes)."""

from __future__ import annotations

from invocations.engine.config import VersionConfig
from invocations.engine.environments import Environment
from invocations.engine.store import MemoryAsyncQueue, MemoryEnvironments


def env(store: MemoryEnvironments) -> Environment:
    e = Environment(store.new_id(), "fn", "$LATEST", VersionConfig(), "on-demand", "fn:$LATEST")
    store.add(e)
    return e


def test_idle_environments_are_reused_most_recent_first():
    # semantics §9: warm reuse (approximation: most recently used first)
    store = MemoryEnvironments()
    a, b = env(store), env(store)
    store.push_idle("p", a), store.push_idle("p", b)
    assert store.pop_idle("p") is b and store.idle_count("p") == 1
    assert store.remove_idle("p", a) and store.pop_idle("p") is None
    assert store.remove_idle("p", a) is False


def test_the_async_queue_pops_due_items_earliest_first_up_to_a_limit():
    queue = MemoryAsyncQueue()
    for due, name in [(5.0, "c"), (1.0, "a"), (2.0, "b"), (9.0, "d")]:
        queue.push(name, due)  # type: ignore[arg-type]
    assert queue.pop_due(5.0, limit=2) == ["a", "b"]
    assert queue.pop_due(5.0, limit=10) == ["c"]
    assert (queue.next_due(), len(queue)) == (9.0, 1)
