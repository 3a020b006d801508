"""The latest dropped async events per function, kept in Redis so a page that (re)loads still lists them.

A dropped event (RetriesExhausted, EventAgeExceeded, ZeroReservedConcurrency; semantics §2, §8) is a rare fact that
the frames carry once; without a copy here, a reload would show the "dropped" count but not which events, why, or
where they went (issue 11, point 6). The publisher's sending thread pushes each frame's drops (with the DLQ or
on-failure destination each went to, if any) into a list per function, trimmed to the newest KEEP.
"""

from __future__ import annotations

import json
from typing import Any

import redis

KEY = "lv:dropped:{function}"
KEEP = 50  # per function: bounded however many events are dropped


def key(function: str) -> str:
    return KEY.format(function=function)


def add(pipe: redis.client.Pipeline, function: str, drops: list[dict[str, Any]]) -> None:
    """Queue on `pipe` the pushes of `drops` (oldest first, as they happened) and the trim to the newest KEEP."""
    if not drops:
        return
    k = key(function)
    pipe.lpush(k, *(json.dumps(drop, separators=(",", ":")) for drop in drops[-KEEP:]))
    pipe.ltrim(k, 0, KEEP - 1)


def latest(client: redis.Redis, function: str) -> list[dict[str, Any]]:
    """The function's dropped events, newest first: request_id, qualifier, condition, at (simulated), target
    (the ARN of the DLQ or on-failure destination it went to, None when it was lost)."""
    return [json.loads(raw) for raw in client.lrange(key(function), 0, KEEP - 1)]
