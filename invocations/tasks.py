"""Celery tasks: thin wrappers that run the engine host and the runtime's housekeeping."""

from __future__ import annotations

import logging
import os
import threading
import uuid

from celery import shared_task
from celery.signals import worker_shutting_down
from django.conf import settings

from .runtime.connection import redis_client
from .runtime.host import LEASE, EngineHost
from .runtime.records import records_compact
from .runtime.redis_store import reclaim_dead_holders
from .runtime.shared_clock import SharedClock

log = logging.getLogger(__name__)

_stopping = threading.Event()
STOP = "lv:host:stop"  # set by a worker that is shutting down: its pool process running the host stops within 1 s

LEASE_SECONDS = 5  # a host that stops renewing for this long is presumed dead
# Renew only if we still hold it (atomic compare-and-expire): never extend a lease another host has taken.
_RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('EXPIRE', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


@worker_shutting_down.connect
def _stop_hosts(**_) -> None:
    # This runs in the worker's main process; the host runs in a pool process, so the flag travels through Redis.
    _stopping.set()
    try:
        redis_client().set(STOP, 1, ex=10)
    except Exception:  # noqa: BLE001 (no Redis: nothing to tell)
        log.warning("could not signal the engine host to stop")


@shared_task(ignore_result=True, acks_late=False)
def host_run(max_seconds: float | None = None) -> str:
    """Run the engine host while this worker holds the lease; exits when the lease is lost, the worker stops, or
    after `max_seconds` (tests). Unbounded by default: restarting the host would drop every warm environment."""
    client = redis_client()
    holder = f"{os.getpid()}-{uuid.uuid4().hex}"
    renew, release = client.register_script(_RENEW), client.register_script(_RELEASE)
    if not client.set(LEASE, holder, nx=True, ex=LEASE_SECONDS):
        return "another host holds the lease"
    client.delete(STOP)
    # Always a fresh host: another process may have run the simulation since this one last did.
    engine_host = EngineHost(client)
    try:
        remaining = float("inf") if max_seconds is None else max_seconds
        while remaining > 0 and not _stopping.is_set():
            engine_host.run(min(1.0, remaining), drain=False)  # records are written behind, never waited for
            remaining -= 1.0
            if client.exists(STOP):
                break
            if not renew(keys=[LEASE], args=[holder, LEASE_SECONDS]):
                log.warning("engine host lost its lease; stopping")
                break
    finally:
        engine_host.close()
        release(keys=[LEASE], args=[holder])
    return "stopped"


@shared_task(ignore_result=True)
def host_ensure() -> bool:
    """Beat calls this every few seconds: start a host if none holds the lease (first start, or after a crash)."""
    if redis_client().exists(LEASE):
        return False
    host_run.delay()
    return True


@shared_task(ignore_result=True)
def runtime_housekeeping() -> dict:
    """Return concurrency slots of dead processes and fold old invocation records into per-minute totals."""
    client = redis_client()
    reclaimed = len(reclaim_dead_holders(client, ttl=LEASE_SECONDS * 3))
    now = SharedClock(client).now()
    compacted = records_compact(older_than=now - settings.LAMBDAVIZ_RECORDS_RETENTION_S)
    return {"reclaimed": reclaimed, "compacted": compacted}
