"""Reliability under crashes (issue 10): async events accepted at a steady rate while the engine host is SIGKILLed
every few seconds; every event must be processed, with its invocation record.

Events are async invokes through the real Lambda API (`--via http`, the default): daphne serves the production ASGI
app, and sender processes send `Invoke(InvocationType=Event)` with boto3 (bench/http_senders.py) at `--rate` per
second, `--events` in all; an event is accepted when Invoke answered 202. `--via inbox` puts them straight into the
durable inbox where the API's 202 puts them (runtime/invoke_client.invoke_async), without HTTP. A real Celery worker
with beat (as `make run` starts it: beat's host_ensure restarts the host, its housekeeping returns dead holders'
slots) runs the engine host; the host's process is SIGKILLed `--kill-every` seconds after each host takes the lease,
as long as events are still being accepted. The function's OnSuccess destination (a simulated SQS queue) receives one
record per processing, carrying the event's `n` and request id.

Prints: accepted, processed (distinct events with an OnSuccess record), records (invocation records in the
database), lost (accepted, never processed), missing records (processed, no record), duplicates (extra processings
and extra records, and the redeliveries counted by the queue), and the longest gap in service (the longest stretch
with work outstanding during which nothing completed).

Run: .venv/bin/python bench/durability.py [--events 20000] [--rate 2000] [--kill-every 5] [--via http|inbox]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import threading
import time
from collections import Counter
from pathlib import Path

import stack
from http_senders import SenderPlan, send_all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--rate", type=float, default=2000.0, help="events accepted per second")
    parser.add_argument("--kill-every", type=float, default=5.0, help="seconds after each host start")
    parser.add_argument("--kills", type=int, default=4, help="kill at least this many hosts (more while accepting)")
    parser.add_argument("--claim-timeout", type=float, default=5.0, help="LAMBDAVIZ_ASYNC_CLAIM_TIMEOUT_S")
    parser.add_argument("--settle-timeout", type=float, default=240.0)
    parser.add_argument("--via", choices=("http", "inbox"), default="http", help="how events are accepted")
    parser.add_argument("--port", type=int, default=8771, help="daphne's port (--via http)")
    parser.add_argument("--sender-processes", type=int, default=3)
    parser.add_argument("--sender-threads", type=int, default=8, help="per sender process")
    stack.add_load_arguments(parser)
    args = parser.parse_args()
    os.environ["LAMBDAVIZ_ASYNC_CLAIM_TIMEOUT_S"] = repr(args.claim_timeout)
    report(args, run(args))


def run(args) -> dict:
    env = stack.configure(args.redis_url, args.database_url, args.var_dir, None)
    env["LAMBDAVIZ_ASYNC_CLAIM_TIMEOUT_S"] = repr(args.claim_timeout)
    stack.prepare(args.duration_ms, args.stddev_ms, args.concurrency_limit)
    import redis
    from django.conf import settings

    from invocations.models import Function, InvocationRecord
    from invocations.runtime import record_journal
    from invocations.runtime.redis_store import RedisAsyncQueue, RedisQueueStore
    from invocations.services import event_invoke_config_put, queue_create

    client = redis.Redis.from_url(settings.REDIS_URL)
    from invocations.models import Queue

    Queue.objects.filter(name="durability-done").delete()  # a fresh queue each run (the database is kept)
    done = queue_create(name="durability-done")
    event_invoke_config_put(
        function=Function.objects.get(name=stack.FUNCTION), destination_config={"OnSuccess": {"Destination": done.arn}}
    )
    queues = RedisQueueStore(client)
    worker = stack.Worker(env, Path(args.var_dir) / "durability-worker.log", beat=True)
    server = _Daphne(env, Path(args.var_dir) / "durability-daphne.log", args.port) if args.via == "http" else None
    kills: list[float] = []
    progress: list[tuple[float, int]] = []  # (wall, destination messages)
    sending, finished = threading.Event(), threading.Event()
    sending.set()

    def killing() -> bool:
        return not finished.is_set() and (sending.is_set() or len(kills) < args.kills)

    def killer() -> None:
        while killing():
            pid = worker.host_pid(timeout=30)
            if pid is None:
                return
            time.sleep(args.kill_every)
            if not killing():
                return
            try:
                os.kill(pid, signal.SIGKILL)
                kills.append(time.time())
            except ProcessLookupError:
                pass
            # the next host takes the lease once the dead one's has expired (beat's host_ensure)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and _holder_pid(client) == pid:
                time.sleep(0.05)

    def sampler() -> None:
        while not stop_sampling.is_set():
            with contextlib.suppress(KeyError):  # KeyError: the host has not put the new queue in Redis yet
                progress.append((time.time(), queues.counts(done.arn, now=0.0).total))
            time.sleep(0.05)

    stop_sampling = threading.Event()
    try:
        worker.host_pid(timeout=60)
        threads = [threading.Thread(target=killer, daemon=True), threading.Thread(target=sampler, daemon=True)]
        for thread in threads:
            thread.start()
        if args.via == "http":
            accepted_numbers, refused, send_seconds = send_all(
                SenderPlan(
                    endpoint_url=f"http://127.0.0.1:{args.port}",
                    function=stack.FUNCTION,
                    access_key_id=settings.LAMBDAVIZ_ACCESS_KEY_ID,
                    secret_access_key=settings.LAMBDAVIZ_SECRET_ACCESS_KEY,
                    events=args.events,
                    rate=args.rate,
                    processes=args.sender_processes,
                    threads=args.sender_threads,
                )
            )
        else:
            accepted_numbers, send_seconds = _push_to_inbox(client, args)
            refused = Counter()
        accepted = len(accepted_numbers)
        sending.clear()
        deadline = time.monotonic() + args.settle_timeout
        while time.monotonic() < deadline:
            everything = len({n for n, _ in _delivered(queues, done.arn)}) >= accepted
            if everything and len(kills) >= args.kills and not record_journal.pending(client):
                break
            time.sleep(1.0)
        finished.set()
        time.sleep(1.0)  # the last records reach the database
        stop_sampling.set()
    finally:
        sending.clear()
        finished.set()
        stop_sampling.set()
        worker.stop()
        if server is not None:
            server.stop()
    deliveries = _delivered(queues, done.arn)
    runs = Counter(rid for _, rid in deliveries)
    rid_of = {n: rid for n, rid in deliveries}
    accepted_set = set(accepted_numbers)
    event_records = InvocationRecord.objects.filter(function=stack.FUNCTION, invocation_type="Event")
    # One record per run; throttled attempts (retried with backoff while a new host works off the backlog at the
    # concurrency limit) have records of their own, counted apart.
    records = Counter(event_records.exclude(outcome="Throttled").values_list("request_id", flat=True))
    throttled = event_records.filter(outcome="Throttled").count()
    return {
        "accepted": accepted,
        "send_seconds": send_seconds,
        "refused": dict(refused),
        "processed": len(rid_of),
        "records": sum(records.values()),
        "throttled_records": throttled,
        "lost": len(accepted_set - set(rid_of)),
        "processed_unaccepted": len(set(rid_of) - accepted_set),  # the API took it, then its answer failed
        "missing_records": sum(1 for rid in rid_of.values() if records[rid] == 0),
        "extra_runs": len(deliveries) - len(rid_of),
        "extra_records": sum(max(0, records[rid] - 1) for rid in rid_of.values()),
        "events_duplicated": sum(1 for rid in rid_of.values() if runs[rid] > 1 or records[rid] > 1),
        "redeliveries": RedisAsyncQueue(client).redeliveries(),
        "kills": len(kills),
        "longest_gap_s": _longest_gap(progress, accepted),
        "journal_left": record_journal.pending(client),
    }


def _push_to_inbox(client, args) -> tuple[list[int], float]:
    """Events straight into the durable inbox, in batches every 10 ms; returns the numbers pushed and the seconds."""
    from invocations.runtime.connection import inbox_push
    from invocations.runtime.invoke_client import invoke_request

    started, pushed = time.monotonic(), 0
    batch = max(1, int(args.rate / 100))
    while pushed < args.events:
        wait = started + pushed / args.rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        count = min(batch, args.events - pushed)
        inbox_push(
            [invoke_request("Event", stack.FUNCTION, {"n": n}, source="sdk") for n in range(pushed, pushed + count)],
            client,
        )
        pushed += count
    return list(range(pushed)), time.monotonic() - started


class _Daphne:
    """daphne serving the production ASGI app (the API's lean Invoke route included), in its own process group."""

    def __init__(self, env: dict[str, str], log_path: Path, port: int) -> None:
        import socket
        import subprocess
        import sys

        self.log = open(log_path, "w")  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "lambdaviz.asgi:application"],
            cwd=stack.ROOT,
            env={**os.environ, **env, "PYTHONPATH": str(stack.ROOT), "LOG_LEVEL": "WARNING"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"daphne exited: {log_path.read_text()[-3000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"daphne does not listen on {port}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except Exception:  # noqa: BLE001 (subprocess.TimeoutExpired)
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()


def _holder_pid(client) -> int | None:
    holder = client.get("lv:host:lease")
    return int(holder.decode().split("-")[0]) if holder else None


def _delivered(queues, arn: str) -> list[tuple[int, str]]:
    bodies = [json.loads(m.body) for m in queues.messages(arn)]
    return [(b["requestPayload"]["n"], b["requestContext"]["requestId"]) for b in bodies]


def _longest_gap(progress: list[tuple[float, int]], accepted: int) -> float:
    """The longest wall stretch, with events outstanding, during which no event completed."""
    longest, since, last = 0.0, None, -1
    for at, count in progress:
        if count != last:
            if since is not None:
                longest = max(longest, at - since)
            since, last = at, count
    if since is not None and progress and last < accepted:
        longest = max(longest, progress[-1][0] - since)
    return longest


def report(args, r: dict) -> None:
    print(f"machine: {stack.machine()}")
    door = "Invoke (Event) over HTTP, boto3" if args.via == "http" else "straight into the inbox (no HTTP)"
    refused = ", ".join(f"{code} {count:,}" for code, count in sorted(r["refused"].items())) or "none"
    print(f"accepted through: {door}; refused: {refused}; processed though not accepted: {r['processed_unaccepted']}")
    print(
        f"load: {r['accepted']:,} async events accepted in {r['send_seconds']:.1f} s "
        f"({r['accepted'] / r['send_seconds']:,.0f}/s offered at {args.rate:,.0f}/s) into a {args.duration_ms:g} ms "
        f"function with an OnSuccess queue; engine host SIGKILLed {args.kill_every:g} s after each start while "
        f"accepting and at least {args.kills} times ({r['kills']} kills); claim timeout {args.claim_timeout:g} s"
    )
    print(
        f"accepted {r['accepted']:,} | processed {r['processed']:,} | records {r['records']:,} | lost {r['lost']:,} | "
        f"missing records {r['missing_records']:,} | (throttled attempts, recorded apart: {r['throttled_records']:,})"
    )
    print(
        f"duplicates: {r['events_duplicated']:,} events ran more than once ({r['extra_runs']:,} extra processings, "
        f"{r['extra_records']:,} extra records); redeliveries counted by the queue: {r['redeliveries']:,}"
    )
    print(f"longest gap in service: {r['longest_gap_s']:.1f} s; journal entries left undrained: {r['journal_left']}")


if __name__ == "__main__":
    main()
