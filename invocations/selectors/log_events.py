"""The log store's reads: Lambda's CloudWatch Logs are the invocation records' log text, one stream per execution
environment (records.env_id), one event per line. Read by services/logs.py (the API) and the dashboard's log tail.

An event's timestamp is its invocation's start, except END and REPORT, which are stamped at its end; an event's
position is (record id, line), so pages never skip or repeat an event while records are being written."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q

from ..models import InvocationRecord
from ..rules.log_streams import stream_name

# Records one scan reads at a time (FilterLogEvents and GetLogEvents fetch this many rows per query).
CHUNK = 500


@dataclass(frozen=True)
class Stream:
    name: str
    version: str
    env_id: int
    first_at: float  # simulated epoch seconds
    last_at: float
    invocations: int


@dataclass(frozen=True)
class LogEvent:
    record_id: int
    line: int
    timestamp_ms: int
    ingestion_ms: int
    message: str
    version: str
    env_id: int


def logged(function: str):
    """The function's records that wrote log lines in an environment (throttles and pre-stream records have none)."""
    return InvocationRecord.objects.filter(function=function).exclude(log="").exclude(env_id=0)


def streams(function: str) -> list[Stream]:
    """Every stream of the function's log group, one per (executed version, environment)."""
    rows = (
        logged(function)
        .values("executed_version", "env_id")
        .annotate(first=Min("started_at"), last=Max("completed_at"), count=Count("id"))
    )
    return [
        Stream(
            name=stream_name(function=function, version=r["executed_version"], env_id=r["env_id"], first_at=r["first"]),
            version=r["executed_version"],
            env_id=r["env_id"],
            first_at=r["first"],
            last_at=r["last"],
            invocations=r["count"],
        )
        for r in rows
    ]


def _events(rows: Iterable[dict]) -> Iterator[LogEvent]:
    for row in rows:
        start, end = int(row["started_at"] * 1000), int(row["completed_at"] * 1000)
        for line, message in enumerate(row["log"].split("\n")):
            at = end if message.startswith(("END RequestId", "REPORT RequestId")) else start
            yield LogEvent(row["id"], line, at, end, message, row["executed_version"], row["env_id"])


_FIELDS = ("id", "started_at", "completed_at", "log", "executed_version", "env_id")


def _in_time(records, start_ms: int | None, end_ms: int | None):
    # A record holds events from its start to its end: keep those that overlap [start, end).
    if start_ms is not None:
        records = records.filter(completed_at__gte=start_ms / 1000)
    if end_ms is not None:
        records = records.filter(started_at__lt=end_ms / 1000)
    return records


def _keep(event: LogEvent, start_ms: int | None, end_ms: int | None) -> bool:
    return (start_ms is None or event.timestamp_ms >= start_ms) and (end_ms is None or event.timestamp_ms < end_ms)


def stream_events(
    function: str,
    stream: Stream,
    *,
    after: tuple[int, int] | None = None,
    before: tuple[int, int] | None = None,
    start_ms: int | None = None,
    end_ms: int | None = None,
    limit: int,
    from_head: bool,
) -> list[LogEvent]:
    """Up to `limit` events of one stream in order: the first ones after `after` (or from the head), or the last
    ones before `before` (or at the tail) when reading backwards."""
    records = _in_time(logged(function).filter(executed_version=stream.version, env_id=stream.env_id), start_ms, end_ms)
    forward = after is not None or (before is None and from_head)
    if forward:
        if after is not None:
            records = records.filter(id__gte=after[0])
        ordered = records.order_by("id")
    else:
        if before is not None:
            records = records.filter(id__lte=before[0])
        ordered = records.order_by("-id")
    picked: list[LogEvent] = []
    offset = 0
    while len(picked) < limit:
        rows = list(ordered.values(*_FIELDS)[offset : offset + CHUNK])
        if not rows:
            break
        offset += len(rows)
        for row in rows:
            events = [e for e in _events([row]) if _keep(e, start_ms, end_ms)]
            if forward:
                events = [e for e in events if after is None or (e.record_id, e.line) > after]
                picked.extend(events[: limit - len(picked)])
            else:
                events = [e for e in events if before is None or (e.record_id, e.line) < before]
                picked[:0] = events[-(limit - len(picked)) :] if events else []
            if len(picked) >= limit:
                break
    return picked


def filtered_events(
    function: str,
    streams_by_key: dict[tuple[str, int], Stream],
    *,
    matches,
    after: tuple[int, int] | None,
    start_ms: int | None,
    end_ms: int | None,
    limit: int,
    scan_limit: int,
) -> tuple[list[tuple[Stream, LogEvent]], tuple[int, int] | None]:
    """Matching events of the chosen streams in record order, and where to go on from (None: nothing left).
    At most `scan_limit` records are read per call, so a rare term over a long history answers a page with fewer
    events (even none) and a token, as AWS does."""
    records = _in_time(logged(function), start_ms, end_ms)
    envs = {env for _, env in streams_by_key}
    if len(envs) <= 100:
        records = records.filter(env_id__in=envs)
    if after is not None:
        records = records.filter(id__gte=after[0])
    ordered = records.order_by("id")
    found: list[tuple[Stream, LogEvent]] = []
    offset = 0
    last: tuple[int, int] | None = after
    while offset < scan_limit:
        rows = list(ordered.values(*_FIELDS)[offset : offset + min(CHUNK, scan_limit - offset)])
        if not rows:
            return found, None
        offset += len(rows)
        for event in _events(rows):
            if after is not None and (event.record_id, event.line) <= after:
                continue
            last = (event.record_id, event.line)
            stream = streams_by_key.get((event.version, event.env_id))
            if stream is None or not _keep(event, start_ms, end_ms) or not matches(event.message):
                continue
            found.append((stream, event))
            if len(found) >= limit:
                return found, last
    more = ordered.filter(~Q(id__lte=last[0])).exists() if last is not None else False
    return found, (last if more else None)


def recent_invocations(function: str, version: str | None, *, limit: int) -> list[dict]:
    """The dashboard's log tail: the newest invocations' lines, newest first, with the stream each went to."""
    records = InvocationRecord.objects.filter(function=function).exclude(log="")
    if version:
        records = records.filter(executed_version=version)
    rows = records.order_by("-completed_at").values(
        "request_id", "executed_version", "outcome", "cold_start", "started_at", "completed_at", "log", "env_id"
    )[:limit]
    firsts = _first_starts(function, {(r["executed_version"], r["env_id"]) for r in rows if r["env_id"]})
    entries = []
    for row in rows:
        key = (row["executed_version"], row["env_id"])
        stream = ""
        if key in firsts:
            stream = stream_name(function=function, version=key[0], env_id=key[1], first_at=firsts[key])
        entries.append(
            {
                "request_id": row["request_id"],
                "executed_version": row["executed_version"],
                "outcome": row["outcome"],
                "cold_start": row["cold_start"],
                "completed_at": row["completed_at"],
                "log_stream": stream,
                "lines": row["log"].splitlines(),
            }
        )
    return entries


def _first_starts(function: str, keys: set[tuple[str, int]]) -> dict[tuple[str, int], float]:
    if not keys:
        return {}
    rows = (
        logged(function)
        .filter(env_id__in={env for _, env in keys})
        .values("executed_version", "env_id")
        .annotate(first=Min("started_at"))
    )
    return {(r["executed_version"], r["env_id"]): r["first"] for r in rows}
