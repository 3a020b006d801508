"""Throughput of the Redis state store: concurrency acquire+release (single vs batched, 1 and 2 processes),
token bucket, SQS-like queue send/receive/delete, and the async queue. Prints the figures and the machine.
Run: .venv/bin/python bench/redis_store_throughput.py [--url redis://127.0.0.1:6379/15] [--seconds 2]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import redis  # noqa: E402

from invocations.engine.async_invoke import AsyncItem  # noqa: E402
from invocations.engine.sources import QueueConfig  # noqa: E402
from invocations.runtime.redis_store import RedisAsyncQueue, RedisConcurrency, RedisQueueStore  # noqa: E402

PREFIX = "lvbench:"
QUEUE = "arn:aws:sqs:us-east-1:123456789012:bench"
FIFO = "arn:aws:sqs:us-east-1:123456789012:bench.fifo"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


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


def queue_figures(client: redis.Redis, seconds: float) -> dict[str, float]:
    store = RedisQueueStore(client, prefix=PREFIX)
    store.create_queue(QueueConfig(QUEUE, visibility_timeout=3600))
    store.create_queue(QueueConfig(FIFO, fifo=True, visibility_timeout=3600))
    body = '{"order": 12345, "items": ["a", "b", "c"]}'
    figures = {"send (1 per call)": rate(lambda: bool(store.send_message(QUEUE, body, now=0.0)), seconds)}
    handles: list[str] = []

    def receive() -> int:
        got = store.receive(QUEUE, 10, now=1.0).messages
        handles.extend(m.receipt_handle for m in got)
        return len(got) or 1

    figures["receive (batch 10)"] = rate(receive, seconds)
    single, batched = handles[: len(handles) // 2], handles[len(handles) // 2 :]

    def delete_one() -> int:
        return store.delete(QUEUE, single.pop()) if single else 1

    def delete_ten() -> int:
        chunk = [batched.pop() for _ in range(min(10, len(batched)))]
        return sum(store.delete_batch(QUEUE, chunk)) or 1

    figures["delete (1 per call)"] = rate(delete_one, seconds / 2)
    figures["delete_batch (10 per call)"] = rate(delete_ten, seconds / 2)
    counter = iter(range(10**9))

    def fifo_send() -> int:
        n = next(counter)
        return bool(store.send_message(FIFO, body, now=0.0, group_id=f"g{n % 50}", dedup_id=str(n)))

    def fifo_receive_delete() -> int:
        got = store.receive(FIFO, 10, now=1.0).messages
        store.delete_batch(FIFO, [m.receipt_handle for m in got])
        return len(got) or 1

    figures["FIFO send (50 groups)"] = rate(fifo_send, seconds)
    figures["FIFO receive + delete_batch (batch 10)"] = rate(fifo_receive_delete, seconds)
    return figures


def async_figures(client: redis.Redis, seconds: float) -> dict[str, float]:
    queue = RedisAsyncQueue(client, prefix=PREFIX)
    counter = iter(range(10**9))

    def push() -> int:
        n = next(counter)
        queue.push(AsyncItem(f"req-{n}", "api", "api:live", "live", {"order": n}, "sdk", 0.0), due=float(n % 100))
        return 1

    figures = {"push (1 per call)": rate(push, seconds)}

    def pop() -> int:
        items = queue.pop_due(1e9, 100)
        for item in items:
            queue.ack(item.request_id)
        return len(items) or 1

    figures["pop_due(100) + ack each"] = rate(pop, seconds)
    return figures


def clean(client: redis.Redis) -> None:
    for key in client.scan_iter(f"{PREFIX}*", count=1000):
        client.delete(key)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"))
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    client = redis.Redis.from_url(args.url)
    clean(client)
    info = client.info("server")
    print(
        f"machine: {platform.platform()} | CPU: {cpu_model()} ({os.cpu_count()} cores) | "
        f"Python {platform.python_version()} | redis-py {redis.__version__} | Redis {info['redis_version']} "
        f"on {args.url} | load average {os.getloadavg()[0]:.2f}"
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
    print("\nSQS queue store, messages/s")
    for name, value in queue_figures(client, args.seconds).items():
        print(f"  {name:<58} {value:>12,.0f}")
    print("\nasync queue, items/s")
    for name, value in async_figures(client, args.seconds).items():
        print(f"  {name:<58} {value:>12,.0f}")
    clean(client)


if __name__ == "__main__":
    main()
