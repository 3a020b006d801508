"""Crash test (issue 10, "Nothing accepted is lost"): async events accepted by the API survive a SIGKILL of the engine
host's process and then of the whole worker: every one is processed, with its invocation record, and any event
that ran twice is a visible, counted redelivery."""

from __future__ import annotations

import json
import os
import signal
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from invocations.models import InvocationRecord
from invocations.runtime import record_journal
from invocations.runtime.host.lease import LEASE
from invocations.runtime.redis_store import RedisAsyncQueue, RedisQueueStore, reclaim_dead_holders
from invocations.runtime.shared_clock import SharedClock
from invocations.services import queue_create
from invocations.tasks import host_run
from tests.conftest import eventually
from tests.runtime.worker import WorkerProcess

from .conftest import create_modelled, lambda_api_client

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

EVENTS = 240
FUNCTION = "crash-durable"


def accept(client, numbers) -> None:
    """Event invokes through the real API, a few at a time (as several students would send them)."""

    def one(n: int) -> None:
        answer = client.invoke(FunctionName=FUNCTION, InvocationType="Event", Payload=json.dumps({"n": n}))
        assert answer["StatusCode"] == 202

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(one, numbers))


def delivered(redis_client, arn: str) -> list[tuple[int, str]]:
    """(n, request id) of every OnSuccess record in the destination queue: one per processing of an event."""
    bodies = [json.loads(m.body) for m in RedisQueueStore(redis_client).messages(arn)]
    return [(b["requestPayload"]["n"], b["requestContext"]["requestId"]) for b in bodies]


def host_pid(redis_client) -> int:
    holder = eventually(
        lambda: redis_client.get(LEASE), timeout=20, interval=0.2, what="an engine host to take the lease"
    )
    return int(holder.decode().split("-")[0])


def start_host_after_lease_expires(redis_client) -> None:
    """What beat's host_ensure does under `make run`: a new host once the dead one's lease has expired."""
    eventually(lambda: not redis_client.exists(LEASE), timeout=15, what="the dead host's lease to expire")
    host_run.delay(max_seconds=90)


def test_accepted_events_survive_sigkill_of_the_host_then_the_worker_with_one_record_each(
    lean_daphne_url, redis_client, monkeypatch
):
    monkeypatch.setenv("LAMBDAVIZ_ASYNC_CLAIM_TIMEOUT_S", "2")  # the worker inherits it: claims of the dead expire
    client = lambda_api_client(lean_daphne_url)
    done = queue_create(name="crash-durable-done")
    # Durations spread over seconds: many events are running (claimed) when the kills come.
    # Timeout 10 s: no run times out (a timeout would be retried a simulated minute later, past the test's end).
    create_modelled(client, FUNCTION, {"duration_ms": {"mean": 1500, "stddev": 700}, "init_ms": 50}, Timeout=10)
    client.put_function_event_invoke_config(
        FunctionName=FUNCTION, DestinationConfig={"OnSuccess": {"Destination": done.arn}}
    )

    def processed() -> int:
        # What beat's housekeeping does under `make run` (every 10 s, 15 s after a holder's last heartbeat), sooner:
        # the dead host's reserved slots come back, so the test need not wait for them.
        reclaim_dead_holders(redis_client, ttl=3)
        return len({n for n, _ in delivered(redis_client, done.arn)})

    first = WorkerProcess("durable-a")
    second = None
    try:
        host_run.delay(max_seconds=90)
        pid = host_pid(redis_client)
        accept(client, range(EVENTS // 2))
        eventually(lambda: processed() >= 20, timeout=30, interval=0.2)
        os.kill(pid, signal.SIGKILL)  # the engine host's process only (a pool child); the worker lives on
        assert processed() < EVENTS // 2, "everything finished before the kill: the test proves nothing"

        accept(client, range(EVENTS // 2, EVENTS))  # accepted while no host runs
        start_host_after_lease_expires(redis_client)
        assert host_pid(redis_client) != pid
        eventually(lambda: processed() >= EVENTS // 2 + 20, timeout=40, interval=0.2, what=lambda: _state(redis_client))
        first.kill9()  # now the whole worker, pool and all
        killed_at = time.monotonic()
        assert processed() < EVENTS, "everything finished before the second kill: the test proves nothing"

        # The API keeps answering while no worker runs (daphne is its own process)...
        client.get_function(FunctionName=FUNCTION)
        second = WorkerProcess("durable-b")
        start_host_after_lease_expires(redis_client)
        # ...and a sync invoke, which needs the engine host, answers again within 10 s of the kill.
        eventually(
            lambda: _sync_invoke_answers(client),
            timeout=max(0.0, 10 - (time.monotonic() - killed_at)),
            interval=0.2,
            what="a sync invoke to answer within 10 s of the worker's SIGKILL",
        )

        eventually(
            lambda: processed() == EVENTS,
            timeout=60,
            interval=0.2,
            what=lambda: f"all {EVENTS} (processed {processed()})",
        )
        eventually(lambda: record_journal.pending(redis_client) == 0, timeout=20, interval=0.2, what="an empty journal")
    finally:
        redis_client.delete(LEASE)
        if second is not None:
            second.stop()
        first.stop()

    deliveries = delivered(redis_client, done.arn)
    runs = Counter(rid for _, rid in deliveries)
    rid_of = {n: rid for n, rid in deliveries}
    assert sorted(rid_of) == list(range(EVENTS)), "an accepted event was lost"
    records = Counter(
        InvocationRecord.objects.filter(function=FUNCTION, invocation_type="Event").values_list("request_id", flat=True)
    )
    missing = [n for n, rid in rid_of.items() if records[rid] == 0]
    assert not missing, f"processed without an invocation record: {missing}"
    # One record per event, except for events that ran again after their claimant died: those are visible
    # duplicates, and each one is counted as a redelivery.
    duplicated = [rid for rid in rid_of.values() if runs[rid] != 1 or records[rid] != 1]
    assert len(duplicated) <= RedisAsyncQueue(redis_client).redeliveries()
    # A record is journaled after its destination delivery, never before: no record without its run.
    assert all(records[rid] <= runs[rid] for rid in rid_of.values())


def _sync_invoke_answers(client) -> bool:
    try:
        return client.invoke(FunctionName=FUNCTION, Payload=b"{}")["StatusCode"] == 200
    except Exception:  # noqa: BLE001 (no host yet: ServiceException after its wait)
        return False


def _state(redis_client) -> str:
    queue = RedisAsyncQueue(redis_client)
    return (
        f"waiting {len(queue)}, in flight {queue.in_flight()}, redelivered {queue.redeliveries()}, "
        f"inbox {redis_client.llen('lv:inbox')}, lease {redis_client.get(LEASE)}, "
        f"counts {redis_client.hgetall('lv:cc:counts')}, journal {record_journal.pending(redis_client)}, "
        f"now {SharedClock(redis_client).now()}, due {redis_client.zrange('lv:async:due', 0, 3, withscores=True)}"
    )
