"""`MetricWriter`: the engine host's side of the metric store.

Fed by the host's Fanout (it is the engine sink `LambdaMetrics`); `flush(now)` runs once per host step and writes
every finished simulated second in ONE pipeline (never one round trip per invocation: the hot path carries
10,000 invocations/s). Minutes are rolled up in memory as their seconds pass and written once the minute is over.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import redis

from ...engine.metrics.aggregator import LambdaMetrics, SecondMetrics
from ...engine.metrics.stats import Stat
from .keys import SERIES, minute_key, pack, second_key


class MetricWriter(LambdaMetrics):
    def __init__(self, client: redis.Redis, *, second_retention_s: float, minute_retention_s: float) -> None:
        super().__init__()
        self.client = client
        self.second_retention_s = int(second_retention_s)
        self.minute_retention_s = int(minute_retention_s)
        self._minutes: dict[int, dict[str, Stat]] = {}  # minute start -> series -> rolled-up stat

    def flush(self, now: float, *, busy: Iterable[tuple[str, str, bool]] | None = None, final: bool = False) -> int:
        """Write what finished before `now` (everything when `final`); returns the number of seconds written.
        `busy` samples ConcurrentExecutions first: (function, version, provisioned) per busy environment."""
        if busy is not None:
            self.observe_concurrency(now, busy)
        seconds = self.drain(None if final else now)
        if not seconds:
            if final:
                return self._write({}, now, final=True)
            return 0
        return self._write(seconds, now, final=final)

    def _write(self, seconds: dict[int, SecondMetrics], now: float, *, final: bool) -> int:
        pipe = self.client.pipeline(transaction=False)
        touched: dict[str, int] = {}
        hashes: dict[str, dict[str, str]] = {}
        for second, metrics in seconds.items():
            minute = second - second % 60
            rollup = self._minutes.setdefault(minute, {})
            for series, stat in metrics.items():
                hashes.setdefault(second_key(series, minute), {})[str(second - minute)] = pack(stat)
                merged = rollup.get(series)
                rollup[series] = Stat().merge(stat) if merged is None else merged.merge(stat)
                touched[series] = max(touched.get(series, 0), second)
        for key, fields in hashes.items():
            pipe.hset(key, mapping=fields)
            pipe.expire(key, self.second_retention_s + 120)
        current_minute = math.floor(now) - math.floor(now) % 60
        for minute in sorted(self._minutes):
            if minute >= current_minute and not final:
                break
            hour = minute - minute % 3600
            for series, stat in self._minutes.pop(minute).items():
                key = minute_key(series, hour)
                pipe.hset(key, str((minute - hour) // 60), pack(stat))
                pipe.expire(key, self.minute_retention_s + 3600)
        if touched:
            pipe.zadd(SERIES, touched)
            # A series without data for the whole retention is no longer listed (ListMetrics).
            pipe.zremrangebyscore(SERIES, "-inf", f"({max(touched.values()) - self.minute_retention_s}")
        if len(pipe):
            pipe.execute()
        return len(seconds)
