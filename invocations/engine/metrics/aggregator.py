"""`LambdaMetrics`: an engine EventSink that turns events into AWS/Lambda metrics per simulated second.

Hot path (10,000 invocations/s): `emit` only counts into one small group per (second, function, qualifier, alias,
executed version, provisioned); the expansion into metrics and dimension sets happens in `drain`, once per host
step. Seconds are `floor(event.at)` on the engine's clock, so metrics follow the simulation clock.

Metrics (DG monitoring-metrics): Invocations, Errors (function errors and timeouts), Throttles (not counted in
Invocations), Duration (ms, with a histogram for percentiles), ProvisionedConcurrencyInvocations,
ProvisionedConcurrencySpilloverInvocations, AsyncEventsReceived, AsyncEventAge (ms from being queued to an attempt's
start, by the attempt's start second), AsyncEventsDropped, DeadLetterErrors and
DestinationDeliveryFailures (counted from `record_delivery_failure`: the engine has no failed-delivery event yet),
and the concurrency gauges sampled by `observe_concurrency` (ConcurrentExecutions, UnreservedConcurrentExecutions,
ClaimedAccountConcurrency, ProvisionedConcurrentExecutions, ProvisionedConcurrencyUtilization).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ..events import (
    AsyncEventAccepted,
    AsyncEventDropped,
    AsyncEventProcessed,
    Event,
    InvocationCompleted,
    InvocationType,
    ProvisionedConcurrencyChanged,
    Throttled,
)
from ..outcomes import Outcome
from . import histogram
from .series import Dimensions, lambda_dimension_sets, series_key
from .stats import Stat

SecondMetrics = dict[str, Stat]  # series key -> statistics of one second

_COUNTED = (Outcome.SUCCESS, Outcome.FUNCTION_ERROR, Outcome.TIMEOUT)
_ERRORS = (Outcome.FUNCTION_ERROR, Outcome.TIMEOUT)
_EVENT = InvocationType.EVENT


class _Group:
    """One second's invocations of one (function, qualifier, alias, executed version, provisioned)."""

    __slots__ = ("errors", "durations", "spillover")

    def __init__(self) -> None:
        self.errors = 0
        self.durations: list[float] = []
        self.spillover = 0


