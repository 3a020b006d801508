"""Invocation records: buffered from engine events, written in bulk, and compacted into per-minute aggregates."""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading

from django.db import close_old_connections, connection, transaction
from django.db.models import Count, F, Q, Sum

from ..engine.events import Event, InvocationCompleted, Throttled
from ..engine.outcomes import InvokeResult, Outcome
from ..models import InvocationMinute, InvocationRecord

# The columns RecordBuffer writes, in its tuples' order (the model keeps every other detail).
COLUMNS = (
    "request_id",
    "function",
    "qualifier",
    "executed_version",
    "source",
    "invocation_type",
    "outcome",
    "throttle_reason",
    "cold_start",
    "provisioned",
    "attempt",
    "duration_ms",
    "billed_ms",
    "init_ms",
    "started_at",
    "completed_at",
    "log",
    "env_id",  # the environment that ran it: its CloudWatch log stream (services/logs.py)
)
# Rows per INSERT statement: under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
ROWS_PER_STATEMENT = 1000


log = logging.getLogger(__name__)


class RecordBuffer:
    """An engine EventSink that keeps records in memory until `flush()` writes them in bulk.

    Rows are plain tuples written by write_rows: no model instances and no ORM query compilation on the hot path
    (they cost more than the engine itself at 10,000 invocations/s). The log text is formatted at flush time.
    """

    def __init__(self) -> None:
        self._rows: list[tuple] = []

    def __len__(self) -> int:
        return len(self._rows)

    def emit(self, event: Event) -> None:
        cls = type(event)
        if cls is InvocationCompleted:
            result = event.result
            self._rows.append(
                (
                    result.request_id,
                    event.function,
                    event.qualifier,
                    result.executed_version or "",
                    event.source,
                    str(event.invocation_type),
                    str(result.outcome),
                    "",
                    result.cold_start,
                    event.provisioned,
                    event.attempt,
                    result.duration_ms,
                    result.billed_ms,
                    result.init_ms,
                    event.started_at,
                    event.at,
                    result,  # formatted into the log text at flush
                    event.env_id,
                )
            )
        elif cls is Throttled:
            self._rows.append(
                (
                    event.request_id,
                    event.function,
                    event.qualifier,
                    event.version,
                    event.source,
                    str(event.invocation_type),
                    "Throttled",
                    event.reason,
                    False,
                    False,
                    1,
                    0.0,
                    0,
                    None,
                    event.at,
                    event.at,
                    "",
                    0,  # a throttle ran in no environment
                )
            )

    def flush(self) -> int:
        """Write what is buffered now, on this thread."""
        rows, self._rows = self._rows, []
        if rows:
            write_rows(formatted(rows))
        return len(rows)

    def take(self) -> list[tuple]:
        """What is buffered now, emptying the buffer (the host journals it: durable_acks.DurableAcks.commit)."""
        rows, self._rows = self._rows, []
        return rows

    def put_back(self, rows: list[tuple]) -> None:
        """Rows taken but not journaled (Redis refused): they go first next time."""
        self._rows[:0] = rows

    def hand_over(self, writer: RecordWriter) -> int:
        """Give what is buffered to a background writer (the engine host's loop must not wait for the database)."""
        rows, self._rows = self._rows, []
        if rows:
            writer.submit(rows)
        return len(rows)


def formatted(rows: list[tuple]) -> list[tuple]:
    """Rows with their log text formatted (the buffer keeps the engine's result until then)."""
    join = "\n".join
    return [row if type(row[16]) is str else (*row[:16], join(row[16].log_lines()), row[17]) for row in rows]


# --- The journal's compact rows: the log's raw parts, formatted into text on the writer thread --------------------
#
# Formatting START/END/REPORT and journalling the text cost the engine host's thread about a tenth of its time at
# 10,000 invocations/s. The journal keeps instead what the text is made of (JSON-ready), and the writer formats
# it with the engine's own InvokeResult.log_lines when it writes to the database: one format, the same text.
_ERROR_OUTCOMES = (Outcome.FUNCTION_ERROR, Outcome.TIMEOUT)


def compacted(rows: list[tuple]) -> list[tuple]:
    """Rows as the journal keeps them (record_journal.append): the log column holds raw_log(result), not text."""
    return [row if type(row[16]) is str else (*row[:16], raw_log(row[16]), row[17]) for row in rows]


def raw_log(result: InvokeResult) -> list:
    """What log_lines needs beyond the row's own columns: [memory, max memory used] for a plain warm success (the
    common case), else also the version, the function's own lines, the ARN and runtime (INIT_START) and the error
    body's type and message (the lines a timeout or a silent function error prints)."""
    if result.outcome is Outcome.SUCCESS and result.init_ms is None and not result.logs and result.executed_version:
        return [result.memory_size_mb, result.max_memory_used_mb]
    error = None
    if result.outcome in _ERROR_OUTCOMES and isinstance(result.payload, dict):
        error = {k: result.payload[k] for k in ("errorType", "errorMessage") if k in result.payload}
    return [
        result.memory_size_mb,
        result.max_memory_used_mb,
        result.executed_version,
        list(result.logs),
        result.function_arn,
        result.runtime,
        error,
    ]


