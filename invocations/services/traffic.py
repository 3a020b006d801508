"""Traffic generator use cases: start, stop and list named traffic streams, and one-shot bursts."""

from __future__ import annotations

import random
from typing import Any

from .. import selectors
from ..errors import InvalidParameterValueException, ResourceNotFoundException
from ..rules.fifo_messages import check_send_parameters
from ..runtime.connection import redis_client
from ..runtime.shared_clock import SharedClock
from ..runtime.traffic import KINDS as KINDS  # what the traffic controls offer (re-exported for the interfaces)
from ..runtime.traffic import PATTERNS as PATTERNS
from ..runtime.traffic import TrafficStream, traffic_burst, traffic_list, traffic_start, traffic_stop


def _check_fifo(stream: TrafficStream) -> None:
    """A FIFO queue needs a group (or a rule for groups); a standard queue, or a function, takes neither."""
    if stream.kind != "sqs":
        if stream.fifo or stream.dedup_id:
            raise InvalidParameterValueException("Message group and deduplication ids are for SQS FIFO queues.")
        return
    queue = selectors.queue_get(stream.target)
    group, dedup = stream.fifo_ids(0, random.Random(0))
    check_send_parameters(
        fifo=queue.fifo, group_id=group or None, dedup_id=dedup if stream.fifo or stream.dedup_id else None
    )


def _check_target(kind: str, target: str) -> None:
    """The target must exist now: a function (and qualifier) for invocations, a queue or stream ARN for messages."""
    if kind in ("sync", "async", "s3"):
        name, _, qualifier = target.partition(":") if not target.startswith("arn:") else (target, "", "")
        selectors.function_get(name, qualifier or None)
    elif kind == "sqs":
        selectors.queue_get(target)
    elif kind == "kinesis":
        source = selectors.source_get_by_arn(target)
        if getattr(source, "kind", None) not in ("kinesis", "dynamodb"):
            raise InvalidParameterValueException(f"{target} is not a stream.")


def traffic_stream_start(
    *,
    name: str,
    target: str,
    rate: float,
    pattern: str = "constant",
    kind: str = "sync",
    payload: dict[str, Any] | None = None,
    poison_share: float = 0.0,
    group_id: str = "",
    groups: int = 0,
    dedup_id: str = "",
) -> TrafficStream:
    """Start (or replace) a named stream; it runs until stopped, in simulated time. A FIFO queue target needs
    `group_id` or `groups` (see TrafficStream)."""
    client = redis_client()
    stream = TrafficStream(
        name,
        target,
        float(rate),
        pattern,
        kind,
        payload or {},
        float(poison_share),
        started_at=SharedClock(client).now(),
        group_id=group_id or "",
        groups=int(groups or 0),
        dedup_id=dedup_id or "",
    ).validate()
    _check_target(kind, target)
    _check_fifo(stream)
    if kind == "sqs":
        stream = TrafficStream(**{**stream.__dict__, "target": selectors.queue_get(target).arn})
    return traffic_start(client, stream)


def traffic_stream_stop(*, name: str) -> None:
    if not traffic_stop(redis_client(), name):
        raise ResourceNotFoundException(f"No traffic stream named {name} is running.")


def traffic_stream_list() -> list[TrafficStream]:
    return sorted(traffic_list(redis_client()), key=lambda s: s.name)


def traffic_burst_send(
    *,
    target: str,
    count: int,
    kind: str = "sync",
    payload: dict[str, Any] | None = None,
    poison_share: float = 0.0,
    group_id: str = "",
    groups: int = 0,
    dedup_id: str = "",
) -> None:
    """ "Burst N now": `count` invocations (or messages) at once, through the same path as a stream."""
    stream = TrafficStream(
        "burst",
        target,
        1.0,
        "constant",
        kind,
        payload or {},
        float(poison_share),
        group_id=group_id or "",
        groups=int(groups or 0),
        dedup_id=dedup_id or "",
    ).validate()
    _check_target(kind, target)
    _check_fifo(stream)
    if kind == "sqs":  # a name works as well as an ARN, as for a stream
        stream = TrafficStream(**{**stream.__dict__, "target": selectors.queue_get(target).arn})
    traffic_burst(redis_client(), stream, count)