class LambdaMetrics:
    def __init__(self) -> None:
        self._invocations: dict[int, dict[tuple, _Group]] = {}
        self._counts: dict[int, dict[tuple[str, tuple], float]] = {}  # (metric, group key) -> count
        self._gauges: dict[int, dict[str, float]] = {}  # series key -> maximum of the second
        self._ages: dict[int, dict[tuple, list[float]]] = {}  # AsyncEventAge samples (ms) per (function, qualifier)
        self._accepted_at: dict[str, float] = {}  # async request id -> when it was queued, until it settles
        # (function, qualifier) with provisioned concurrency requested: their on-demand runs are spillover.
        self._provisioned: set[tuple[str, str]] = set()
        self._pc_qualifiers: dict[tuple[str, str], str] = {}  # (function, version) -> alias or version with PC
        self._pc_allocated: dict[tuple[str, str], int] = {}  # (function, qualifier) -> allocated environments
        self._handlers = {
            InvocationCompleted: self._completed,
            Throttled: self._throttled,
            AsyncEventAccepted: self._accepted,
            AsyncEventDropped: self._dropped,
            AsyncEventProcessed: self._settled,
            ProvisionedConcurrencyChanged: self._provisioned_changed,
        }

    # --- the sink ------------------------------------------------------------------------------------------

    def emit(self, event: Event) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(event)

    def _completed(self, event: InvocationCompleted) -> None:
        result = event.result
        if result.outcome not in _COUNTED:
            return
        second = math.floor(event.at)
        groups = self._invocations.get(second)
        if groups is None:
            groups = self._invocations[second] = {}
        key = (event.function, event.qualifier, event.alias, result.executed_version, event.provisioned)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group()
        group.durations.append(result.duration_ms)
        if result.outcome in _ERRORS:
            group.errors += 1
        if not event.provisioned and (event.function, event.qualifier) in self._provisioned:
            group.spillover += 1
        if event.invocation_type is _EVENT:
            accepted = self._accepted_at.get(result.request_id)
            if accepted is not None:  # AsyncEventAge: from being queued to this attempt's start
                ages = self._ages.setdefault(math.floor(event.started_at), {})
                ages.setdefault((event.function, event.qualifier, None, None), []).append(
                    max(0.0, event.started_at - accepted) * 1000.0
                )

    def _count(self, at: float, metric: str, key: tuple) -> None:
        counts = self._counts.setdefault(math.floor(at), {})
        counts[(metric, key)] = counts.get((metric, key), 0) + 1

    def _throttled(self, event: Throttled) -> None:
        self._count(event.at, "Throttles", (event.function, event.qualifier, event.alias, event.version))

    def _accepted(self, event: AsyncEventAccepted) -> None:
        self._accepted_at[event.request_id] = event.at
        self._count(event.at, "AsyncEventsReceived", (event.function, event.qualifier, None, None))

    def _dropped(self, event: AsyncEventDropped) -> None:
        self._accepted_at.pop(event.request_id, None)
        self._count(event.at, "AsyncEventsDropped", (event.function, event.qualifier, None, None))

    def _settled(self, event: AsyncEventProcessed) -> None:
        self._accepted_at.pop(event.request_id, None)

    def _provisioned_changed(self, event: ProvisionedConcurrencyChanged) -> None:
        target = (event.function, event.qualifier)
        if event.requested > 0:
            self._provisioned.add(target)
            self._pc_qualifiers[(event.function, event.version)] = event.qualifier
            self._pc_allocated[target] = event.allocated
        else:
            self._provisioned.discard(target)
            self._pc_qualifiers.pop((event.function, event.version), None)
            self._pc_allocated.pop(target, None)

    # --- what the runtime adds -------------------------------------------------------------------------------

    def record_delivery_failure(self, at: float, metric: str, function: str, qualifier: str | None = None) -> None:
        """DeadLetterErrors or DestinationDeliveryFailures for one event that could not be delivered."""
        if metric not in ("DeadLetterErrors", "DestinationDeliveryFailures"):
            raise ValueError(metric)
        self._count(at, metric, (function, qualifier, None, None))

    def observe_concurrency(
        self,
        at: float,
        busy: Iterable[tuple[str, str, bool]],
        *,
        reserved_functions: frozenset[str] | set[str] = frozenset(),
        carved: int | None = None,
    ) -> None:
        """Sample the concurrency gauges from the environments busy at `at`: (function, version, provisioned) each.

        A second keeps each gauge's highest sample (AWS reads them as Maximum). ConcurrentExecutions (account,
        FunctionName, FunctionName+Resource for a version); UnreservedConcurrentExecutions: busy environments of
        functions without reserved concurrency; ClaimedAccountConcurrency: that plus `carved`, the concurrency
        allocated to reservations and provisioned configs; ProvisionedConcurrentExecutions and
        ProvisionedConcurrencyUtilization (busy provisioned / allocated) per alias or version with a config, as
        the ProvisionedConcurrencyChanged events announced them (DG monitoring-metrics)."""
        counts: dict[str, float] = {}
        account = unreserved = 0
        provisioned_busy: dict[tuple[str, str], int] = {}
        for function, version, provisioned in busy:
            account += 1
            if function not in reserved_functions:
                unreserved += 1
            for name in self._concurrency_keys(function, version):
                counts[name] = counts.get(name, 0) + 1
            if provisioned:
                name = series_key("ProvisionedConcurrentExecutions", (("FunctionName", function),))
                counts[name] = counts.get(name, 0) + 1
                qualifier = self._pc_qualifiers.get((function, version))
                if qualifier is not None:
                    provisioned_busy[(function, qualifier)] = provisioned_busy.get((function, qualifier), 0) + 1
        for (function, qualifier), allocated in self._pc_allocated.items():
            in_use = provisioned_busy.get((function, qualifier), 0)
            resource = (("FunctionName", function), ("Resource", f"{function}:{qualifier}"))
            counts[series_key("ProvisionedConcurrentExecutions", resource)] = in_use
            if allocated > 0:
                counts[series_key("ProvisionedConcurrencyUtilization", resource)] = in_use / allocated
        counts[series_key("ConcurrentExecutions")] = account
        counts[series_key("UnreservedConcurrentExecutions")] = unreserved
        if carved is not None:
            counts[series_key("ClaimedAccountConcurrency")] = unreserved + carved
        gauges = self._gauges.setdefault(math.floor(at), {})
        for name, value in counts.items():
            if value > gauges.get(name, float("-inf")):
                gauges[name] = value

    @staticmethod
    def _concurrency_keys(function: str, version: str) -> list[str]:
        by_function: Dimensions = (("FunctionName", function),)
        keys = [series_key("ConcurrentExecutions", by_function)]
        if version != "$LATEST":
            keys.append(series_key("ConcurrentExecutions", by_function + (("Resource", f"{function}:{version}"),)))
        return keys

    # --- handing over ----------------------------------------------------------------------------------------

    def pending_seconds(self) -> list[int]:
        return sorted(set(self._invocations) | set(self._counts) | set(self._gauges) | set(self._ages))

    def drain(self, before: float | None = None) -> dict[int, SecondMetrics]:
        """The metrics of every second that ended before `before` (all of them when None), removed from here."""
        limit = math.inf if before is None else math.floor(before)
        out: dict[int, SecondMetrics] = {}
        for second in self.pending_seconds():
            if second >= limit:
                break
            metrics: SecondMetrics = {}
            for key, group in self._invocations.pop(second, {}).items():
                self._expand_group(metrics, key, group)
            for (metric, key), count in self._counts.pop(second, {}).items():
                for dimensions in lambda_dimension_sets(*key):
                    _add_count(metrics, series_key(metric, dimensions), count)
            for key, ages in self._ages.pop(second, {}).items():
                for dimensions in lambda_dimension_sets(*key):
                    name = series_key("AsyncEventAge", dimensions)
                    if name in metrics:
                        metrics[name].merge(_duration_stat(ages))
                    else:
                        metrics[name] = _duration_stat(ages)
            for name, value in self._gauges.pop(second, {}).items():
                stat = metrics.setdefault(name, Stat())
                stat.add(value)
            out[second] = metrics
        return out

    @staticmethod
    def _expand_group(metrics: SecondMetrics, key: tuple, group: _Group) -> None:
        function, qualifier, alias, executed_version, provisioned = key
        duration = _duration_stat(group.durations)
        invocations = len(group.durations)
        for dimensions in lambda_dimension_sets(function, qualifier, alias, executed_version):
            _add_count(metrics, series_key("Invocations", dimensions), invocations)
            _add_samples(metrics, series_key("Errors", dimensions), invocations, ones=group.errors)
            merged = metrics.get(series_key("Duration", dimensions))
            if merged is None:
                metrics[series_key("Duration", dimensions)] = Stat().merge(duration)
            else:
                merged.merge(duration)
            if provisioned:
                _add_count(metrics, series_key("ProvisionedConcurrencyInvocations", dimensions), invocations)
            if group.spillover:
                _add_count(
                    metrics, series_key("ProvisionedConcurrencySpilloverInvocations", dimensions), group.spillover
                )


def _duration_stat(durations: list[float]) -> Stat:
    """Duration's statistics and histogram for one group, at C speed (10,000 durations a second)."""
    return Stat(
        count=len(durations),
        sum=math.fsum(durations),
        minimum=min(durations),
        maximum=max(durations),
        buckets=histogram.from_values(durations),
    )


def _add_count(metrics: SecondMetrics, name: str, count: float) -> None:
    """`count` samples of value 1, as Lambda publishes Invocations, Throttles, ... (SampleCount = Sum)."""
    _add_samples(metrics, name, count, ones=count)


def _add_samples(metrics: SecondMetrics, name: str, samples: float, *, ones: float) -> None:
    """`samples` samples of which `ones` are 1 and the rest 0: Lambda publishes Errors 0 or 1 per invocation, so
    Errors' Average is the error rate."""
    if samples <= 0:
        return
    stat = metrics.get(name)
    if stat is None:
        stat = metrics[name] = Stat()
    stat.count += samples
    stat.sum += ones
    stat.minimum = min(stat.minimum, 1.0 if ones == samples else 0.0)
    stat.maximum = max(stat.maximum, 1.0 if ones > 0 else 0.0)
