"""Dropped async events survive a reload: each frame's drops, with their reason and where they went, are kept in
Redis (the newest 50 per function) and come back in the function's snapshot (issue 11, point 6)."""

import random

import pytest

from invocations.engine.events import AsyncEventDropped, DeliveredToDLQ, DestinationDelivered
from invocations.runtime import dropped_events, totals
from invocations.runtime.frames import FrameAggregator
from invocations.services.live import live_snapshot

DLQ = "arn:aws:sqs:us-east-1:123456789012:thumbnails-dlq"
FAILURES = "arn:aws:sns:us-east-1:123456789012:thumbnail-failures"
SUCCESSES = "arn:aws:sqs:us-east-1:123456789012:thumbnail-done"


def dropped(at: float, rid: str, condition: str = "RetriesExhausted", function: str = "thumbnailer"):
    return AsyncEventDropped(
        at, rid, function, "$LATEST", condition, 0 if condition == "ZeroReservedConcurrency" else 3
    )


def test_a_frames_drops_are_kept_with_their_reason_and_the_dlq_or_destination_they_went_to(redis_client):
    # semantics §2: a DLQ and an on-failure destination receive the event just before it is dropped
    aggregator = FrameAggregator(random.Random(1))
    aggregator.emit(DeliveredToDLQ(5.0, "to-dlq", "thumbnailer", DLQ, "200"))
    aggregator.emit(dropped(5.0, "to-dlq"))
    aggregator.emit(DestinationDelivered(6.0, "ok", "thumbnailer", "$LATEST", "Success", "OnSuccess", SUCCESSES))
    aggregator.emit(
        DestinationDelivered(7.0, "to-topic", "thumbnailer", "$LATEST", "EventAgeExceeded", "OnFailure", FAILURES)
    )
    aggregator.emit(dropped(7.0, "to-topic", "EventAgeExceeded"))
    aggregator.emit(dropped(8.0, "lost", "ZeroReservedConcurrency"))  # semantics §8: reserved 0, no retry
    frame = aggregator.flush()
    totals.fold(redis_client, frame)

    assert "recent_drops" not in frame["functions"]["thumbnailer"]  # stored, not sent on to every page
    assert dropped_events.latest(redis_client, "thumbnailer") == [
        {
            "request_id": "lost",
            "qualifier": "$LATEST",
            "condition": "ZeroReservedConcurrency",
            "at": 8.0,
            "target": None,
        },
        {
            "request_id": "to-topic",
            "qualifier": "$LATEST",
            "condition": "EventAgeExceeded",
            "at": 7.0,
            "target": FAILURES,
        },
        {"request_id": "to-dlq", "qualifier": "$LATEST", "condition": "RetriesExhausted", "at": 5.0, "target": DLQ},
    ]
    assert dropped_events.latest(redis_client, "checkout") == []


@pytest.mark.django_db
def test_the_function_snapshot_carries_its_newest_drops_bounded_newest_first(redis_client):
    from invocations.services.demo import demo_seed

    demo_seed()
    aggregator = FrameAggregator(random.Random(1))
    for frame_number in range(3):  # 3 frames × 30 drops: only the newest 50 are kept
        for n in range(30):
            aggregator.emit(
                dropped(float(frame_number * 30 + n), f"rid-{frame_number * 30 + n}", "ZeroReservedConcurrency")
            )
        aggregator.emit(dropped(float(frame_number), f"other-{frame_number}", function="checkout"))
        totals.fold(redis_client, aggregator.flush())

    shown = live_snapshot("thumbnailer")["dropped_events"]
    assert [d["request_id"] for d in shown] == [f"rid-{n}" for n in range(89, 39, -1)]
    assert {d["condition"] for d in shown} == {"ZeroReservedConcurrency"}
    assert redis_client.llen(dropped_events.key("thumbnailer")) == dropped_events.KEEP == 50  # trimmed in Redis too
    assert totals.read(redis_client, "thumbnailer")["dropped"] == {"ZeroReservedConcurrency": 90}  # the count is whole
    assert [d["request_id"] for d in live_snapshot("checkout")["dropped_events"]] == ["other-2", "other-1", "other-0"]
    assert live_snapshot()["dropped_events"] == []  # the account snapshot lists none


def test_one_frame_with_more_drops_than_kept_keeps_its_newest(redis_client):
    aggregator = FrameAggregator(random.Random(1))
    for n in range(120):
        aggregator.emit(dropped(float(n), f"rid-{n}"))
    frame = aggregator.flush()
    assert len(frame["functions"]["thumbnailer"]["recent_drops"]) == dropped_events.KEEP
    totals.fold(redis_client, frame)
    assert [d["request_id"] for d in dropped_events.latest(redis_client, "thumbnailer")][:2] == ["rid-119", "rid-118"]
    assert redis_client.llen(dropped_events.key("thumbnailer")) == 50
