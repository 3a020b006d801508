"""The charts' history: the last minutes of one function's invocations, per simulated second, from the records.

A page opened mid-class draws what already happened, then the live frames carry on (issue 6, charts). Records
kept whole give exact counts and, from a bounded sample, duration percentiles and concurrency; minutes already
folded into InvocationMinute give counts, cold starts and mean concurrency, spread evenly over their 60 seconds.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import Floor, Mod

from ..models import InvocationMinute, InvocationRecord

WINDOW_S = 300  # the live charts keep 300 one-second buckets (static/invocations/js/series.js, Buckets)
MAX_WINDOW_S = 3600
MAX_SAMPLE = 20_000  # rows read into Python for percentiles and concurrency, however many records there are
THROTTLED = "Throttled"
TIMEOUT = "Timeout"
SUCCESS = "Success"


class _Second:
    __slots__ = ("versions", "errors", "timeouts", "throttles", "cold", "busy_s", "durations")

    def __init__(self) -> None:
        self.versions: defaultdict[str, float] = defaultdict(float)
        self.errors = 0.0
        self.timeouts = 0.0
        self.throttles = 0.0
        self.cold = 0.0
        self.busy_s = 0.0  # execution seconds spent inside this second: its mean concurrency
        self.durations: list[float] = []

    def count(self, version: str, outcome: str, n: float, cold: float) -> None:
        if outcome == THROTTLED:
            self.throttles += n
            return
        self.versions[version or "$LATEST"] += n
        if outcome == TIMEOUT:
            self.timeouts += n
        elif outcome != SUCCESS:
            self.errors += n
        self.cold += cold


def invocation_history(*, function: str, until: float | None, seconds: int = WINDOW_S) -> dict[str, Any]:
    """Per simulated second in [until - seconds, until): invocations by executed version, errors, timeouts,
    throttles, cold starts, duration p50/p95 and mean concurrent executions. Seconds without any record are left
    out. `sample` is 1 when every kept record was read for percentiles/concurrency, k when one in k was.
    `until` None (the shared clock is unreachable) means just after the function's newest record."""
    if until is None:
        newest = InvocationRecord.objects.filter(function=function).order_by("-completed_at").first()
        until = newest.completed_at + 1 if newest else 0.0
    seconds = max(1, min(int(seconds), MAX_WINDOW_S))
    since = math.floor(until) - seconds + 1
    buckets: defaultdict[int, _Second] = defaultdict(_Second)
    records = InvocationRecord.objects.filter(function=function, completed_at__gte=since, completed_at__lt=until)

    counts = (
        records.annotate(second=Floor("completed_at"))
        .values("second", "executed_version", "outcome")
        .annotate(n=Count("id"), cold=Count("id", filter=Q(cold_start=True)))
    )
    for row in counts:
        buckets[int(row["second"])].count(row["executed_version"], row["outcome"], row["n"], row["cold"])

    sample = _sample_durations(records.exclude(outcome=THROTTLED), buckets, since, until)
    _add_minutes(function, buckets, since, until)

    return {
        "function": function,
        "since": since,
        "until": until,
        "bucket_s": 1,
        "sample": sample,
        "buckets": [_as_dict(t, buckets[t]) for t in sorted(buckets) if since <= t < until],
    }


def _sample_durations(executed, buckets: defaultdict[int, _Second], since: int, until: float) -> int:
    """Durations per second (for p50/p95) and execution time per second (for concurrency), from at most
    MAX_SAMPLE records: one in k by id, each then weighing k."""
    total = executed.count()
    step = max(1, math.ceil(total / MAX_SAMPLE))
    rows = executed
    if step > 1:
        rows = rows.annotate(pick=Mod(F("id"), step)).filter(pick=0)
    for started, completed, duration in rows.values_list("started_at", "completed_at", "duration_ms"):
        buckets[math.floor(completed)].durations.append(duration)
        # An invocation running from `started` to `completed` adds its overlap with each second it spans.
        first = max(math.floor(started), since)
        for second in range(first, min(math.floor(completed), math.ceil(until) - 1) + 1):
            overlap = min(completed, second + 1) - max(started, second)
            if overlap > 0:
                buckets[second].busy_s += overlap * step
    return step


def _add_minutes(function: str, buckets: defaultdict[int, _Second], since: int, until: float) -> None:
    """Minutes already compacted: their totals spread evenly over their seconds (the per-second shape is gone)."""
    minutes = InvocationMinute.objects.filter(
        function=function, minute__gte=since // 60, minute__lte=math.floor(until) // 60
    )
    for row in minutes:
        per_second = row.count / 60
        cold = row.cold_starts / 60
        busy = row.duration_ms_total / 1000 / 60 if row.outcome != THROTTLED else 0.0
        for second in range(row.minute * 60, row.minute * 60 + 60):
            if since <= second < until:
                bucket = buckets[second]
                bucket.count(row.executed_version, row.outcome, per_second, cold)
                bucket.busy_s += busy


def _as_dict(t: int, bucket: _Second) -> dict[str, Any]:
    ordered = sorted(bucket.durations)
    return {
        "t": t,
        "versions": {v: _num(n) for v, n in bucket.versions.items()},
        "errors": _num(bucket.errors),
        "timeouts": _num(bucket.timeouts),
        "throttles": _num(bucket.throttles),
        "cold": _num(bucket.cold),
        "p50": _nearest_rank(ordered, 0.50),
        "p95": _nearest_rank(ordered, 0.95),
        "concurrency": round(bucket.busy_s, 2),
    }


def _num(n: float) -> float | int:
    return int(n) if float(n).is_integer() else round(n, 2)


def _nearest_rank(ordered: list[float], q: float) -> float | None:
    # The same estimator the live frames use, so history and live lines join without a step.
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)
