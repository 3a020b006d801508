"""The invocation-record journal (issue 10): every journaled record reaches the database exactly once."""

import pytest

from invocations.models import InvocationRecord
from invocations.runtime import record_journal
from invocations.runtime.records import COLUMNS

pytestmark = pytest.mark.django_db(transaction=True)


def rows(prefix: str, count: int) -> list[tuple]:
    values = {
        "function": "f", "qualifier": "$LATEST", "executed_version": "$LATEST", "source": "sdk",
        "invocation_type": "Event", "outcome": "Success", "throttle_reason": "", "cold_start": False,
        "provisioned": False, "attempt": 1, "duration_ms": 1.0, "billed_ms": 1, "init_ms": None,
        "started_at": 1.0, "completed_at": 2.0, "log": "",
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
