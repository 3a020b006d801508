"""The fast record writer (driver executemany / COPY) writes exactly what the multi-row INSERT path writes."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from invocations.engine.clock import VirtualClock
from invocations.engine.config import AccountConfig, AliasConfig, FunctionConfig, VersionConfig
from invocations.engine.profile import BehaviourProfile
from invocations.engine.registry import Registry
from invocations.engine.simulator import Engine, InvokeRequest
from invocations.models import InvocationMinute, InvocationRecord
from invocations.runtime.host.wiring import Fanout
from invocations.runtime.records import COLUMNS, RecordBuffer, records_compact, records_summary

pytestmark = pytest.mark.django_db


def test_the_fast_path_and_the_captured_path_write_identical_rows():
    fast, captured = RecordBuffer(), RecordBuffer()
    clock = VirtualClock(start=1_700_000_000.0)
    versions = {
        "$LATEST": VersionConfig(),
        "1": VersionConfig(profile=BehaviourProfile.from_dict({"duration_ms": {"mean": 40, "stddev": 9}})),
        "2": VersionConfig(profile=BehaviourProfile.from_dict({"duration_ms": 30, "error_rate": 0.5})),
    }
    fn = FunctionConfig("checkout", versions=versions, aliases={"prod": AliasConfig("1", {"2": 0.3})})
    registry = Registry(AccountConfig(concurrency_limit=120, unreserved_min=10), [fn])
    engine = Engine(clock, random.Random(3), sink=Fanout(fast, captured), registry=registry)
    engine.invoke_many([InvokeRequest("checkout:prod", {"i": i}) for i in range(150)])  # 30 throttled
    clock.run()
    assert len(fast) == len(captured) == 150

    assert fast.flush() == 150  # not capturing: the driver's own bulk path
    fast_rows = set(InvocationRecord.objects.values_list(*COLUMNS))
    InvocationRecord.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        assert captured.flush() == 150
    assert any(q["sql"].startswith("INSERT") for q in queries.captured_queries)
    captured_rows = set(InvocationRecord.objects.values_list(*COLUMNS))

    assert fast_rows == captured_rows
    outcomes = {row[COLUMNS.index("outcome")] for row in fast_rows}
    assert {"Success", "FunctionError", "Throttled"} <= outcomes
    log = COLUMNS.index("log")
    assert all(row[log].startswith("INIT_START") or "START RequestId" in row[log] or not row[log] for row in fast_rows)


def test_compaction_in_small_chunks_keeps_every_total():
    buffer = RecordBuffer()
    clock = VirtualClock(start=1_700_000_000.0)
    fn = FunctionConfig(
        "f", versions={"$LATEST": VersionConfig(profile=BehaviourProfile.from_dict({"duration_ms": 20}))}
    )
    engine = Engine(clock, random.Random(1), sink=buffer, registry=Registry(AccountConfig(), [fn]))
    for i in range(300):
        clock.schedule(i * 0.7, lambda: engine.invoke_many([InvokeRequest("f", {})]))
    clock.run()
    buffer.flush()
    before = records_summary("f")
    cutoff = 1_700_000_000.0 + 150
    old = InvocationRecord.objects.filter(completed_at__lt=cutoff).count()
    assert records_compact(older_than=cutoff, chunk=7) == old > 7 * 10  # many chunks
    assert not InvocationRecord.objects.filter(completed_at__lt=cutoff).exists()
    assert records_summary("f") == before
    assert sum(InvocationMinute.objects.values_list("count", flat=True)) == old
