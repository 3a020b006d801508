"""Gauges: the state the live diagram draws besides counts (concurrency, environments, queues, shards).

The host attaches them to each frame and keeps the latest copy in Redis, so a websocket snapshot is whole.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any, Protocol

import redis

from ..engine.events import EnvState

LATEST_KEY = "lv:gauges"


class GaugeSources(Protocol):
    """What the gauges read of the engine host (host/__init__.py), named here so this module needs no import of it."""

    client: redis.Redis
    engine: Any
    clock: Any
    pollers: dict[str, tuple[Any, Any]]
    queue_arns: list[str]
    traffic: Any
    queues: Any
    streams: Any


def collect(host: GaugeSources) -> dict[str, Any]:
    """What the engine's own state says (no Redis): concurrency, environments, reserved caps, poller lanes.

    Queue depths, stream checkpoints and the async queue live in Redis: `complete_from_redis` adds them, on the
    publisher's sending thread, so those round trips cost the host's loop nothing."""
    engine = host.engine
    busy: Counter[str] = Counter()
    environments: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for env in engine.store.environments.all():
        state = "Busy" if env.state is EnvState.BUSY else str(env.state)
        if env.init_type == "provisioned-concurrency":
            # Provisioned ones run Init at allocation ("Provisioning"), then wait initialised (semantics §9).
            if state == str(EnvState.READY):
                state = "Provisioned"
            elif env.state is EnvState.INITIALIZING:
                state = "Provisioning"
        environments[f"{env.function}:{env.version}"][state] += 1
        if env.state is EnvState.BUSY:
            busy[env.function] += 1
    registry = engine.registry
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
                        "checkpoint": None,  # complete_from_redis
                        "iterator_age": round(poller.iterator_age(shard), 3),
                    }
                    for shard in host.streams.shard_ids(spec.source_arn)
                },
            }
        elif hasattr(poller, "blocked_groups"):  # SQS FIFO: the groups' lanes (complete_from_redis adds counts)
            shards[uuid] = {
                "function": spec.function,
                "source": spec.source_arn,
                "pollers": poller.concurrency,
                "blocked_groups": sorted(poller.blocked_groups),
                "groups": {},
            }
        elif hasattr(poller, "concurrency"):
            shards[uuid] = {"function": spec.function, "source": spec.source_arn, "pollers": poller.concurrency}
    return {
        "sim_time": host.clock.now(),
        "clock": {"factor": host.clock.factor, "paused": host.clock.paused},
        "account": {
            "limit": registry.account.concurrency_limit,
            "unreserved_capacity": registry.unreserved_capacity(),
            "in_use": sum(busy.values()),
        },
        "concurrency": dict(busy),
        "reserved": {fn.name: fn.reserved_concurrency for fn in registry.functions()},
        # ProvisionedConcurrencySpilloverInvocations since this host started, per function (semantics §9).
        "spillover": dict(engine.spillover_invocations),
        "environments": {key: dict(states) for key, states in environments.items()},
        "async_queue": {"waiting": None, "in_flight": None},
        "queues": {arn: None for arn in host.queue_arns},
        "mappings": shards,
        "traffic_shed": dict(host.traffic.shed),
    }


def complete_from_redis(host: GaugeSources, gauges: dict[str, Any]) -> None:
    """Fill in what `collect` left to Redis and keep the result as the latest (any thread: only Redis reads)."""
    now = gauges["sim_time"]
    for arn in gauges["queues"]:
        counts = host.queues.counts(arn, now=now)
        gauges["queues"][arn] = {"visible": counts.visible, "in_flight": counts.in_flight, "delayed": counts.delayed}
    for uuid, mapping in gauges["mappings"].items():
        if "blocked_groups" in mapping:
            mapping["groups"] = fifo_groups(host, mapping, now)
        for shard_id, shard in mapping.get("shards", {}).items():
            shard["checkpoint"] = host.streams.get_checkpoint(uuid, mapping["source"], shard_id)
    async_queue = host.engine.store.async_queue
    gauges["async_queue"] = {"waiting": len(async_queue), "in_flight": async_queue.in_flight()}
    store_latest(host.client, gauges)


def fifo_groups(host: GaugeSources, mapping: dict[str, Any], now: float) -> dict[str, dict[str, Any]]:
    """Per message group of a FIFO mapping: waiting, in flight, and blocked (a failed message holds the group
    until it succeeds or is redriven to the DLQ; other groups keep flowing, semantics §3)."""
    counts = host.queues.group_counts(mapping["source"], now=now)
    blocked = set(mapping["blocked_groups"])
    groups = {g: {**c, "blocked": g in blocked} for g, c in counts.items()}
    for group in blocked - groups.keys():
        groups[group] = {"waiting": 0, "in_flight": 0, "blocked": True}
    return dict(sorted(groups.items()))


def store_latest(client: redis.Redis, gauges: dict[str, Any]) -> None:
    client.set(LATEST_KEY, json.dumps(gauges, default=str), ex=30)


def latest(client: redis.Redis) -> dict[str, Any] | None:
    raw = client.get(LATEST_KEY)
    return json.loads(raw) if raw else None