def expanded(row: list | tuple) -> tuple:
    """A journalled row (compact, or with its text already) as write_rows takes it: the log text formatted. A row
    journalled before records had an env_id (17 columns) gets environment 0."""
    env_id = row[17] if len(row) > 17 else 0
    raw = row[16]
    if type(raw) is not list:
        return (*row[:17], env_id)
    if len(raw) == 2:
        version, logs, arn, runtime, error = row[3], (), "", "", None
    else:
        version, logs, arn, runtime, error = raw[2:]
    result = InvokeResult(
        request_id=row[0],
        outcome=Outcome(row[6]),
        status_code=200,
        executed_version=version,
        payload=error or {},
        duration_ms=row[11],
        billed_ms=row[12],
        init_ms=row[13],
        memory_size_mb=raw[0],
        max_memory_used_mb=raw[1],
        function_arn=arn,
        logs=tuple(logs),
        runtime=runtime,
    )
    return (*row[:16], "\n".join(result.log_lines()), env_id)


class RecordWriter:
    """A thread that formats log lines and inserts records, so the host's loop goes on meanwhile (the database
    drivers release the GIL while they write). `drain()` waits until everything handed over is written."""

    def __init__(self, max_batches: int = 40) -> None:
        # Bounded: if the database falls far behind, the host slows down rather than memory growing without end.
        self._queue: queue.Queue[list[tuple] | None] = queue.Queue(maxsize=max_batches)
        self._thread = threading.Thread(target=self._run, name="record-writer", daemon=True)
        self._thread.start()

    def submit(self, rows: list[tuple]) -> None:
        self._queue.put(rows)

    def drain(self) -> None:
        self._queue.join()

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=30)

    def _run(self) -> None:
        try:
            while (rows := self._queue.get()) is not None:
                try:
                    close_old_connections()  # a database restarted meanwhile: reconnect rather than fail forever
                    write_rows(formatted(rows))
                except Exception:  # a failed insert loses these records, never the simulation
                    log.exception("could not write %d invocation records", len(rows))
                finally:
                    self._queue.task_done()
            self._queue.task_done()
        finally:
            connection.close()  # this thread's own database connection


def write_rows(values: list[tuple]) -> None:
    """Insert InvocationRecord rows (tuples in COLUMNS order) in one transaction, as fast as the database allows.

    SQLite: executemany on the driver's cursor (the loop runs in C). PostgreSQL: COPY. Either way the DB-API cursor
    is used directly: with DEBUG on, Django's debug cursor would format every parameter into its query log, which
    alone cost more than the insert. When queries are being captured (tests, the debug toolbar), the rows go
    through Django's cursor as multi-row INSERT statements instead, so they stay visible there.
    """
    meta = InvocationRecord._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(meta.get_field(name).column) for name in COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.force_debug_cursor:
            row = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
            for start in range(0, len(values), ROWS_PER_STATEMENT):
                chunk = values[start : start + ROWS_PER_STATEMENT]
                params = [value for entry in chunk for value in entry]
                cursor.execute(f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([row] * len(chunk)), params)
        elif connection.vendor == "sqlite":
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['?'] * len(COLUMNS))})"
            sqlite3.Cursor.executemany(cursor.cursor, sql, values)
        elif connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for entry in values:
                    copy.write_row(entry)
        else:
            row = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
            cursor.cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {row}", values)


def records_compact(*, older_than: float, chunk: int = 5000) -> int:
    """Fold every record completed before `older_than` (simulated time) into InvocationMinute rows; returns how many.

    Retention stays bounded however long a class runs, and charts of older minutes still add up. Works in chunks
    of `chunk` records, oldest first, one short transaction each, whose FIRST statement is the write: DELETE ...
    RETURNING the columns to fold. On SQLite a transaction that reads first and writes later cannot wait for
    the host's inserts (the upgrade fails at once with "database is locked"), and one long transaction held the
    write lock for seconds; at 10,000 invocations/s either made compaction fail and the table grow without bound.
    Deleting and reading in one statement also means two compactions running at once never count a row twice.
    """
    meta = InvocationRecord._meta
    quote = connection.ops.quote_name
    returning = ", ".join(quote(meta.get_field(name).column) for name in _FOLDED)
    total = 0
    while True:
        ids = list(
            InvocationRecord.objects.filter(completed_at__lt=older_than)
            .order_by("completed_at")
            .values_list("id", flat=True)[:chunk]
        )
        if not ids:
            return total
        with transaction.atomic(), connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(
                f"DELETE FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} IN ({marks}) RETURNING {returning}",
                ids,
            )
            rows = cursor.fetchall()
            _fold(rows)
        total += len(rows)


# The columns a compaction folds, in the order _fold reads them.
_FOLDED = ("function", "executed_version", "outcome", "completed_at", "cold_start", "duration_ms", "billed_ms")


def _fold(rows) -> None:
    # Grouped by minute in Python: the float-to-minute cast differs between SQLite and PostgreSQL.
    totals: dict[tuple[str, str, str, int], list[float]] = {}
    for function, version, outcome, completed_at, cold, duration, billed in rows:
        key = (function, version, outcome, int(completed_at // 60))
        entry = totals.get(key)
        if entry is None:
            entry = totals[key] = [0, 0, 0.0, 0]
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
