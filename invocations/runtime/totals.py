"""Totals since the simulation started, per function, kept in Redis: what the diagram's node counts show.

A page that counted the frames it happened to see would start from zero at every reload and disagree with the
gauges (issue 11, point 9). The publisher's sending thread adds each frame's exact tallies here (one pipeline
per frame, off the engine host's loop) and sends the sums on with the frame; a websocket snapshot reads them.
They start when the first frame after an empty Redis is folded in: `since` (simulated time) says when.
"""

from __future__ import annotations

from typing import Any

import redis

from . import dropped_events

KEY = "lv:totals:{function}"
SEPARATOR = "|"  # between a field's kind and its key (a source, an ARN, a version and outcome)
_COUNTERS = ("invocations", "cold_starts", "provisioned")
_MAPS = ("edges", "throttled_by", "delivered", "dropped")


def key(function: str) -> str:
    return KEY.format(function=function)


def _fields(tally: dict[str, Any]) -> dict[str, int]:
    fields = {name: tally.get(name) or 0 for name in _COUNTERS}
    for kind in _MAPS:
        for item, n in (tally.get(kind) or {}).items():
            fields[f"{kind}{SEPARATOR}{item}"] = n
    for version, outcomes in (tally.get("by_version") or {}).items():
        for outcome, n in outcomes.items():
            fields[f"by_version{SEPARATOR}{version}{SEPARATOR}{outcome}"] = n
    return {name: n for name, n in fields.items() if n}


def fold(client: redis.Redis, frame: dict[str, Any]) -> None:
    """Add the frame's per-function tallies to the totals and put the new sums in `frame["totals"]`; the frame's
    dropped events go to their lists (dropped_events.py) in the same round trip."""
    names = list(frame["functions"])
    if not names:
        return
    since = frame.get("sim_time") or 0.0
    pipe = client.pipeline(transaction=False)
    for name in names:
        k = key(name)
        pipe.hsetnx(k, "since", since)
        pipe.hincrby(k, "frames", 1)
        for field, n in _fields(frame["functions"][name]).items():
            pipe.hincrby(k, field, n)
        pipe.hgetall(k)
    for name in names:  # after every HGETALL, so the replies' positions below stay as they are
        dropped_events.add(pipe, name, frame["functions"][name].pop("recent_drops", None) or [])
    replies = pipe.execute()
    sums, at = {}, 0
    for name in names:
        at += 2 + len(_fields(frame["functions"][name]))
        sums[name] = parse(replies[at])
        at += 1
    frame["totals"] = sums


def read(client: redis.Redis, function: str) -> dict[str, Any] | None:
    """One function's totals (None before its first frame)."""
    return parse(client.hgetall(key(function))) or None


def parse(raw: dict[bytes, bytes]) -> dict[str, Any]:
    """HGETALL's answer as a tally: since, frames, invocations, cold_starts, edges, by_version {v: {o: n}}, ..."""
    if not raw:
        return {}
    out: dict[str, Any] = {name: 0 for name in _COUNTERS}
    out.update({kind: {} for kind in _MAPS}, by_version={})
    for field_b, value_b in raw.items():
        field, value = field_b.decode(), value_b.decode()
        if field == "since":
            out["since"] = float(value)
            continue
        kind, _, item = field.partition(SEPARATOR)
        if not item:
            out[kind] = int(value)
        elif kind == "by_version":
            version, _, outcome = item.partition(SEPARATOR)
            out["by_version"].setdefault(version, {})[outcome] = int(value)
        else:
            out.setdefault(kind, {})[item] = int(value)
    return out
