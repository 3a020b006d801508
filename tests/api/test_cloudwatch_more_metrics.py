"""AsyncEventAge, IteratorAge, DeadLetterErrors, DestinationDeliveryFailures and the account concurrency gauges,
end to end: a real engine run on a virtual clock, the host's MetricWriter into Redis, real boto3 reading them back
with GetMetricData and ListMetrics (issue 13 point 1; DG monitoring-metrics-types, monitoring-concurrency)."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from invocations.engine.config import AliasConfig, AsyncConfig, VersionConfig
from invocations.engine.events import EnvState
from invocations.runtime.metrics.hosting import PROVISIONED, concurrency_context
from invocations.runtime.metrics.writer import MetricWriter
from invocations.services import cloudwatch
from tests.engine.helpers import fixed, function, make
from tests.engine.sources.stream_rig import DEST, stream_rig

from .cloudwatch_clients import cloudwatch_client

pytestmark = pytest.mark.django_db(transaction=True)

DLQ = "arn:aws:sqs:us-east-1:123456789012:thumbs-dlq"
ON_FAILURE = "arn:aws:sns:us-east-1:123456789012:thumbs-failed.fifo"


@pytest.fixture(params=["json", "smithy-rpc-v2-cbor"])
def cw(request, live_server, tmp_path_factory, redis_client):
    protocol = None if request.param == "json" else request.param
    return cloudwatch_client(live_server.url, protocol=protocol, models=tmp_path_factory.getbasetemp() / "models")


@pytest.fixture
def writer(redis_client, settings):
    return MetricWriter(
        redis_client,
        second_retention_s=settings.LAMBDAVIZ_METRICS_SECOND_RETENTION_S,
        minute_retention_s=settings.LAMBDAVIZ_METRICS_MINUTE_RETENTION_S,
    )


@pytest.fixture
def start():
    """A whole minute six minutes before the simulated now: the runs below happen inside the 1-second window."""
    return math.floor(cloudwatch.now() / 60) * 60 - 360


def at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def dims(**kw):
    return [{"Name": k, "Value": v} for k, v in kw.items()]


def query(query_id: str, metric: str, stat: str, period: int = 1, **dimensions):
    return {
        "Id": query_id,
        "MetricStat": {
            "Metric": {"Namespace": "AWS/Lambda", "MetricName": metric, "Dimensions": dims(**dimensions)},
            "Period": period,
            "Stat": stat,
        },
    }


def values(answer) -> dict[str, dict[datetime, float]]:
    return {r["Id"]: dict(zip(r["Timestamps"], r["Values"], strict=True)) for r in answer["MetricDataResults"]}


def test_async_event_age_and_failed_deliveries(cw, writer, start):
    # semantics §2: three attempts (0 s, +60 s, +120 s); the DLQ send and the FIFO topic destination both fail.
    thumbs = function(
        "thumbs",
        versions={"$LATEST": VersionConfig(profile=fixed(100, 0, error_rate=1.0), dlq_arn=DLQ)},
        async_configs={"$LATEST": AsyncConfig(2, 21600.0, on_failure=ON_FAILURE)},
    )
    sim = make(thumbs, start=start)
    sim.targets.refused.update({DLQ, ON_FAILURE})
    sim.invoke_async("thumbs")
    sim.clock.run(until=start + 300)
    for event in sim.sink.events:
        writer.emit(event)
    writer.flush(start + 300, final=True)

    answer = cw.get_metric_data(
        MetricDataQueries=[
            query("age", "AsyncEventAge", "Maximum", FunctionName="thumbs"),
            query("dlq", "DeadLetterErrors", "Sum", period=60, FunctionName="thumbs"),
            query("dest", "DestinationDeliveryFailures", "Sum", period=60, FunctionName="thumbs"),
            query("dropped", "AsyncEventsDropped", "Sum", period=60),
        ],
        StartTime=at(start),
        EndTime=at(start + 300),
        ScanBy="TimestampAscending",
    )
    got = values(answer)
    expected = {at(start): 0.0, at(start + 60): 60_100.0, at(start + 180): 180_200.0}
    assert got["age"] == pytest.approx(expected, abs=0.01)  # epoch-sized floats: sub-microsecond error
    assert got["dlq"] == {at(start + 180): 1.0}
    assert got["dest"] == {at(start + 180): 1.0}
    assert got["dropped"] == {at(start + 180): 1.0}
    statistics = cw.get_metric_statistics(
        Namespace="AWS/Lambda",
        MetricName="AsyncEventAge",
        Dimensions=dims(FunctionName="thumbs"),
        StartTime=at(start),
        EndTime=at(start + 300),
        Period=300,
        Statistics=["Average", "SampleCount"],
    )
    (point,) = statistics["Datapoints"]
    assert point["Unit"] == "Milliseconds" and point["SampleCount"] == 3
    assert point["Average"] == pytest.approx((0 + 60_100 + 180_200) / 3)


def test_iterator_age_and_a_stream_mappings_refused_on_failure_record(cw, writer, start):
    # semantics §3: a poison record blocks the shard; its batch's age grows until the retries run out.
    rig = stream_rig(MaximumRetryAttempts=3, DestinationConfig={"OnFailure": {"Destination": DEST}})
    rig.ctx.targets.refused.add(DEST)
    rig.put("k", {"poison": True})
    rig.clock.run(until=10.0)
    writer.mapping_targets = {"esm-1": ("clicks", "live")}
    for event in rig.events:
        # The rig's clock starts at 0: the same events, moved to the test's minute.
        writer.emit(type(event)(**{**_fields(event), "at": start + event.at}))
    writer.flush(start + 60, final=True)

    answer = cw.get_metric_data(
        MetricDataQueries=[
            query("age", "IteratorAge", "Maximum", FunctionName="clicks", Resource="clicks:live"),
            query("failed", "DestinationDeliveryFailures", "Sum", period=60, FunctionName="clicks"),
        ],
        StartTime=at(start),
        EndTime=at(start + 60),
        ScanBy="TimestampAscending",
    )
    got = values(answer)
    assert got["age"] == {at(start + s): 1250.0 * s for s in range(4)}
    assert got["failed"] == {at(start): 1.0}
    listed = cw.list_metrics(Namespace="AWS/Lambda", MetricName="IteratorAge")["Metrics"]
    assert [m["Dimensions"] for m in listed] == [
        [],
        dims(FunctionName="clicks"),
        dims(FunctionName="clicks", Resource="clicks:live"),
    ]


def _fields(event) -> dict:
    return {name: getattr(event, name) for name in event.__dataclass_fields__}


def test_account_concurrency_gauges_from_the_engines_environments(cw, writer, start):
    # DG monitoring-concurrency: Unreserved and Claimed are account-wide; ProvisionedConcurrentExecutions is per
    # function and per configured alias.
    checkout = function(
        "checkout",
        versions={"$LATEST": VersionConfig(profile=fixed()), "1": VersionConfig(profile=fixed(5000, 0))},
        aliases={"prod": AliasConfig("1")},
        provisioned={"prod": 2},
    )
    capped = function("capped", fixed(5000, 0), reserved_concurrency=20)
    sim = make(checkout, capped, start=start)
    sim.clock.run(until=start + 1.0)  # provisioned environments allocated
    for _ in range(3):
        sim.invoke("checkout:prod")  # 2 provisioned + 1 spillover (unreserved)
    sim.invoke("capped")  # inside its reservation
    sim.clock.run(until=start + 2.5)
    busy = [
        (env.function, env.version, env.init_type == PROVISIONED)
        for env in sim.engine.store.environments.all()
        if env.state is EnvState.BUSY
    ]
    writer.observe_concurrency(start + 2.5, busy, **concurrency_context(sim.registry))
    writer.flush(start + 60, final=True)

    answer = cw.get_metric_data(
        MetricDataQueries=[
            query("unreserved", "UnreservedConcurrentExecutions", "Maximum", period=60),
            query("claimed", "ClaimedAccountConcurrency", "Maximum", period=60),
            query("all", "ConcurrentExecutions", "Maximum", period=60),
            query("pc", "ProvisionedConcurrentExecutions", "Maximum", period=60, FunctionName="checkout"),
            query(
                "pcprod",
                "ProvisionedConcurrentExecutions",
                "Maximum",
                60,
                FunctionName="checkout",
                Resource="checkout:prod",
            ),
        ],
        StartTime=at(start),
        EndTime=at(start + 60),
    )
    got = {k: v.get(at(start)) for k, v in values(answer).items()}
    assert got == {"unreserved": 1.0, "claimed": 1.0 + 20 + 2, "all": 4.0, "pc": 2.0, "pcprod": 2.0}
    unreserved = cw.list_metrics(Namespace="AWS/Lambda", MetricName="UnreservedConcurrentExecutions")["Metrics"]
    assert [m["Dimensions"] for m in unreserved] == [[]]  # no per-function series
