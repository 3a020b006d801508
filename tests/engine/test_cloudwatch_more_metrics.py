"""The AWS/Lambda metrics of async delivery, stream mappings and account concurrency (issue 13 point 1), each from
the engine's own events on a virtual clock (DG monitoring-metrics-types, monitoring-concurrency)."""

from __future__ import annotations

import pytest

from invocations.engine.config import AsyncConfig, VersionConfig
from invocations.engine.events import DeliveredToDLQ, DeliveryFailed, DestinationDelivered
from invocations.engine.metrics.aggregator import LambdaMetrics
from invocations.engine.metrics.stats import Stat
from invocations.engine.sources import OnFailureRecordSent

from .helpers import fixed, function, make
from .sources.stream_rig import DEST, stream_rig

DLQ = "arn:aws:sqs:us-east-1:123456789012:fn-dlq"
ON_FAILURE = "arn:aws:sns:us-east-1:123456789012:fn-failures"
ON_SUCCESS = "arn:aws:sqs:us-east-1:123456789012:fn-done"


def merged(metrics: LambdaMetrics) -> dict[str, Stat]:
    """Every drained second folded into one Stat per series."""
    out: dict[str, Stat] = {}
    for second in metrics.drain().values():
        for key, stat in second.items():
            out.setdefault(key, Stat()).merge(stat)
    return out


def fed(events, metrics: LambdaMetrics | None = None) -> LambdaMetrics:
    metrics = metrics or LambdaMetrics()
    for event in events:
        metrics.emit(event)
    return metrics


def failing_async(*, dlq: str | None = DLQ, on_failure: str | None = ON_FAILURE, on_success: str | None = None):
    return function(
        versions={"$LATEST": VersionConfig(profile=fixed(100, 0, error_rate=1.0), dlq_arn=dlq)},
        async_configs={"$LATEST": AsyncConfig(2, 21600.0, on_success=on_success, on_failure=on_failure)},
    )


# --- AsyncEventAge -----------------------------------------------------------------------------------------------


def test_async_event_age_is_the_time_from_queueing_to_each_invocation_retries_included():
    # semantics §2: attempts at 0 s, then 60 s and 120 s after each 100 ms run ends; the age grows every retry.
    sim = make(failing_async(dlq=None, on_failure=None))
    sim.invoke_async("fn")
    sim.clock.run(until=400.0)
    seconds = fed(sim.sink.events).drain()
    ages = {t: s["AsyncEventAge|FunctionName=fn"] for t, s in seconds.items() if "AsyncEventAge|FunctionName=fn" in s}
    assert sorted(ages) == [0, 60, 180]
    assert [ages[t].value("Maximum") for t in (0, 60, 180)] == pytest.approx([0.0, 60_100.0, 180_200.0])
    assert seconds[180]["AsyncEventAge"].count == 1  # account-wide too, one sample per invocation


def test_async_event_age_grows_while_throttled_and_counts_only_invocations():
    # semantics §2, §8: a throttled attempt is not an invocation; the backoff shows in the next one's age.
    sim = make(function("fn", fixed(1000, 0), reserved_concurrency=1))
    sim.invoke("fn")  # holds the only slot for 1 s
    sim.invoke_async("fn")
    sim.clock.run(until=10.0)
    metrics = fed(sim.sink.events)
    age = merged(metrics)["AsyncEventAge|FunctionName=fn"]
    assert age.count == 1  # the throttled attempt at 0 s published nothing
    assert age.value("Maximum") >= 1000.0  # invoked once the slot was free, after the throttle backoff
    assert metrics._queued_at == {}  # settled events are forgotten (no growth over a class)


def test_async_event_age_has_the_resource_dimension_of_a_qualified_invoke():
    fn = function(versions={"$LATEST": VersionConfig(profile=fixed()), "1": VersionConfig(profile=fixed(50, 0))})
    sim = make(fn)
    sim.invoke_async("fn:1")
    sim.clock.run(until=5.0)
    series = merged(fed(sim.sink.events))
    assert series["AsyncEventAge|FunctionName=fn|Resource=fn:1"].count == 1
    assert series["AsyncEventAge|FunctionName=fn"].count == 1


# --- DeadLetterErrors and DestinationDeliveryFailures ------------------------------------------------------------


def test_a_refused_dlq_message_is_a_dead_letter_error_not_a_delivery():
    # semantics §2: a DLQ send that fails deletes the event and counts DeadLetterErrors.
    sim = make(failing_async(on_failure=None))
    sim.targets.refused.add(DLQ)
    sim.invoke_async("fn")
    sim.clock.run(until=400.0)
    assert sim.events(DeliveredToDLQ) == []
    (failed,) = sim.events(DeliveryFailed)
    assert (failed.kind, failed.arn, failed.function) == ("DeadLetterQueue", DLQ, "fn")
    series = merged(fed(sim.sink.events))
    assert series["DeadLetterErrors|FunctionName=fn"].sum == 1
    assert series["DeadLetterErrors"].sum == 1
    assert "DestinationDeliveryFailures|FunctionName=fn" not in series
    assert series["AsyncEventsDropped|FunctionName=fn"].sum == 1  # the event still ends


