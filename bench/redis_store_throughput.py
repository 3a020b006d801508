"""Redis state store throughput (concurrency single vs batched, queues, async queue); prints figures and machine."""

# Run: .venv/bin/python bench/redis_store_throughput.py [--url redis://127.0.0.1:6379/0] [--seconds 2]
# [--messages 10000]. Keys live under "lvbench:" and are removed afterwards.

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

from machine import cpu_model  # noqa: E402  (bench/ is the script directory)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import redis  # noqa: E402

from invocations.engine.async_invoke import AsyncItem  # noqa: E402
from invocations.engine.sources import QueueConfig  # noqa: E402
from invocations.runtime.redis_store import RedisAsyncQueue, RedisConcurrency, RedisQueueStore  # noqa: E402

PREFIX = "lvbench:"
QUEUE = "arn:aws:sqs:us-east-1:123456789012:bench"
FIFO = "arn:aws:sqs:us-east-1:123456789012:bench.fifo"


def rate(work: Callable[[], int], seconds: float) -> float:
    """Run `work` (which returns how many operations it did) repeatedly for `seconds`; operations per second."""
    done, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        done += work()
    return done / elapsed


def acquire_release(client: redis.Redis, batch: int, seconds: float) -> float:
    """Invocations per second admitted and released: one round trip each (batch 1) or one per batch."""
    store = RedisConcurrency(client, prefix=PREFIX)
    if batch == 1:

        def work() -> int:
            grant = store.try_acquire(None, 0, "unreserved", 10**9)
            store.release(grant, None, "unreserved")
            return 1

    else:
        requests = [("pc:api:live", 50, "unreserved", 10**9)] * batch

        def work() -> int:
            grants = store.try_acquire_many(requests)
            store.release_many([(g, "pc:api:live", "unreserved") for g in grants])
            return batch

    return rate(work, seconds)


def _worker(url: str, batch: int, seconds: float, out: multiprocessing.Queue) -> None:
    out.put(acquire_release(redis.Redis.from_url(url), batch, seconds))


def acquire_release_processes(url: str, batch: int, seconds: float, processes: int) -> float:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(url, batch, seconds, out)) for _ in range(processes)]
    for w in workers:
        w.start()
    total = sum(out.get() for _ in workers)
    for w in workers:
        w.join()
    return total


def tokens(client: redis.Redis, seconds: float) -> float:
    store = RedisConcurrency(client, prefix=PREFIX)
    clock = iter(range(10**12))
    return rate(lambda: store.take_token("scale:api", next(clock) * 1e-4, 1000, 100) or 1, seconds)


def timed(work: Callable[[], object], count: int) -> float:
    """`count` operations done by one call of `work`, per second."""
    start = time.perf_counter()
    work()
    return count / (time.perf_counter() - start)


def queue_figures(client: redis.Redis, messages: int) -> dict[str, float]:
    store = RedisQueueStore(client, prefix=PREFIX)
    store.create_queue(QueueConfig(QUEUE, visibility_timeout=3600))
    store.create_queue(QueueConfig(FIFO, fifo=True, visibility_timeout=3600))
    body = '{"order": 12345, "items": ["a", "b", "c"]}'
    figures: dict[str, float] = {}
    handles: list[str] = []

    def send() -> None:
        for _ in range(messages):
            store.send_message(QUEUE, body, now=0.0)

    def receive() -> None:
        while got := store.receive(QUEUE, 10, now=1.0).messages:
            handles.extend(m.receipt_handle for m in got)

    figures["send (1 per call)"] = timed(send, messages)
    figures["receive (batch 10)"] = timed(receive, messages)
    half = len(handles) // 2
    figures["delete (1 per call)"] = timed(lambda: [store.delete(QUEUE, h) for h in handles[:half]], half)
    rest = handles[half:]
    chunks = [rest[i : i + 10] for i in range(0, len(rest), 10)]
    figures["delete_batch (10 per call)"] = timed(lambda: [store.delete_batch(QUEUE, c) for c in chunks], len(rest))
    assert store.counts(QUEUE, now=2.0).total == 0

    def fifo_send() -> None:
        for n in range(messages):
            store.send_message(FIFO, body, now=0.0, group_id=f"g{n % 50}", dedup_id=str(n))

    def fifo_drain() -> None:
        while got := store.receive(FIFO, 10, now=1.0).messages:
            store.delete_batch(FIFO, [m.receipt_handle for m in got])

    figures["FIFO send (50 groups)"] = timed(fifo_send, messages)
    figures["FIFO receive + delete_batch (batch 10)"] = timed(fifo_drain, messages)
    assert store.counts(FIFO, now=2.0).total == 0
    return figures


