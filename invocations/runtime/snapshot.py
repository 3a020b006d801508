"""What a websocket client gets on connect: the whole current picture, so late joiners and reconnects are whole."""

from __future__ import annotations

import time
from typing import Any

import redis

from . import dropped_events, gauges, totals
from .connection import redis_client
from .ports import ConfigSource
from .redis_store import RedisAsyncQueue
from .traffic import traffic_list

PENDING_SCAN = 200  # waiting async events looked at for a function's pending retries (the latest due)


def live_snapshot(function: str | None = None, *, config: ConfigSource) -> dict[str, Any]:
    """The account, or one function, as it is now (configuration from `config`, live state from Redis)."""
    return {
        "function": function,
        "generated_at": time.time(),
        "account": config.account_summary(),
        "functions": config.function_summaries(function),
        **_live(function),
    }


def _live(function: str | None) -> dict[str, Any]:
    """Redis-held live state: the host's latest gauges, the running traffic streams and, for one function, its
    async events waiting for a retry and its latest dropped ones (empty without Redis)."""
    try:
        client = redis_client()
        return {
            "gauges": gauges.latest(client),
            "traffic": [stream.__dict__ for stream in traffic_list(client)],
            "pending_retries": pending_retries(client, function) if function else [],
            "totals": totals.read(client, function) if function else None,
            "dropped_events": dropped_events.latest(client, function) if function else [],
        }
    except redis.RedisError:
        return {"gauges": None, "traffic": [], "pending_retries": [], "totals": None, "dropped_events": []}


def pending_retries(client: redis.Redis, function: str) -> list[dict[str, Any]]:
    """The function's async events waiting in the queue for a retry, as the RetryScheduled events that put them
    there said (request_id, attempts, retry_at, cause), the latest due first. Bounded: only the PENDING_SCAN
    events due last are looked at, so a long first-attempt backlog of other functions can hide older retries."""
    facts = []
    for item, due in RedisAsyncQueue(client).latest_due(PENDING_SCAN):
        if item.function != function or not (item.attempts or item.backoff):
            continue  # another function's, or a first attempt: not a retry
        facts.append(
            {
                "type": "RetryScheduled",
                "request_id": item.request_id,
                "function": item.function,
                "qualifier": item.qualifier or "$LATEST",
                "attempts": item.attempts,
                "retry_at": due,
                "cause": _retry_cause(item),
                "backoff": item.backoff or None,  # a refusal's backoff (1 s doubling), none after a function error
            }
        )
    return facts


def _retry_cause(item) -> str:
    # A refusal (throttle, service error) sets a backoff; an attempt that ran resets it (engine/async_invoke.py).
    if not item.backoff:
        return "FunctionError"
    refusal = item.last_refusal
    return "ServiceError" if refusal is not None and str(refusal.outcome) == "ServiceError" else "Throttled"
