"""`MetricReader`: statistics of one series over aligned periods, from the 1-second hashes where they are still
kept and from the 1-minute rollups before that. One pipeline per query (all series, all hashes)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import redis

from ...engine.metrics.series import Dimensions, parse_series_key
from ...engine.metrics.stats import Stat
from .keys import SERIES, minute_key, second_key, unpack


@dataclass(frozen=True)
class Query:
    series: str
    start: int  # inclusive, aligned on period
    end: int  # exclusive
    period: int


class MetricReader:
    def __init__(self, client: redis.Redis, *, second_retention_s: float) -> None:
        self.client = client
        self.second_retention_s = second_retention_s

    def periods(self, queries: list[Query], *, now: float) -> list[dict[int, Stat]]:
        """For each query, period start -> merged Stat of the periods that had data (missing ones are absent)."""
        pipe = self.client.pipeline(transaction=False)
        plans = []
        for query in queries:
            plan = []
            window_start = self._window_start(now)
            for kind, key, base in self._hashes(query, window_start):
                pipe.hgetall(key)
                plan.append((kind, base, window_start))
            plans.append(plan)
        replies = iter(pipe.execute()) if len(pipe) else iter(())
        out = []
        for query, plan in zip(queries, plans, strict=True):
            merged: dict[int, Stat] = {}
            for kind, base, window_start in plan:
                step = 1 if kind == "s" else 60
                for field, raw in next(replies).items():
                    at = base + int(field) * step
                    if not (query.start <= at < query.end) or (kind == "m" and at >= window_start):
                        continue  # outside the query, or a minute the 1-second hashes already answer
                    start = query.start + (at - query.start) // query.period * query.period
                    stat = unpack(raw)
                    if start in merged:
                        merged[start].merge(stat)
                    else:
                        merged[start] = stat
            out.append(dict(sorted(merged.items())))
        return out

    def _window_start(self, now: float) -> int:
        """The first whole minute still kept at 1-second resolution."""
        start = math.ceil(now - self.second_retention_s)
        return start + (-start) % 60

    def _hashes(self, query: Query, window_start: int) -> Iterable[tuple[str, str, int]]:
        """("s", key, minute start) for minutes inside the 1-second window, ("m", key, hour start) before it."""
        minute = query.start - query.start % 60
        hours_done: set[int] = set()
        while minute < query.end:
            if minute >= window_start or query.period < 60:
                yield "s", second_key(query.series, minute), minute
            else:
                hour = minute - minute % 3600
                if hour not in hours_done:
                    hours_done.add(hour)
                    yield "m", minute_key(query.series, hour), hour
            minute += 60

    def series(self, *, since: float | None = None) -> list[tuple[str, Dimensions]]:
        """Every series with data (since `since`, simulated seconds), as (metric, dimensions)."""
        low = "-inf" if since is None else since
        return [parse_series_key(raw.decode()) for raw in self.client.zrangebyscore(SERIES, low, "+inf")]
