"""Gauges: the state the live diagram draws besides counts (concurrency, environments, queues, shards).

The host attaches them to each frame and keeps the latest copy in Redis, so a websocket snapshot is whole.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

import redis

from ..engine.events import EnvState

if TYPE_CHECKING:
    from .host import EngineHost

LATEST_KEY = "lv:gauges"


def collect(host: EngineHost) -> dict[str, Any]:
    engine = host.engine
    busy: Counter[str] = Counter()
    environments: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for env in engine.store.environments.all():
        state = "Busy" if env.state is EnvState.BUSY else str(env.state)
        if env.init_type == "provisioned-concurrency" and state == str(EnvState.READY):
            state = "Provisioned"
        environments[f"{env.function}:{env.version}"][state] += 1
        if env.state is EnvState.BUSY:
            busy[env.function] += 1
    registry = engine.registry
    now = host.clock.now()
    queues = {}
    for arn in host.queue_arns:
        counts = host.queues.counts(arn, now=now)
        queues[arn] = {"visible": counts.visible, "in_flight": counts.in_flight, "delayed": counts.delayed}
    shards = {}
    for uuid, (spec, poller) in host.pollers.items():
        if hasattr(poller, "blocked_shards"):
            blocked = set(poller.blocked_shards())
            shards[uuid] = {
                "function": spec.function,
                "source": spec.source_arn,
                "shards": {
                    shard: {
                        "blocked": shard in blocked,
                        "checkpoint": poller.checkpoint(shard),
                        "iterator_age": round(poller.iterator_age(shard), 3),
                    }
                    for shard in host.streams.shard_ids(spec.source_arn)
                },
            }
        elif hasattr(poller, "concurrency"):
            shards[uuid] = {"function": spec.function, "source": spec.source_arn, "pollers": poller.concurrency}
    return {
        "sim_time": now,
        "clock": {"factor": host.clock.factor, "paused": host.clock.paused},
        "account": {
            "limit": registry.account.concurrency_limit,
            "unreserved_capacity": registry.unreserved_capacity(),
            "in_use": sum(busy.values()),
        },
        "concurrency": dict(busy),
        "reserved": {fn.name: fn.reserved_concurrency for fn in registry.functions()},
        "environments": {key: dict(states) for key, states in environments.items()},
        "async_queue": {"waiting": len(engine.store.async_queue), "in_flight": engine.store.async_queue.in_flight()},
        "queues": queues,
        "mappings": shards,
    }


def store_latest(client: redis.Redis, gauges: dict[str, Any]) -> None:
    client.set(LATEST_KEY, json.dumps(gauges, default=str), ex=30)


def latest(client: redis.Redis) -> dict[str, Any] | None:
    raw = client.get(LATEST_KEY)
    return json.loads(raw) if raw else None
