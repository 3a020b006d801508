"""The charts' history (issue 6), read from the metric store (issue 13 point 1), never from invocation records."""

import math

import pytest

from invocations.engine.events import InvocationCompleted, InvocationType, Throttled
from invocations.engine.outcomes import InvokeResult, Outcome
from invocations.runtime.metrics.writer import MetricWriter
from invocations.runtime.shared_clock import SharedClock
from invocations.services.metric_history import function_history

pytestmark = pytest.mark.django_db

T0 = 1_800_000_000.0  # a simulated second on a minute boundary


@pytest.fixture
def writer(redis_client, settings):
    settings.LAMBDAVIZ_METRICS_SECOND_RETENTION_S = 10**10  # T0 is in the past of the test's clock
    return MetricWriter(redis_client, second_retention_s=10**10, minute_retention_s=10**10)


def completed(
    at, *, version="1", qualifier="prod", alias="prod", outcome=Outcome.SUCCESS, cold=False, ms=100.0, fn="checkout"
):
    result = InvokeResult("rid", outcome, 200, version, None, cold_start=cold, duration_ms=ms)
    return InvocationCompleted(
        at, result, "sdk", InvocationType.REQUEST_RESPONSE, fn, qualifier, alias, 1, at - ms / 1000
    )


def throttled(at):
    reason = "ReservedFunctionConcurrentInvocationLimitExceeded"
    return Throttled(at, "t", "checkout", "prod", "prod", "1", reason, "sdk", InvocationType.REQUEST_RESPONSE)


def write(writer, events, *, busy=()):
    for event in events:
        writer.emit(event)
    for at, environments in busy:
        writer.observe_concurrency(at, environments)
    writer.flush(T0 + 3600, final=True)


def by_second(result):
    return {b["t"]: b for b in result["buckets"]}


def test_counts_by_executed_version_errors_timeouts_throttles_and_cold_starts_land_in_their_second(writer):
    write(
        writer,
        [
            completed(T0 + 10.2, cold=True),
            completed(T0 + 10.5),
            completed(T0 + 10.7, version="2", outcome=Outcome.FUNCTION_ERROR),
            completed(T0 + 10.8, version="2", outcome=Outcome.TIMEOUT),
            completed(T0 + 10.85, version="2", qualifier="2", alias=None),  # a version called directly
            completed(T0 + 10.9, version="$LATEST", qualifier="$LATEST", alias=None),  # unqualified
            throttled(T0 + 10.95),
            completed(T0 + 11.1, version="2"),
            completed(T0 + 11.2, fn="other"),
        ],
    )
    result = function_history(function="checkout", until=T0 + 12)
    seconds = by_second(result)
    assert sorted(seconds) == [T0 + 10, T0 + 11]
    first = seconds[T0 + 10]
    assert first["versions"] == {"1": 2, "2": 3, "$LATEST": 1}
    assert (first["errors"], first["timeouts"], first["throttles"], first["cold"]) == (1, 1, 1, 1)
    assert seconds[T0 + 11]["versions"] == {"2": 1}
    assert result["since"] == T0 + 12 - 300 + 1 and result["bucket_s"] == 1


def test_duration_percentiles_and_concurrency_come_from_the_stores_histogram_and_gauge(writer):
    events = [completed(T0 + 20 + i / 100, ms=float(ms)) for i, ms in enumerate(range(10, 1010, 10))]
    write(writer, events, busy=[(T0 + 20.5, [("checkout", "1", False)] * 7), (T0 + 20.9, [("checkout", "1", False)])])
    bucket = by_second(function_history(function="checkout", until=T0 + 30))[T0 + 20]
    assert bucket["p50"] == pytest.approx(500.0, rel=0.03)
    assert bucket["p95"] == pytest.approx(950.0, rel=0.03)
    assert bucket["concurrency"] == 7  # the second's highest sample (AWS reads ConcurrentExecutions as Maximum)


def test_only_the_window_before_until_is_read(writer):
    write(writer, [completed(T0 + 0.5), completed(T0 + 150.5), completed(T0 + 301.5)])
    seconds = by_second(function_history(function="checkout", until=T0 + 301, seconds=300))
    assert sorted(seconds) == [T0 + 150]


def test_the_history_endpoint_is_public_and_ends_at_the_simulated_now(client, redis_client, settings):
    from invocations.services.demo import demo_seed

    demo_seed()
    now = SharedClock(redis_client).now()
    writer = MetricWriter(
        redis_client,
        second_retention_s=settings.LAMBDAVIZ_METRICS_SECOND_RETENTION_S,
        minute_retention_s=settings.LAMBDAVIZ_METRICS_MINUTE_RETENTION_S,
    )
    at = math.floor(now) - 3 + 0.5
    writer.emit(completed(at, version="2"))
    writer.emit(throttled(at))
    writer.flush(now, final=True)
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
