"""The publisher sending from its own thread: the host's loop never waits for the network, and no count is lost."""

import asyncio
import random
import threading
import time

from invocations.engine.events import InvocationType, Throttled
from invocations.runtime.publisher import ACCOUNT_GROUP, Publisher


class GatedLayer:
    """A channel layer whose sends hang until the gate opens (a slow or stalled Redis), recording where they ran."""

    def __init__(self):
        self.gate = threading.Event()
        self.sent = []
        self.threads = set()

    async def group_send(self, group, message):
        self.threads.add(threading.get_ident())
        # A stalled layer: the send blocks its (sending) thread until the test opens the gate, no polling.
        self.gate.wait()
        self.sent.append((group, message))


def throttle(n: int) -> Throttled:
    reason = "ReservedFunctionConcurrentInvocationLimitExceeded"
    return Throttled(float(n), f"rid-{n}", "checkout", "prod", "prod", "1", reason, "sdk", InvocationType.EVENT)


def account_frames(layer: GatedLayer) -> list[dict]:
    return [m["frame"] for g, m in layer.sent if g == ACCOUNT_GROUP and m["type"] == "lv.frame"]


def test_a_stalled_channel_layer_never_blocks_the_host_and_counts_merge_into_the_next_frame():
    layer = GatedLayer()
    publisher = Publisher(interval=0.0, channel_layer=layer)
    publisher.aggregator = type(publisher.aggregator)(random.Random(3))
    publisher.send_in_background()
    try:
        for n in range(3):
            publisher.emit(throttle(n))
        started = time.perf_counter()
        assert publisher.flush()  # handed over; the send itself hangs on the gate
        for n in range(3, 10):
            publisher.emit(throttle(n))
        assert not publisher.flush()  # the first frame is still in flight: keep counting instead of waiting
        assert time.perf_counter() - started < 0.05
        assert layer.sent == []
        layer.gate.set()
        assert publisher.flush(wait=True)  # the merged frame, once the first is out
        frames = account_frames(layer)
        counts = [
            f["functions"]["checkout"]["throttles"]["ReservedFunctionConcurrentInvocationLimitExceeded"] for f in frames
        ]
        assert counts == [3, 7]
        assert layer.threads and threading.get_ident() not in layer.threads
    finally:
        layer.gate.set()
        publisher.close()


def test_gauges_are_read_on_the_host_thread_and_completed_from_redis_on_the_sending_thread():
    layer = GatedLayer()
    layer.gate.set()
    publisher = Publisher(interval=0.0, channel_layer=layer)
    where = {}

    def gauges():
        where["gauges"] = threading.get_ident()
        return {"queues": {"q": None}}

    publisher.gauges = gauges

    def gauges_io(values):
        where["io"] = threading.get_ident()
        values["queues"]["q"] = {"visible": 4}

    publisher.gauges_io = gauges_io
    publisher.send_in_background()
    try:
        publisher.emit(throttle(1))
        assert publisher.flush(wait=True)
        assert account_frames(layer)[0]["gauges"]["queues"] == {"q": {"visible": 4}}
        assert where["gauges"] == threading.get_ident() != where["io"]
    finally:
        publisher.close()


def test_announcements_beyond_the_bound_are_dropped_and_counted_the_rest_arrive_in_order():
    layer = GatedLayer()
    publisher = Publisher(channel_layer=layer)
    publisher.send_in_background(max_pending=5)
    try:
        for n in range(8):
            publisher.announce("ApiCall", None, n=n)
        assert publisher.dropped == 3
        layer.gate.set()
        assert publisher.drain(5)
        assert [m["event"]["n"] for _, m in layer.sent] == [0, 1, 2, 3, 4]
    finally:
        layer.gate.set()
        publisher.close()


def test_sending_in_place_still_works_for_processes_that_only_announce():
    layer = GatedLayer()
    layer.gate.set()
    Publisher(channel_layer=layer).announce("ClockChanged", factor=2.0)
    assert [m["event"]["type"] for _, m in layer.sent] == ["ClockChanged"]


def test_announcements_are_sent_in_the_order_they_were_made_even_when_sends_take_varying_time():
    class JitteryLayer:
        def __init__(self):
            self.sent = []

        async def group_send(self, group, message):
            # The thing under test: sends that take varying time (later ones may be quicker).
            await asyncio.sleep(random.Random(message["event"]["n"]).uniform(0, 0.01))
            self.sent.append(message["event"]["n"])

    layer = JitteryLayer()
    publisher = Publisher(channel_layer=layer)
    publisher.send_in_background(max_pending=100)
    try:
        for n in range(30):
            publisher.announce("ApiCall", None, n=n)
        assert publisher.drain(5)
        assert layer.sent == list(range(30))
    finally:
        publisher.close()
