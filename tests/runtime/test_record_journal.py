"""The invocation-record journal (issue 10): every journaled record reaches the database exactly once."""

from dataclasses import replace

import pytest

from invocations.engine.events import InvocationCompleted, InvocationType, Throttled
from invocations.engine.outcomes import InvokeResult, Outcome
from invocations.models import InvocationRecord
from invocations.runtime import record_journal
from invocations.runtime.records import COLUMNS, RecordBuffer, compacted, formatted

pytestmark = pytest.mark.django_db(transaction=True)


def rows(prefix: str, count: int) -> list[tuple]:
    values = {
        "function": "f", "qualifier": "$LATEST", "executed_version": "$LATEST", "source": "sdk",
        "invocation_type": "Event", "outcome": "Success", "throttle_reason": "", "cold_start": False,
        "provisioned": False, "attempt": 1, "duration_ms": 1.0, "billed_ms": 1, "init_ms": None,
        "started_at": 1.0, "completed_at": 2.0, "log": "", "env_id": 7,
    }  # fmt: skip
    return [tuple(f"{prefix}-{n}" if c == "request_id" else values[c] for c in COLUMNS) for n in range(count)]


def journal(redis_client, *batches) -> None:
    pipe = redis_client.pipeline(transaction=False)
    for batch in batches:
        record_journal.append(pipe, batch)
    pipe.execute()


def test_a_writer_killed_between_its_commit_and_the_trim_never_writes_an_entry_twice(redis_client):
    journal(redis_client, rows("a", 3), rows("b", 2))
    entries = redis_client.lrange(record_journal.JOURNAL, 0, -1)
    assert record_journal.drain_all(redis_client) == 5
    # As if the trim had never happened: the same entries are still at the head of the journal.
    redis_client.lpush(record_journal.JOURNAL, *reversed(entries))
    journal(redis_client, rows("c", 1))
    assert record_journal.drain_all(redis_client) == 1
    assert record_journal.pending(redis_client) == 0
    ids = sorted(InvocationRecord.objects.values_list("request_id", flat=True))
    assert ids == ["a-0", "a-1", "a-2", "b-0", "b-1", "c-0"]


def test_entries_journaled_after_redis_lost_its_data_are_still_written(redis_client):
    journal(redis_client, rows("before", 2))
    assert record_journal.drain_all(redis_client) == 2
    redis_client.flushdb()  # a Redis restarted without persistence: the sequence starts again, in a new epoch
    journal(redis_client, rows("after", 2))
    assert record_journal.drain_all(redis_client) == 2
    assert InvocationRecord.objects.filter(request_id__startswith="after").count() == 2


ARN = "arn:aws:lambda:eu-west-1:123456789012:function:f"  # its region is in INIT_START's runtime ARN


def completed(result: InvokeResult) -> InvocationCompleted:
    return InvocationCompleted(5.0, result, "sdk", InvocationType.EVENT, "f", "$LATEST", None, 1, 4.5)


def test_the_host_journals_raw_parts_and_the_writer_formats_exactly_the_text_of_the_log(redis_client):
    # semantics §9, §11: START/END/REPORT (Init Duration on a cold start only), the function's own lines, a
    # timeout's and a silent function error's line: written as InvokeResult.log_lines gives them
    base = InvokeResult(
        "r-warm", Outcome.SUCCESS, 200, "1", {"ok": 1}, duration_ms=12.345, billed_ms=13, function_arn=ARN
    )
    results = [
        base,
        replace(base, request_id="r-cold", cold_start=True, init_ms=211.5, runtime="python3.12", memory_size_mb=512),
        replace(base, request_id="r-logs", logs=("hello", "[INFO] done"), max_memory_used_mb=71),
        replace(
            base,
            request_id="r-timeout",
            outcome=Outcome.TIMEOUT,
            payload={"errorMessage": "2026-12-03T10:00:00Z r-timeout Error: Task timed out after 3.00 seconds"},
            duration_ms=3000.0,
            billed_ms=3000,
        ),
        replace(
            base,
            request_id="r-error",
            outcome=Outcome.FUNCTION_ERROR,
            payload={"errorType": "ValueError", "errorMessage": "bad order", "stackTrace": []},
            function_error="Unhandled",
        ),
        replace(base, request_id="r-error-logs", outcome=Outcome.FUNCTION_ERROR, payload={}, logs=("[ERROR] boom",)),
    ]
    buffer = RecordBuffer()
    for result in results:
        buffer.emit(completed(result))
    reason = "ReservedFunctionConcurrentInvocationLimitExceeded"
    buffer.emit(
        Throttled(5.0, "r-429", "f", "$LATEST", None, "$LATEST", reason, "sdk", InvocationType.REQUEST_RESPONSE)
    )
    rows = buffer.take()
    expected = {row[0]: row[16] for row in formatted(rows)}
    assert "REPORT RequestId" in expected["r-warm"] and "Init Duration: 211.50 ms" in expected["r-cold"]

    pipe = redis_client.pipeline(transaction=False)
    record_journal.append(pipe, compacted(rows))  # as durable_acks.DurableAcks.commit does, on the host's thread
    pipe.execute()
    (entry,) = redis_client.lrange(record_journal.JOURNAL, 0, -1)
    assert b"RequestId" not in entry  # no text journalled: only its parts
    assert record_journal.drain_all(redis_client) == len(rows)
    written = dict(InvocationRecord.objects.values_list("request_id", "log"))
    assert written == expected
