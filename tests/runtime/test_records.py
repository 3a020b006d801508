"""Invocation records: written in bulk from engine events, compacted into per-minute totals (issue 4, point 4)."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from invocations.engine.clock import VirtualClock
from invocations.engine.config import AliasConfig, FunctionConfig, VersionConfig
from invocations.engine.profile import BehaviourProfile
from invocations.engine.simulator import Engine
from invocations.models import InvocationMinute, InvocationRecord
from invocations.runtime.records import RecordBuffer, records_compact, records_summary

pytestmark = pytest.mark.django_db


def run_traffic(buffer: RecordBuffer, count: int, reserved: int | None = None, start: float = 1_700_000_000.0):
    clock = VirtualClock(start=start)
    engine = Engine(clock, random.Random(5), sink=buffer)
    versions = {
        "$LATEST": VersionConfig(),
        "1": VersionConfig(profile=BehaviourProfile.from_dict({"duration_ms": 50})),
        "2": VersionConfig(profile=BehaviourProfile.from_dict({"duration_ms": 50, "error_rate": 1.0})),
    }
    engine.put_function(
        FunctionConfig(
            "checkout", versions=versions, aliases={"prod": AliasConfig("1", {"2": 0.2})}, reserved_concurrency=reserved
        )
    )
    for i in range(count):
        clock.schedule(i * 0.5, lambda i=i: engine.invoke_sync("checkout:prod", {"i": i}, on_complete=lambda r: None))
    clock.run(until=start + count * 0.5 + 10)


def test_every_invocation_becomes_one_record_with_its_log_written_in_one_bulk_insert():
    buffer = RecordBuffer()
    run_traffic(buffer, 40)
    assert len(buffer) == 40
    with CaptureQueriesContext(connection) as queries:
        assert buffer.flush() == 40
    assert len([q for q in queries.captured_queries if q["sql"].startswith("INSERT")]) == 1
    first = InvocationRecord.objects.order_by("started_at").first()
    assert first.cold_start and first.init_ms is not None
    assert first.log.splitlines()[1].startswith(f"START RequestId: {first.request_id} Version: ")
    assert "Init Duration" in first.log.splitlines()[-1]
    warm = InvocationRecord.objects.filter(cold_start=False).first()
    assert "Init Duration" not in warm.log  # semantics §9: only cold starts report Init Duration
    versions = set(InvocationRecord.objects.values_list("executed_version", flat=True))
    assert versions == {"1", "2"}
    assert set(InvocationRecord.objects.filter(executed_version="2").values_list("outcome", flat=True)) == {
        "FunctionError"
    }


def test_throttles_are_recorded_with_their_reason():
    buffer = RecordBuffer()
    run_traffic(buffer, 10, reserved=0)
    buffer.flush()
    reasons = set(InvocationRecord.objects.values_list("outcome", "throttle_reason"))
    assert reasons == {("Throttled", "ReservedFunctionConcurrentInvocationLimitExceeded")}


def test_compaction_folds_old_records_into_minutes_without_changing_any_total():
    buffer = RecordBuffer()
    run_traffic(buffer, 400)  # 200 simulated seconds of traffic
    buffer.flush()
    before = records_summary("checkout")
    cutoff = 1_700_000_000.0 + 120
    old_count = InvocationRecord.objects.filter(completed_at__lt=cutoff).count()
    assert records_compact(older_than=cutoff) == old_count > 0
    assert not InvocationRecord.objects.filter(completed_at__lt=cutoff).exists()
    assert InvocationMinute.objects.exists()
    assert records_summary("checkout") == before
    # Compacting again, later, adds into the same minute rows rather than duplicating them.
    records_compact(older_than=cutoff + 1000)
    assert InvocationRecord.objects.count() == 0
    assert records_summary("checkout") == before


@pytest.mark.django_db(transaction=True)
def test_the_writer_thread_writes_in_the_background_and_survives_a_failed_batch(caplog):
    from invocations.runtime.records import RecordWriter

    good = RecordBuffer()
    run_traffic(good, 10)
    writer = RecordWriter()
    try:
        writer.submit([("not", "a", "record")])  # a malformed batch fails on its own...
        assert good.hand_over(writer) == 10  # ...and the next one is still written
        writer.drain()
    finally:
        writer.close()
    assert InvocationRecord.objects.count() == 10
    assert "could not write 1 invocation records" in caplog.text
