"""The metric store in Redis (issue 13 point 1): the host writes AWS/Lambda metrics per simulated second, the
reader answers from 1-second hashes in the recent window and from 1-minute rollups before it."""

from __future__ import annotations

import math

import pytest

from invocations.engine.events import InvocationCompleted, InvocationType
from invocations.engine.metrics.series import series_key
from invocations.engine.outcomes import InvokeResult, Outcome
from invocations.models import InvocationRecord
from invocations.runtime.host.wiring import build_host
from invocations.runtime.metrics.keys import minute_key, second_key
from invocations.runtime.metrics.reader import MetricReader, Query
from invocations.runtime.metrics.writer import MetricWriter
from invocations.runtime.publisher import Publisher
from invocations.runtime.shared_clock import SharedClock
from invocations.runtime.traffic import TrafficStream, traffic_start, traffic_stop
from invocations.services.demo import demo_seed
from invocations.services.host_adapter import DatabaseConfig, DatabaseReporter


class DroppingLayer:
    """The frames are not what this test reads."""

    async def group_send(self, group, message):
        return None


FN = series_key("Invocations", (("FunctionName", "fn"),))


def completed(at: float, duration: float = 50.0) -> InvocationCompleted:
    result = InvokeResult("r", Outcome.SUCCESS, 200, "$LATEST", None, duration_ms=duration)
    return InvocationCompleted(at, result, "sdk", InvocationType.REQUEST_RESPONSE, "fn", "$LATEST", None, 1, at)


def test_seconds_roll_up_into_minutes_and_old_minutes_are_read_from_the_rollups(redis_client):
    writer = MetricWriter(redis_client, second_retention_s=120, minute_retention_s=86400)
    start = 1_800_000_000 - 1_800_000_000 % 3600
    for s in range(600):  # ten minutes, s % 7 + 1 invocations in second s
        for _ in range(s % 7 + 1):
            writer.emit(completed(start + s + 0.25, duration=10.0 * (s % 7 + 1)))
        if s % 50 == 49:
            writer.flush(start + s + 1)  # the host flushes every step; here every 50 s
    writer.flush(start + 600, final=True)
    assert redis_client.hlen(second_key(FN, start)) == 60
    assert redis_client.hlen(minute_key(FN, start)) == 10
    expected = [sum(s % 7 + 1 for s in range(m * 60, m * 60 + 60)) for m in range(10)]
    reader = MetricReader(redis_client, second_retention_s=120)
    late = start + 600 + 3600  # an hour later: nothing left in the 1-second window, minutes answer
    (minutes,) = reader.periods([Query(FN, start, start + 600, 60)], now=late)
    assert [minutes[start + 60 * m].sum for m in range(10)] == expected
    (now_minutes,) = reader.periods([Query(FN, start, start + 600, 60)], now=start + 600)
    assert [now_minutes[start + 60 * m].sum for m in range(10)] == expected  # seconds and minutes agree
    (five,) = reader.periods([Query(FN, start, start + 60, 5)], now=start + 600)
    assert five[start].sum == sum(s % 7 + 1 for s in range(5))
    assert five[start + 5].value("Maximum") == 1  # each invocation is a sample of 1
    duration = series_key("Duration", (("FunctionName", "fn"),))
    (d,) = reader.periods([Query(duration, start, start + 60, 60)], now=start + 600)
    assert d[start].value("Maximum") == 70.0 and d[start].value("p50") == pytest.approx(
        50.0, rel=0.03
    )  # weighted: more of the slow ones
    assert 0 < redis_client.ttl(second_key(FN, start)) <= 120 + 120


@pytest.mark.django_db(transaction=True)
def test_the_host_writes_its_invocations_metrics_once_a_second_is_over(redis_client):
    demo_seed()
    SharedClock(redis_client).set_speed(1.0)
    host = build_host(
        client=redis_client,
        config=DatabaseConfig(),
        reporter=DatabaseReporter(),
        publisher=Publisher(channel_layer=DroppingLayer()),
        seed=3,
    )
    try:
        traffic_start(redis_client, TrafficStream("steady", "checkout:prod", rate=200))
        host.run(2.5)
        traffic_stop(redis_client, "steady")
        host.run(1.2)
        now = host.clock.now()
    finally:
        host.close()
    records = InvocationRecord.objects.filter(function="checkout")
    reader = MetricReader(redis_client, second_retention_s=3600)
    start = math.floor(now) - 10
    series = series_key("Invocations", (("FunctionName", "checkout"), ("Resource", "checkout:prod")))
    (per_second,) = reader.periods([Query(series, start, math.floor(now), 1)], now=now)
    assert per_second, "no metrics written"
    assert sum(stat.sum for stat in per_second.values()) == records.filter(qualifier="prod").count()
    concurrency = reader.periods([Query(series_key("ConcurrentExecutions"), start, math.floor(now), 1)], now=now)[0]
    assert concurrency and all(stat.value("Maximum") >= 0 for stat in concurrency.values())
