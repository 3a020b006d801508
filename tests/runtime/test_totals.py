"""Totals since the simulation started (issue 11, point 9): exact tallies folded into Redis, sent on with each frame."""

import random

from invocations.engine.events import (
    AsyncEventDropped,
    DeliveredToDLQ,
    InvocationType,
    RetryScheduled,
    Throttled,
)
from invocations.engine.sources.events import MessageRedriven
from invocations.runtime import totals
from invocations.runtime.frames import FrameAggregator
from invocations.runtime.publisher import Publisher, function_group

DLQ = "arn:aws:sqs:us-east-1:123456789012:orders-dlq"
ORDERS = "arn:aws:sqs:us-east-1:123456789012:orders"


class RecordingLayer:
    def __init__(self):
        self.sent = []

    async def group_send(self, group, message):
        self.sent.append((group, message))


def throttle(n: int, itype: InvocationType) -> Throttled:
    return Throttled(float(n), f"rid-{n}", "checkout", "prod", "prod", "1", "Reason", "sdk", itype)


def test_totals_add_up_every_frame_even_beyond_the_discrete_cap(redis_client):
    aggregator = FrameAggregator(random.Random(1))
    for n in range(300):  # more than a frame's discrete budget: the totals still count every one
        aggregator.emit(DeliveredToDLQ(1.0, f"rid-{n}", "thumbnailer", DLQ, "429"))
        aggregator.emit(AsyncEventDropped(1.0, f"rid-{n}", "thumbnailer", "$LATEST", "ZeroReservedConcurrency", 0))
    aggregator.emit(throttle(1, InvocationType.EVENT))
    aggregator.emit(throttle(2, InvocationType.REQUEST_RESPONSE))
    first = aggregator.flush()
    assert first["events_dropped"] > 0
    totals.fold(redis_client, first)
    aggregator.emit(DeliveredToDLQ(2.0, "rid-x", "thumbnailer", DLQ, "429"))
    second = aggregator.flush()
    totals.fold(redis_client, second)

    assert second["totals"]["thumbnailer"]["delivered"] == {DLQ: 301}
    thumbnailer = totals.read(redis_client, "thumbnailer")
    assert thumbnailer["delivered"] == {DLQ: 301}
    assert thumbnailer["dropped"] == {"ZeroReservedConcurrency": 300}
    assert thumbnailer["since"] == first["sim_time"] == 2.0  # the simulated time of the first frame folded in
    assert thumbnailer["frames"] == 2
    checkout = totals.read(redis_client, "checkout")
    assert checkout["throttled_by"] == {"Event:sdk": 1, "RequestResponse:sdk": 1}
    assert checkout["edges"] == {"sdk->prod": 2}
    assert totals.read(redis_client, "nobody") is None


def test_a_queue_redrive_counts_as_a_delivery_of_the_function_that_reads_the_queue(redis_client):
    # semantics §3: the DLQ of an SQS mapping is the source queue's redrive target, not the function's
    layer = RecordingLayer()
    publisher = Publisher(interval=0.0, channel_layer=layer)
    mappings = {"esm-1": {"function": "order-worker:live", "source": ORDERS, "pollers": 1}}
    publisher.gauges = lambda: {"mappings": mappings, "reserved": {}}
    publisher.totals_io = lambda frame: totals.fold(redis_client, frame)
    publisher.emit(MessageRedriven(5.0, ORDERS, "m-1", DLQ, 5))
    publisher.emit(RetryScheduled(5.0, "rid", "thumbnailer", "$LATEST", "Throttled", 0, 6.0))
    assert publisher.flush()
    sent = [m["frame"] for g, m in layer.sent if g == function_group("order-worker")]
    assert sent and sent[0]["totals"]["order-worker"]["delivered"] == {DLQ: 1}
    assert "queue_delivered" not in sent[0]
    assert totals.read(redis_client, "order-worker")["delivered"] == {DLQ: 1}