def test_a_refused_destination_record_is_a_destination_delivery_failure():
    # semantics §2: a FIFO (or otherwise refusing) destination fails the delivery.
    sim = make(failing_async(dlq=None))
    sim.targets.refused.add(ON_FAILURE)
    sim.invoke_async("fn")
    sim.clock.run(until=400.0)
    assert sim.events(DestinationDelivered) == []
    assert [(e.kind, e.arn) for e in sim.events(DeliveryFailed)] == [("OnFailure", ON_FAILURE)]
    series = merged(fed(sim.sink.events))
    assert series["DestinationDeliveryFailures|FunctionName=fn"].sum == 1
    assert "DeadLetterErrors|FunctionName=fn" not in series


def test_a_destination_function_that_does_not_exist_fails_the_delivery():
    missing = "arn:aws:lambda:us-east-1:123456789012:function:gone"
    ok = function(
        versions={"$LATEST": VersionConfig(profile=fixed(10, 0))},
        async_configs={"$LATEST": AsyncConfig(on_success=missing)},
    )
    sim = make(ok)
    sim.invoke_async("fn")
    sim.clock.run(until=5.0)
    assert [(e.kind, e.arn) for e in sim.events(DeliveryFailed)] == [("OnSuccess", missing)]
    assert merged(fed(sim.sink.events))["DestinationDeliveryFailures|FunctionName=fn"].sum == 1


def test_deliveries_that_arrive_count_nothing():
    sim = make(failing_async(on_success=ON_SUCCESS))
    sim.invoke_async("fn")
    sim.clock.run(until=400.0)
    assert len(sim.events(DeliveredToDLQ)) == 1 and len(sim.events(DestinationDelivered)) == 1
    series = merged(fed(sim.sink.events))
    assert not any(k.startswith(("DeadLetterErrors", "DestinationDeliveryFailures")) for k in series)


def test_a_stream_mappings_refused_on_failure_record_is_a_destination_delivery_failure():
    # semantics §3: stream mappings support on-failure destinations; DG: DestinationDeliveryFailures covers them.
    rig = stream_rig(MaximumRetryAttempts=0, DestinationConfig={"OnFailure": {"Destination": DEST}})
    rig.ctx.targets.refused.add(DEST)
    rig.put("k", {"poison": True})
    rig.clock.run(until=5.0)
    (sent,) = rig.of(OnFailureRecordSent)
    assert sent.delivered is False
    metrics = LambdaMetrics()
    metrics.mapping_targets = {"esm-1": ("fn", "live")}
    series = merged(fed(rig.events, metrics))
    assert series["DestinationDeliveryFailures|FunctionName=fn|Resource=fn:live"].sum == 1
    assert series["DestinationDeliveryFailures"].sum == 1


# --- IteratorAge -------------------------------------------------------------------------------------------------


def test_iterator_age_is_the_age_in_ms_of_each_batchs_last_record_when_read():
    # semantics §3: IteratorAge = age of the last record in the batch; a blocked shard makes it grow.
    rig = stream_rig(MaximumRetryAttempts=3)
    rig.put("k", {"poison": True})
    rig.clock.run(until=6.0)
    metrics = LambdaMetrics()
    metrics.mapping_targets = {"esm-1": ("fn", None)}
    seconds = fed(rig.events, metrics).drain()
    ages = {t: s["IteratorAge|FunctionName=fn"].value("Maximum") for t, s in seconds.items()}
    assert ages == {0: 0.0, 1: 1250.0, 2: 2500.0, 3: 3750.0}
    assert seconds[3]["IteratorAge"].value("Maximum") == 3750.0


def test_iterator_age_of_an_unknown_mapping_or_a_queue_batch_publishes_nothing():
    rig = stream_rig()
    rig.put("k", {"i": 1})
    rig.clock.run(until=2.0)
    assert fed(rig.events).drain() == {0: {}}  # the mapping is not in mapping_targets
    from invocations.engine.sources import BatchInvoked

    metrics = LambdaMetrics()
    metrics.mapping_targets = {"sqs-1": ("fn", None)}
    metrics.emit(BatchInvoked(1.0, "sqs-1", "poller-0", ("m-1",), 1))  # a queue's batch has no iterator age
    assert metrics.drain() == {}


# --- account concurrency -----------------------------------------------------------------------------------------


def test_unreserved_concurrent_executions_and_claimed_account_concurrency_are_account_wide():
    # DG monitoring-concurrency: Unreserved counts on-demand executions outside any reservation; Claimed adds
    # the allocated concurrency (reservations, and provisioned concurrency of functions without one).
    metrics = LambdaMetrics()
    busy = [
        ("free", "$LATEST", False),
        ("free", "$LATEST", False),
        ("free", "1", True),  # provisioned: not unreserved
        ("capped", "$LATEST", False),  # inside its reservation
    ]
    metrics.observe_concurrency(7.2, busy, reserved={"capped"}, allocated=10 + 3)
    metrics.observe_concurrency(7.8, busy[:1], reserved={"capped"}, allocated=13)
    second = metrics.drain()[7]
    assert second["ConcurrentExecutions"].value("Maximum") == 4
    assert second["UnreservedConcurrentExecutions"].value("Maximum") == 2
    assert second["ClaimedAccountConcurrency"].value("Maximum") == 15
    assert not any(k.startswith(("UnreservedConcurrentExecutions|", "ClaimedAccountConcurrency|")) for k in second)
