"""The publisher's frames: counts per edge, version and outcome, throttles by Reason, a bounded dot sample."""

import random

from invocations.engine.clock import VirtualClock
from invocations.engine.config import AliasConfig, FunctionConfig, VersionConfig
from invocations.engine.events import RetryScheduled
from invocations.engine.profile import BehaviourProfile
from invocations.engine.simulator import Engine
from invocations.engine.sources.events import BatchInvoked
from invocations.runtime.frames import MAX_DISCRETE, MAX_LIST, SAMPLE_SIZE, FrameAggregator, frame_for_function


def engine_with(aggregator: FrameAggregator, **function_kwargs) -> tuple[VirtualClock, Engine]:
    clock = VirtualClock()
    engine = Engine(clock, random.Random(7), sink=aggregator)
    versions = {
        "$LATEST": VersionConfig(),
        "1": VersionConfig(profile=BehaviourProfile.from_dict({"duration_ms": 100})),
        "2": VersionConfig(profile=BehaviourProfile.from_dict({"duration_ms": 100, "error_rate": 1.0})),
    }
    engine.put_function(
        FunctionConfig("checkout", versions=versions, aliases={"prod": AliasConfig("1", {"2": 0.5})}, **function_kwargs)
    )
    return clock, engine


def test_a_frame_counts_each_edge_version_and_outcome_once():
    aggregator = FrameAggregator(random.Random(1))
    clock, engine = engine_with(aggregator)
    for i in range(200):
        engine.invoke_sync("checkout:prod", {"i": i}, on_complete=lambda r: None)
    clock.run(until=10)
    frame = aggregator.flush()
    tally = frame["functions"]["checkout"]
    assert tally["invocations"] == 200
    assert tally["edges"]["sdk->prod"] == 200
    assert tally["edges"]["prod->1"] + tally["edges"]["prod->2"] == 200
    # Version 2 always fails, version 1 never does: the outcome counts follow the executed version.
    assert tally["by_version"]["1"] == {"Success": tally["edges"]["prod->1"]}
    assert tally["by_version"]["2"] == {"FunctionError": tally["edges"]["prod->2"]}
    assert 60 < tally["edges"]["prod->2"] < 140
    assert tally["cold_starts"] == 200  # all 200 started at once, so each needed its own environment
    assert tally["duration_p50"] == 100.0
    assert len(frame["samples"]) == SAMPLE_SIZE


def test_throttles_are_counted_by_reason_and_sampled_as_grey_dots():
    aggregator = FrameAggregator(random.Random(1))
    clock, engine = engine_with(aggregator, reserved_concurrency=3)
    for i in range(10):
        engine.invoke_sync("checkout:prod", {"i": i}, on_complete=lambda r: None)
    clock.run(until=10)
    frame = aggregator.flush()
    tally = frame["functions"]["checkout"]
    assert tally["invocations"] == 3
    assert tally["throttles"] == {"ReservedFunctionConcurrentInvocationLimitExceeded": 7}
    assert sum(1 for s in frame["samples"] if s["outcome"] == "Throttled") == 7
    assert [e["type"] for e in frame["events"]].count("Throttled") == 7


def test_flush_starts_a_new_frame_with_a_new_sequence_number():
    aggregator = FrameAggregator(random.Random(1))
    clock, engine = engine_with(aggregator)
    engine.invoke_sync("checkout:1", {}, on_complete=lambda r: None)
    clock.run(until=5)
    first = aggregator.flush()
    second = aggregator.flush()
    assert (first["seq"], second["seq"]) == (1, 2)
    assert first["functions"]["checkout"]["invocations"] == 1
    assert second["functions"] == {} and aggregator.empty()


def test_discrete_events_are_capped_and_the_excess_is_counted():
    aggregator = FrameAggregator(random.Random(1))
    for i in range(MAX_DISCRETE + 5):
        aggregator.emit(RetryScheduled(float(i), f"r{i}", "checkout", "$LATEST", "FunctionError", 1, 60.0 + i))
    frame = aggregator.flush()
    assert len(frame["events"]) == MAX_DISCRETE
    assert frame["events_dropped"] == 5
    assert frame["events"][0]["type"] == "RetryScheduled"


def test_a_function_page_gets_only_its_own_part_of_the_frame():
    aggregator = FrameAggregator(random.Random(1))
    clock, engine = engine_with(aggregator)
    engine.invoke_sync("checkout:1", {}, on_complete=lambda r: None)
    clock.run(until=5)
    frame = aggregator.flush()
    assert frame_for_function(frame, "checkout")["functions"].keys() == {"checkout"}
    other = frame_for_function(frame, "thumbnailer")
    assert other["functions"] == {} and other["samples"] == []


def test_a_batch_of_ten_thousand_ids_travels_as_a_short_list_and_a_count():
    aggregator = FrameAggregator(random.Random(1))
    aggregator.emit(BatchInvoked(1.0, "esm-1", "shardId-000000000000", tuple(str(i) for i in range(10_000))))
    event = aggregator.flush()["events"][0]
    assert event["ids"] == [str(i) for i in range(MAX_LIST)]
    assert event["ids_count"] == 10_000


def test_a_throttle_storm_cannot_crowd_out_a_dlq_delivery_in_the_frame():
    from invocations.engine.events import DeliveredToDLQ, InvocationType, Throttled

    aggregator = FrameAggregator(random.Random(1))
    for i in range(500):
        aggregator.emit(
            Throttled(
                1.0,
                f"r{i}",
                "fn",
                "$LATEST",
                None,
                "$LATEST",
                "ConcurrentInvocationLimitExceeded",
                "sdk",
                InvocationType.EVENT,
            )
        )
    aggregator.emit(DeliveredToDLQ(2.0, "r-dlq", "fn", "arn:aws:sqs:us-east-1:123456789012:dlq", "200"))
    frame = aggregator.flush()
    types = [e["type"] for e in frame["events"]]
    assert "DeliveredToDLQ" in types
    assert frame["functions"]["fn"]["throttles"] == {"ConcurrentInvocationLimitExceeded": 500}  # all still counted
    assert frame["events_dropped"] == 500 - types.count("Throttled")
