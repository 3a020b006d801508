"""Celery tasks: thin wrappers that run the engine host and the runtime's housekeeping."""

from __future__ import annotations

import contextlib
import logging
import threading

from celery import shared_task
from celery.signals import worker_shutting_down
from django.conf import settings

from .runtime.connection import redis_client
from .runtime.host.lease import LEASE, LEASE_SECONDS, HostLease
from .runtime.host.wiring import build_host
from .runtime.records import records_compact
from .runtime.redis_store import reclaim_dead_holders
from .runtime.shared_clock import SharedClock
from .services.host_adapter import DatabaseConfig, DatabaseReporter

log = logging.getLogger(__name__)

_stopping = threading.Event()
STOP = "lv:host:stop"  # set by a worker that is shutting down: its pool process running the host stops within 1 s


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
    with HostLease(client) as lease:
        if not lease.held:
            return "another host holds the lease"
        client.delete(STOP)
        # Always a fresh host: another process may have run the simulation since this one last did.
        host = build_host(client=client, config=DatabaseConfig(), reporter=DatabaseReporter())
        with contextlib.closing(host):
            # Records are written behind, never waited for; once a second: stop asked for? lease still ours?
            host.run(max_seconds, drain=False, keep_running=lambda: not _stop_asked(client) and lease.renew())
    return "stopped"


def _stop_asked(client) -> bool:
    return _stopping.is_set() or bool(client.exists(STOP))


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
