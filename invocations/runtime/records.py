"""Invocation records: buffered from engine events, written in bulk, and compacted into per-minute aggregates."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, F, Q, Sum

from ..engine.events import Event, InvocationCompleted, Throttled
from ..models import InvocationMinute, InvocationRecord


class RecordBuffer:
    """An engine EventSink that keeps records in memory until `flush()` writes them with one bulk insert."""

    def __init__(self) -> None:
        self._rows: list[InvocationRecord] = []

    def __len__(self) -> int:
        return len(self._rows)

    def emit(self, event: Event) -> None:
        if type(event) is InvocationCompleted:
            result = event.result
            self._rows.append(
                InvocationRecord(
                    request_id=result.request_id,
                    function=event.function,
                    qualifier=event.qualifier,
                    executed_version=result.executed_version or "",
                    source=event.source,
                    invocation_type=str(event.invocation_type),
                    outcome=str(result.outcome),
                    cold_start=result.cold_start,
                    provisioned=event.provisioned,
                    attempt=event.attempt,
                    duration_ms=result.duration_ms,
                    billed_ms=result.billed_ms,
                    init_ms=result.init_ms,
                    started_at=event.started_at,
                    completed_at=event.at,
                    log="\n".join(result.log_lines()),
                )
            )
        elif type(event) is Throttled:
            self._rows.append(
                InvocationRecord(
                    request_id=event.request_id,
                    function=event.function,
                    qualifier=event.qualifier,
                    executed_version=event.version,
                    source=event.source,
                    invocation_type=str(event.invocation_type),
                    outcome="Throttled",
                    throttle_reason=event.reason,
                    started_at=event.at,
                    completed_at=event.at,
                )
            )

    def flush(self) -> int:
        rows, self._rows = self._rows, []
        if rows:
            InvocationRecord.objects.bulk_create(rows, batch_size=1000)
        return len(rows)


def records_compact(*, older_than: float) -> int:
    """Fold every record completed before `older_than` (simulated time) into InvocationMinute rows; returns how many.

    Retention stays bounded however long a class runs, and charts of older minutes still add up.
    """
    with transaction.atomic():
        old = InvocationRecord.objects.filter(completed_at__lt=older_than)
        # Grouped by minute in Python: the float-to-minute cast differs between SQLite and PostgreSQL.
        totals: dict[tuple[str, str, str, int], list[float]] = {}
        for function, version, outcome, completed_at, cold, duration, billed in old.values_list(
            "function", "executed_version", "outcome", "completed_at", "cold_start", "duration_ms", "billed_ms"
        ).iterator(chunk_size=5000):
            key = (function, version, outcome, int(completed_at // 60))
            entry = totals.setdefault(key, [0, 0, 0.0, 0])
            entry[0] += 1
            entry[1] += int(cold)
            entry[2] += duration
            entry[3] += billed
        for (function, version, outcome, minute), (count, cold, duration, billed) in totals.items():
            row, _ = InvocationMinute.objects.select_for_update().get_or_create(
                function=function, executed_version=version, outcome=outcome, minute=minute
            )
            InvocationMinute.objects.filter(pk=row.pk).update(
                count=F("count") + count,
                cold_starts=F("cold_starts") + cold,
                duration_ms_total=F("duration_ms_total") + duration,
                billed_ms_total=F("billed_ms_total") + billed,
            )
        deleted, _ = old.delete()
    return deleted


def records_summary(function: str) -> dict[str, int]:
    """Counts by outcome over kept records plus aggregates, so compaction never changes a total."""
    kept = InvocationRecord.objects.filter(function=function).aggregate(
        total=Count("id"), errors=Count("id", filter=Q(outcome__in=["FunctionError", "Timeout"]))
    )
    folded = InvocationMinute.objects.filter(function=function).aggregate(
        total=Sum("count"), errors=Sum("count", filter=Q(outcome__in=["FunctionError", "Timeout"]))
    )
    return {
        "total": kept["total"] + (folded["total"] or 0),
        "errors": kept["errors"] + (folded["errors"] or 0),
    }
