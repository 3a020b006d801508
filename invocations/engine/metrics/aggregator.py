"""`LambdaMetrics`: an engine EventSink that turns events into AWS/Lambda metrics per simulated second.

Hot path (10,000 invocations/s): `emit` only counts into one small group per (second, function, qualifier, alias,
executed version, provisioned); the expansion into metrics and dimension sets happens in `drain`, once per host
step. Seconds are `floor(event.at)` on the engine's clock, so metrics follow the simulation clock.

Metrics (DG monitoring-metrics-types, monitoring-concurrency): Invocations, Errors (function errors and timeouts),
Throttles (not counted in Invocations), Duration (ms, with a histogram for percentiles),
ProvisionedConcurrencyInvocations, ProvisionedConcurrencySpilloverInvocations, AsyncEventsReceived, AsyncEventAge
(ms from the event being queued to the attempt that invoked the function, retries included), AsyncEventsDropped,
DeadLetterErrors and DestinationDeliveryFailures (a target refused the delivery: `DeliveryFailed`, and a stream
mapping's `OnFailureRecordSent` with delivered False), IteratorAge (stream mappings: ms, age of the batch's last
record when it was read, from `BatchInvoked`), and the gauges sampled by `observe_concurrency`:
ConcurrentExecutions, ProvisionedConcurrentExecutions, UnreservedConcurrentExecutions and ClaimedAccountConcurrency.

Two series are LambdaViz's own, for the dashboard's charts (AWS publishes neither; ListMetrics does not list
them): `COLD_STARTS` and `TIMEOUTS`, under FunctionName only.

A mapping's events name its UUID, not its function: `mapping_targets` (UUID -> function, qualifier), kept by the
host, resolves them when a second is drained; a mapping it does not know publishes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable

from ..events import (
    AsyncEventAccepted,
    AsyncEventDropped,
    AsyncEventProcessed,
    DeliveryFailed,
    Event,
    InvocationCompleted,
    InvocationType,
    ProvisionedConcurrencyChanged,
    Throttled,
)
from ..outcomes import Outcome
from ..sources.events import BatchInvoked, OnFailureRecordSent
from . import histogram
from .series import Dimensions, lambda_dimension_sets, series_key
from .stats import Stat

SecondMetrics = dict[str, Stat]  # series key -> statistics of one second

_COUNTED = (Outcome.SUCCESS, Outcome.FUNCTION_ERROR, Outcome.TIMEOUT)
_ERRORS = (Outcome.FUNCTION_ERROR, Outcome.TIMEOUT)
_EVENT = InvocationType.EVENT
COLD_STARTS = "lv.ColdStarts"
TIMEOUTS = "lv.Timeouts"
DEAD_LETTER_QUEUE = "DeadLetterQueue"  # DeliveryFailed.kind of a DLQ message; OnSuccess / OnFailure otherwise


class _Group:
    """One second's invocations of one (function, qualifier, alias, executed version, provisioned)."""

    __slots__ = ("errors", "timeouts", "cold", "durations", "spillover")

    def __init__(self) -> None:
        self.errors = 0
        self.timeouts = 0
        self.cold = 0
        self.durations: list[float] = []
        self.spillover = 0


