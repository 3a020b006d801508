"""The function view's chart history from the metric store (issue 13 point 1), not from the invocation records.

A page opened mid-class draws what already happened, then the live frames carry on (issue 6, charts). One Redis
pipeline reads the function's per-second series over the window: its cost grows with the window and the number of
versions and aliases, never with the traffic (the records-based history took 1.5 s at 1M records on SQLite).

Per simulated second: invocations by executed version (ExecutedVersion for calls through an alias, Resource for
calls to a version, the rest of FunctionName's total for unqualified and $LATEST calls), errors and timeouts (the
store's own `lv.Timeouts`; Errors counts both), throttles, cold starts (`lv.ColdStarts`), Duration's p50/p95
from its histogram (within 2.5%) and ConcurrentExecutions' highest sample of the second.
"""

from __future__ import annotations

import math
from typing import Any

from ..engine.metrics.aggregator import COLD_STARTS, TIMEOUTS
from ..engine.metrics.series import series_key
from ..engine.metrics.stats import Stat
from ..runtime.metrics.reader import Query
from . import cloudwatch

WINDOW_S = 300  # the live charts keep 300 one-second buckets (static/invocations/js/series.js, Buckets)
MAX_WINDOW_S = 3600
_PER_FUNCTION = ("Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions", COLD_STARTS, TIMEOUTS)


def function_history(*, function: str, until: float | None, seconds: int = WINDOW_S) -> dict[str, Any]:
    """Per simulated second in [until - seconds, until); seconds without data are left out. `until` None (the
    shared clock is unreachable) means the CloudWatch API's own now."""
    if until is None:
        until = cloudwatch.now()
    seconds = max(1, min(int(seconds), MAX_WINDOW_S))
    since = math.floor(until) - seconds + 1
    end = math.ceil(until)
    reader = cloudwatch.reader()
    by_function = (("FunctionName", function),)
    keys = [series_key(metric, by_function) for metric in _PER_FUNCTION]
    executed: dict[str, str] = {}  # series key -> executed version
    resources: dict[str, str] = {}  # series key -> alias or version called
    for metric, dimensions in reader.series(since=since):
        names = dict(dimensions)
        if metric != "Invocations" or names.get("FunctionName") != function or len(names) != 2:
            continue
        if "ExecutedVersion" in names:
            executed[series_key(metric, dimensions)] = names["ExecutedVersion"]
        elif "Resource" in names:
            resources[series_key(metric, dimensions)] = names["Resource"].partition(":")[2]
    keys += list(executed) + list(resources)
    answers = reader.periods([Query(key, since, end, 1) for key in keys], now=until)
    series = dict(zip(keys, answers, strict=True))
    seconds_with_data = sorted({t for periods in answers for t in periods})
    return {
        "function": function,
        "since": since,
        "until": until,
        "bucket_s": 1,
        "sample": 1,
        "buckets": [_bucket(t, series, function, executed, resources) for t in seconds_with_data if t < until],
    }


def _bucket(
    t: int, series: dict[str, dict[int, Stat]], function: str, executed: dict[str, str], resources: dict[str, str]
) -> dict[str, Any]:
    def total(metric_key: str) -> float:
        stat = series[metric_key].get(t)
        return stat.sum if stat is not None else 0.0

    def of(metric: str) -> Stat | None:
        return series[series_key(metric, (("FunctionName", function),))].get(t)

    versions: dict[str, float] = {}
    for key, version in executed.items():
        if total(key):
            versions[version] = versions.get(version, 0) + total(key)
    called = 0.0
    for key, qualifier in resources.items():
        called += total(key)
        if qualifier.isdigit() and total(key):  # a version (alias names are never all digits)
            versions[qualifier] = versions.get(qualifier, 0) + total(key)
    invocations = of("Invocations")
    latest = (invocations.sum if invocations else 0.0) - called
    if latest > 0:
        versions["$LATEST"] = versions.get("$LATEST", 0) + latest
    timeouts = of(TIMEOUTS)
    errors = of("Errors")
    duration = of("Duration")
    concurrency = of("ConcurrentExecutions")
    throttles, cold = of("Throttles"), of(COLD_STARTS)
    return {
        "t": t,
        "versions": {v: _num(n) for v, n in versions.items()},
        "errors": _num((errors.sum if errors else 0) - (timeouts.sum if timeouts else 0)),
        "timeouts": _num(timeouts.sum if timeouts else 0),
        "throttles": _num(throttles.sum if throttles else 0),
        "cold": _num(cold.sum if cold else 0),
        "p50": _rounded(duration.value("p50")) if duration else None,
        "p95": _rounded(duration.value("p95")) if duration else None,
        "concurrency": concurrency.maximum if concurrency else None,
    }


def _num(n: float) -> float | int:
    return int(n) if float(n).is_integer() else round(n, 2)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
