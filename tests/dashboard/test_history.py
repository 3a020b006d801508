"""The charts' history (issue 6): per-second series from invocation records and compacted minutes."""

import pytest

from invocations.dashboard import history
from invocations.dashboard.history import invocation_history
from invocations.models import InvocationRecord
from invocations.runtime.records import records_compact
from invocations.runtime.shared_clock import SharedClock
from tests.factories import invocation_record as record

pytestmark = pytest.mark.django_db

T0 = 1_800_000_000.0  # a simulated second on a minute boundary


def by_second(result):
    return {b["t"]: b for b in result["buckets"]}


def test_counts_by_executed_version_errors_timeouts_throttles_and_cold_starts_land_in_their_second():
    InvocationRecord.objects.bulk_create(
        [
            record(T0 + 10.2, version="1", cold=True),
            record(T0 + 10.5, version="1"),
            record(T0 + 10.7, version="2", outcome="FunctionError"),
            record(T0 + 10.8, version="2", outcome="Timeout"),
            record(T0 + 10.9, outcome="Throttled"),
            record(T0 + 11.1, version="2"),
            record(T0 + 11.2, version="1", fn="other"),
        ]
    )
    result = invocation_history(function="checkout", until=T0 + 12)
    seconds = by_second(result)
    assert sorted(seconds) == [T0 + 10, T0 + 11]
    first = seconds[T0 + 10]
    # Throttles are not invocations of any version: they are counted on their own.
    assert first["versions"] == {"1": 2, "2": 2}
    assert (first["errors"], first["timeouts"], first["throttles"], first["cold"]) == (1, 1, 1, 1)
    assert seconds[T0 + 11]["versions"] == {"2": 1}
    assert result["sample"] == 1


def test_duration_percentiles_and_mean_concurrency_come_from_the_records():
    # Ten invocations of 500 ms ending in second 20: five busy seconds in all, split over seconds 19 and 20.
    durations = [100.0 * k for k in range(1, 11)]
    InvocationRecord.objects.bulk_create([record(T0 + 20.5, duration_ms=d) for d in durations])
    seconds = by_second(invocation_history(function="checkout", until=T0 + 30))
    assert seconds[T0 + 20]["p50"] == 600.0
    assert seconds[T0 + 20]["p95"] == 1000.0
    # Each started at 20.5 - d and overlaps [20, 20.5) by min(d, 0.5 s), and second 19 by the rest.
    assert seconds[T0 + 20]["concurrency"] == pytest.approx(0.1 + 0.2 + 0.3 + 0.4 + 0.5 * 6)
    assert seconds[T0 + 19]["concurrency"] == pytest.approx(0.1 + 0.2 + 0.3 + 0.4 + 0.5)
    assert seconds[T0 + 19]["versions"] == {}  # ran there, but completed in the next second


def test_only_the_window_before_until_is_read():
    InvocationRecord.objects.bulk_create([record(T0 + 1.5), record(T0 + 100.5), record(T0 + 400.5)])
    seconds = by_second(invocation_history(function="checkout", until=T0 + 301, seconds=300))
    assert sorted(seconds) == [T0 + 100]


def test_compacted_minutes_still_add_up_spread_over_their_seconds():
    InvocationRecord.objects.bulk_create(
        [record(T0 + 5 + i * 0.5, version="1", cold=i < 6) for i in range(60)]  # 60 in the first minute
        + [record(T0 + 61.5, version="2")]
    )
    assert records_compact(older_than=T0 + 60) == 60
    result = invocation_history(function="checkout", until=T0 + 62)
    seconds = by_second(result)
    assert len(seconds) == 61  # every second of the folded minute, plus the record kept whole
    assert seconds[T0]["versions"] == {"1": 1}  # 60 invocations over 60 seconds
    assert seconds[T0]["cold"] == pytest.approx(0.1)
    assert seconds[T0]["concurrency"] == pytest.approx(60 * 0.1 / 60)
    assert seconds[T0]["p50"] is None  # a minute keeps no percentiles
    assert sum(b["versions"].get("1", 0) for b in result["buckets"]) == pytest.approx(60)
    assert seconds[T0 + 61]["versions"] == {"2": 1}


def test_a_large_window_is_read_through_a_bounded_sample(monkeypatch):
    monkeypatch.setattr(history, "MAX_SAMPLE", 10)
    InvocationRecord.objects.bulk_create([record(T0 + 40.9, duration_ms=200.0) for _ in range(100)])
    result = invocation_history(function="checkout", until=T0 + 50)
    assert result["sample"] == 10
    (bucket,) = result["buckets"]
    assert bucket["versions"] == {"1": 100}  # counts stay exact
    assert bucket["concurrency"] == pytest.approx(100 * 0.2)  # ten sampled rows, each weighing ten


def test_without_a_clock_the_window_ends_after_the_newest_record():
    InvocationRecord.objects.bulk_create([record(T0 + 7.5)])
    result = invocation_history(function="checkout", until=None)
    assert [b["t"] for b in result["buckets"]] == [T0 + 7]


def test_the_history_endpoint_is_public_and_ends_at_the_simulated_now(client, redis_client):
    from invocations.services.demo import demo_seed

    demo_seed()
    now = SharedClock(redis_client).now()
    at = int(now) - 3 + 0.5  # mid-second, so the 100 ms run stays inside it
    InvocationRecord.objects.bulk_create([record(at, version="2"), record(at, outcome="Throttled")])
    response = client.get("/dashboard/api/functions/checkout/history?seconds=60")
    assert response.status_code == 200
    body = response.json()
    assert body["until"] >= now and body["since"] == int(body["until"]) - 59
    (bucket,) = body["buckets"]
    assert bucket["versions"] == {"2": 1} and bucket["throttles"] == 1


@pytest.mark.parametrize(
    ("url", "status", "error_type"),
    [
        ("/dashboard/api/functions/checkout/history?seconds=0", 400, "InvalidParameterValueException"),
        ("/dashboard/api/functions/checkout/history?seconds=many", 400, "InvalidParameterValueException"),
        ("/dashboard/api/functions/nope/history", 404, "ResourceNotFoundException"),
    ],
)
def test_bad_history_requests_get_aws_shaped_errors(client, redis_client, url, status, error_type):
    from invocations.services.demo import demo_seed

    demo_seed()
    response = client.get(url)
    assert response.status_code == status
    assert response["x-amzn-ErrorType"] == error_type