class LambdaMetrics:
    def __init__(self) -> None:
        self._invocations: dict[int, dict[tuple, _Group]] = {}
        self._counts: dict[int, dict[tuple[str, tuple], float]] = {}  # (metric, group key) -> count
        self._gauges: dict[int, dict[str, float]] = {}  # series key -> maximum of the second
        self._samples: dict[int, dict[tuple[str, tuple], list[float]]] = {}  # (metric, group key) -> values
        self._mapping_samples: dict[int, dict[tuple[str, str], list[float]]] = {}  # (metric, mapping UUID) -> ms
        self._mapping_counts: dict[int, dict[tuple[str, str], float]] = {}  # (metric, mapping UUID) -> count
        # (function, qualifier) with provisioned concurrency requested: their on-demand runs are spillover.
        self._provisioned: set[tuple[str, str]] = set()
        # Async events still queued: request id -> when it was accepted (AsyncEventAge); gone once settled.
        self._queued_at: dict[str, float] = {}
        self.mapping_targets: dict[str, tuple[str, str | None]] = {}  # mapping UUID -> (function, qualifier)
        self._init_utilization()
        self._handlers = {
            InvocationCompleted: self._completed,
            Throttled: self._throttled,
            AsyncEventAccepted: self._accepted,
            AsyncEventDropped: self._dropped,
            AsyncEventProcessed: self._processed,
            DeliveryFailed: self._delivery_failed,
            BatchInvoked: self._batch_invoked,
            OnFailureRecordSent: self._on_failure_sent,
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
            if result.outcome is Outcome.TIMEOUT:
                group.timeouts += 1
        if result.cold_start:
            group.cold += 1
        if not event.provisioned and (event.function, event.qualifier) in self._provisioned:
            group.spillover += 1
        if event.invocation_type is _EVENT and event.attempt:  # not a duplicate run (attempt 0)
            queued_at = self._queued_at.get(result.request_id)
            if queued_at is not None:
                key = (event.function, event.qualifier, None, None)
                self._sample(event.started_at, "AsyncEventAge", key, (event.started_at - queued_at) * 1000.0)

    def _count(self, at: float, metric: str, key: tuple) -> None:
        counts = self._counts.setdefault(math.floor(at), {})
        counts[(metric, key)] = counts.get((metric, key), 0) + 1

    def _sample(self, at: float, metric: str, key: tuple, value: float) -> None:
        samples = self._samples.setdefault(math.floor(at), {})
        samples.setdefault((metric, key), []).append(value)

    def _throttled(self, event: Throttled) -> None:
        self._count(event.at, "Throttles", (event.function, event.qualifier, event.alias, event.version))

    def _accepted(self, event: AsyncEventAccepted) -> None:
        self._queued_at[event.request_id] = event.at
        self._count(event.at, "AsyncEventsReceived", (event.function, event.qualifier, None, None))

    def _dropped(self, event: AsyncEventDropped) -> None:
        self._queued_at.pop(event.request_id, None)
        self._count(event.at, "AsyncEventsDropped", (event.function, event.qualifier, None, None))

    def _processed(self, event: AsyncEventProcessed) -> None:
        self._queued_at.pop(event.request_id, None)

    def _delivery_failed(self, event: DeliveryFailed) -> None:
        metric = "DeadLetterErrors" if event.kind == DEAD_LETTER_QUEUE else "DestinationDeliveryFailures"
        self._count(event.at, metric, (event.function, event.qualifier, None, None))

    def _batch_invoked(self, event: BatchInvoked) -> None:
        if event.iterator_age is None:  # a queue's batch: IteratorAge is for streams only
            return
        samples = self._mapping_samples.setdefault(math.floor(event.at), {})
        samples.setdefault(("IteratorAge", event.esm), []).append(event.iterator_age * 1000.0)

    def _on_failure_sent(self, event: OnFailureRecordSent) -> None:
        if event.delivered:
            return
        counts = self._mapping_counts.setdefault(math.floor(event.at), {})
        key = ("DestinationDeliveryFailures", event.esm)
        counts[key] = counts.get(key, 0) + 1

    def _provisioned_changed(self, event: ProvisionedConcurrencyChanged) -> None:
        target = (event.function, event.qualifier)
        if event.requested > 0:
            self._provisioned.add(target)
        else:
            self._provisioned.discard(target)
        self._utilization_pool(event)

    # --- what the runtime adds -------------------------------------------------------------------------------

    def observe_concurrency(
        self,
        at: float,
        busy: Iterable[tuple[str, str, bool]],
        *,
        qualifiers: dict[tuple[str, str], str] | None = None,
        reserved: Collection[str] = (),
        allocated: int = 0,
    ) -> None:
        """Sample the concurrency gauges from the environments busy at `at`: (function, version, provisioned) each.

        A second keeps the highest sample (AWS reads these as Maximum). ProvisionedConcurrentExecutions counts the
        busy provisioned ones, under FunctionName and, through `qualifiers` ((function, version) -> alias or
        version with the config), FunctionName+Resource. Account-wide only (DG monitoring-concurrency):
        UnreservedConcurrentExecutions, the busy on-demand environments of functions without reserved concurrency
        (`reserved` names those that have it); ClaimedAccountConcurrency, that plus `allocated` (every reservation,
        and the provisioned concurrency of functions without one)."""
        qualifiers = qualifiers or {}
        busy = list(busy)  # read twice: here and by _observe_utilization
        counts: dict[str, float] = {}
        account = unreserved = 0
        for function, version, provisioned in busy:
            account += 1
            if not provisioned and function not in reserved:
                unreserved += 1
            for name in self._concurrency_keys(function, version, provisioned, qualifiers):
                counts[name] = counts.get(name, 0) + 1
        counts[series_key("ConcurrentExecutions")] = account
        counts[series_key("UnreservedConcurrentExecutions")] = unreserved
        counts[series_key("ClaimedAccountConcurrency")] = unreserved + allocated
        gauges = self._gauges.setdefault(math.floor(at), {})
        for name, value in counts.items():
            if value > gauges.get(name, float("-inf")):
                gauges[name] = value
        self._observe_utilization(at, busy)

    @staticmethod
    def _concurrency_keys(
        function: str, version: str, provisioned: bool, qualifiers: dict[tuple[str, str], str]
    ) -> list[str]:
        by_function: Dimensions = (("FunctionName", function),)
        keys = [series_key("ConcurrentExecutions", by_function)]
        if version != "$LATEST":
            resource = by_function + (("Resource", f"{function}:{version}"),)
            keys.append(series_key("ConcurrentExecutions", resource))
        if provisioned:
            keys.append(series_key("ProvisionedConcurrentExecutions", by_function))
            qualifier = qualifiers.get((function, version))
            if qualifier:
                resource = by_function + (("Resource", f"{function}:{qualifier}"),)
                keys.append(series_key("ProvisionedConcurrentExecutions", resource))
        return keys

    # --- ProvisionedConcurrencyUtilization (issue 13 point 4) -------------------------------------------------
    # Per alias or version with a config (FunctionName + Resource): the minute's highest ProvisionedConcurrent-
    # Executions / allocated provisioned concurrency, one datapoint per minute stamped at the minute's start, as
    # Lambda publishes it. A minute without a busy provisioned environment has no datapoint (no traffic, no data:
    # target tracking's alarms then stay where they are, as on AWS).

    def _init_utilization(self) -> None:
        self._pools: dict[tuple[str, str], int] = {}  # (function, version) -> allocated, per config ...
        self._pool_qualifier: dict[tuple[str, str], str] = {}  # ... and the alias or version it is for
        self._utilization: dict[tuple[str, str], tuple[int, float]] = {}  # (function, qualifier) -> (minute, max)

    def _utilization_pool(self, event: ProvisionedConcurrencyChanged) -> None:
        key = (event.function, event.version)
        if event.requested > 0:
            self._pools[key] = event.allocated
            self._pool_qualifier[key] = event.qualifier
        else:
            self._pools.pop(key, None)
            self._pool_qualifier.pop(key, None)

    def _observe_utilization(self, at: float, busy: list[tuple[str, str, bool]]) -> None:
        minute = math.floor(at) - math.floor(at) % 60
        for done in [k for k, (m, _) in self._utilization.items() if m < minute]:
            self._publish_utilization(done, *self._utilization.pop(done))
        counts: dict[tuple[str, str], int] = {}
        for function, version, provisioned in busy:
            if provisioned:
                counts[(function, version)] = counts.get((function, version), 0) + 1
        for pool, busy_count in counts.items():
            allocated = self._pools.get(pool, 0)
            if allocated <= 0:
                continue
            key = (pool[0], self._pool_qualifier[pool])
            _, highest = self._utilization.get(key, (minute, 0.0))
            self._utilization[key] = (minute, max(highest, min(busy_count / allocated, 1.0)))

    def _publish_utilization(self, key: tuple[str, str], minute: int, value: float) -> None:
        function, qualifier = key
        dimensions: Dimensions = (("FunctionName", function), ("Resource", f"{function}:{qualifier}"))
        self._gauges.setdefault(minute, {})[series_key("ProvisionedConcurrencyUtilization", dimensions)] = value

    # --- handing over ----------------------------------------------------------------------------------------

    def pending_seconds(self) -> list[int]:
        return sorted(
            set(self._invocations)
            | set(self._counts)
            | set(self._gauges)
            | set(self._samples)
            | set(self._mapping_samples)
            | set(self._mapping_counts)
        )

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
            for name, value in self._gauges.pop(second, {}).items():
                stat = metrics.setdefault(name, Stat())
                stat.add(value)
            for (metric, key), values in self._samples.pop(second, {}).items():
                for dimensions in lambda_dimension_sets(*key):
                    _add_stat(metrics, series_key(metric, dimensions), _duration_stat(values))
            self._drain_mappings(metrics, second)
            out[second] = metrics
        return out

    def _drain_mappings(self, metrics: SecondMetrics, second: int) -> None:
        for (metric, esm), values in self._mapping_samples.pop(second, {}).items():
            target = self.mapping_targets.get(esm)
            if target is not None:
                for dimensions in lambda_dimension_sets(target[0], target[1], None, None):
                    _add_stat(metrics, series_key(metric, dimensions), _duration_stat(values))
        for (metric, esm), count in self._mapping_counts.pop(second, {}).items():
            target = self.mapping_targets.get(esm)
            if target is not None:
                for dimensions in lambda_dimension_sets(target[0], target[1], None, None):
                    _add_count(metrics, series_key(metric, dimensions), count)

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
        by_function: Dimensions = (("FunctionName", function),)
        if group.cold:
            _add_count(metrics, series_key(COLD_STARTS, by_function), group.cold)
        if group.timeouts:
            _add_count(metrics, series_key(TIMEOUTS, by_function), group.timeouts)


def _duration_stat(durations: list[float]) -> Stat:
    """Statistics and histogram of one group's values (Duration, AsyncEventAge, IteratorAge), at C speed (10,000
    durations a second)."""
    return Stat(
        count=len(durations),
        sum=math.fsum(durations),
        minimum=min(durations),
        maximum=max(durations),
        buckets=histogram.from_values(durations),
    )


def _add_stat(metrics: SecondMetrics, name: str, stat: Stat) -> None:
    merged = metrics.get(name)
    if merged is None:
        metrics[name] = Stat().merge(stat)
    else:
        merged.merge(stat)


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