def async_figures(client: redis.Redis, items: int) -> dict[str, float]:
    queue = RedisAsyncQueue(client, prefix=PREFIX)
    events = [AsyncItem(f"req-{n}", "api", "api:live", "live", {"order": n}, "sdk", 0.0) for n in range(items)]
    figures = {"push (1 per call)": timed(lambda: [queue.push(e, float(n % 100)) for n, e in enumerate(events)], items)}
    popped: list[str] = []

    def pop() -> None:
        while got := queue.pop_due(1e9, 100):
            popped.extend(e.request_id for e in got)

    figures["pop_due (100 per call, claims)"] = timed(pop, items)
    figures["ack (1 per call)"] = timed(lambda: [queue.ack(r) for r in popped[: items // 2]], items // 2)
    rest = popped[items // 2 :]
    chunks = [rest[i : i + 100] for i in range(0, len(rest), 100)]
    figures["ack_many (100 per call)"] = timed(lambda: [queue.ack_many(c) for c in chunks], len(rest))
    figures["push_many (100 per call)"] = timed(
        lambda: [queue.push_many([(e, 1.0) for e in events[i : i + 100]]) for i in range(0, items, 100)], items
    )
    return figures


def clean(client: redis.Redis) -> None:
    for key in client.scan_iter(f"{PREFIX}*", count=1000):
        client.delete(key)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--seconds", type=float, default=2.0, help="per concurrency figure")
    parser.add_argument("--messages", type=int, default=10_000, help="per queue figure")
    args = parser.parse_args()
    client = redis.Redis.from_url(args.url)
    clean(client)
    info = client.info("server")
    print(
        f"machine: {platform.platform()} | CPU: {cpu_model()} ({os.cpu_count()} cores) | "
        f"Python {platform.python_version()} | redis-py {redis.__version__} | Redis {info['redis_version']} "
        f"on {args.url} | load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"\nbaseline: PING round trips/s (1 process){'':<27} {rate(lambda: client.ping() and 1, args.seconds):>12,.0f}"
    )
    print("\nconcurrency: acquire + release, invocations/s")
    for batch in (1, 10, 100, 1000):
        label = "try_acquire + release" if batch == 1 else f"try_acquire_many + release_many, batch {batch}"
        print(f"  1 process, {label:<48} {acquire_release(client, batch, args.seconds):>12,.0f}")
    for batch in (1, 100):
        label = "single" if batch == 1 else f"batch {batch}"
        total = acquire_release_processes(args.url, batch, args.seconds, 2)
        print(f"  2 processes, {label:<46} {total:>12,.0f}")
    print(f"  take_token (1 per call){'':<35} {tokens(client, args.seconds):>12,.0f}")
    print(f"\nSQS queue store, messages/s ({args.messages:,} messages)")
    for name, value in queue_figures(client, args.messages).items():
        print(f"  {name:<58} {value:>12,.0f}")
    print(f"\nasync queue, items/s ({args.messages:,} items)")
    for name, value in async_figures(client, args.messages).items():
        print(f"  {name:<58} {value:>12,.0f}")
    clean(client)


if __name__ == "__main__":
    main()
