"""The engine host in this process: shared clock, Redis state, traffic, records and frames (issue 4)."""

import time
from collections import Counter

import pytest

from invocations.models import Function, InvocationRecord
from invocations.runtime.connection import inbox_push
from invocations.runtime.host.wiring import build_host
from invocations.runtime.publisher import Publisher
from invocations.runtime.shared_clock import SharedClock
from invocations.runtime.traffic import TrafficStream, traffic_burst, traffic_start, traffic_stop
from invocations.services import function_concurrency_put
from invocations.services.demo import demo_seed
from invocations.services.host_adapter import DatabaseConfig, DatabaseReporter
from tests.conftest import eventually

pytestmark = pytest.mark.django_db(transaction=True)


class CollectingLayer:
    """A channel layer stand-in that keeps what the publisher sent (the live-stream tests use the real one)."""

    def __init__(self):
        self.sent = []

    async def group_send(self, group, message):
        self.sent.append((group, message))


@pytest.fixture
def host(redis_client):
    demo_seed()
    SharedClock(redis_client).set_speed(1.0)
    layer = CollectingLayer()
    engine_host = build_host(
        client=redis_client,
        config=DatabaseConfig(),
        reporter=DatabaseReporter(),
        publisher=Publisher(channel_layer=layer),
        seed=11,
    )
    engine_host.layer = layer
    yield engine_host
    engine_host.close()


def test_a_traffic_stream_becomes_recorded_invocations_split_by_the_alias(host, redis_client):
    # semantics §5: prod routes 95% to v1 and 5% to v2.
    traffic_start(redis_client, TrafficStream("steady", "checkout:prod", rate=400))
    host.run(1.5)
    traffic_stop(redis_client, "steady")
    records = InvocationRecord.objects.filter(function="checkout")
    assert 450 <= records.count() <= 700
    share_v2 = records.filter(executed_version="2").count() / records.count()
    assert 0.0 < share_v2 < 0.15
    frames = [m["frame"] for g, m in host.layer.sent if g == "lv.account" and m["type"] == "lv.frame"]
    assert len(frames) >= 5  # about ten a second
    assert sum(f["functions"].get("checkout", {}).get("invocations", 0) for f in frames) == records.count()


def test_a_burst_against_reserved_concurrency_throttles_exactly_the_excess(host, redis_client):
    # semantics §8: reserved concurrency caps the function; the rest are 429s with the function's Reason.
    function_concurrency_put(function=Function.objects.get(name="checkout"), reserved_concurrent_executions=10)
    host.step()  # picks up the configuration change
    traffic_burst(redis_client, TrafficStream("burst", "checkout:1", rate=1), 50)
    host.run(1.0)
    outcomes = list(InvocationRecord.objects.filter(function="checkout").values_list("outcome", "throttle_reason"))
    throttled = [o for o in outcomes if o[0] == "Throttled"]
    assert len(outcomes) == 50
    assert len(throttled) == 40
    assert {reason for _, reason in throttled} == {"ReservedFunctionConcurrentInvocationLimitExceeded"}


def test_an_async_event_from_the_inbox_is_accepted_and_processed(host, redis_client):
    # semantics §2: Event invocations go through the internal queue. The thumbnailer takes ~2.7 s: run at x20.
    SharedClock(redis_client).set_speed(20.0)
    inbox_push(
        [{"op": "invoke", "type": "Event", "target": "thumbnailer", "payload": {"key": "cat.jpg"}}], redis_client
    )
    host.run(1.0)
    record = InvocationRecord.objects.get(function="thumbnailer")
    assert record.invocation_type == "Event"
    assert redis_client.llen("lv:inbox") == 0


def test_frames_carry_gauges_and_the_snapshot_keeps_the_latest(host, redis_client):
    from invocations.runtime.snapshot import live_snapshot

    traffic_start(redis_client, TrafficStream("steady", "checkout:prod", rate=100))
    host.run(1.2)
    traffic_stop(redis_client, "steady")
    frames = [m["frame"] for g, m in host.layer.sent if g == "lv.fn.checkout" and m["type"] == "lv.frame"]
    gauges = frames[-1]["gauges"]
    assert gauges["account"]["limit"] == 1000
    assert any(key.startswith("checkout:") for key in gauges["environments"])
    orders = next(arn for arn in gauges["queues"] if arn.endswith(":orders"))
    assert gauges["queues"][orders] == {"visible": 0, "in_flight": 0, "delayed": 0}
    (clicks,) = [m for m in gauges["mappings"].values() if m["source"].endswith("stream/clickstream")]
    assert sorted(clicks["shards"]) == ["shardId-000000000000", "shardId-000000000001"]
    assert not any(shard["blocked"] for shard in clicks["shards"].values())
    snapshot = live_snapshot("checkout", config=DatabaseConfig())
    assert snapshot["gauges"]["account"]["limit"] == 1000
    assert "mappings" in snapshot["gauges"]


def test_an_on_failure_record_sent_to_s3_fires_the_buckets_notification(host, redis_client):
    # semantics §2: S3 is an on-failure destination; the object it writes triggers the bucket's own notifications.
    from invocations.services import (
        bucket_create,
        bucket_notification_create,
        event_invoke_config_put,
        function_create,
    )

    failing = function_create(name="always-fails", behaviour_profile={"duration_ms": 5, "error_rate": 1.0})
    auditor = function_create(name="auditor", behaviour_profile={"duration_ms": 5})
    bucket = bucket_create(name="failure-records")
    bucket_notification_create(bucket=bucket, function=auditor)
    event_invoke_config_put(
        function=failing,
        maximum_retry_attempts=0,
        destination_config={"OnFailure": {"Destination": bucket.arn}},
    )
    host.step()  # reload the configuration
    inbox_push([{"op": "invoke", "type": "Event", "target": "always-fails", "payload": {"k": 1}}], redis_client)
    host.run(1.0)
    audit = InvocationRecord.objects.get(function="auditor")
    assert (audit.source, audit.invocation_type, audit.outcome) == ("s3", "Event", "Success")


def test_a_waiting_api_call_gets_its_result_and_an_unknown_function_gets_an_error(host, redis_client):
    # semantics §1: a sync invoke answers with the executed version and the function's result.
    import json

    inbox_push(
        [
            {"op": "invoke", "target": "checkout", "qualifier": "1", "payload": {"a": 1}, "reply": "lv:reply:t1"},
            {"op": "invoke", "target": "no-such-function", "payload": {}, "reply": "lv:reply:t2"},
        ],
        redis_client,
    )
    host.run(1.0)
    ok = json.loads(redis_client.lpop("lv:reply:t1"))
    assert (ok["status_code"], ok["outcome"], ok["executed_version"]) == (200, "Success", "1")
    assert ok["log_result"]  # base64 of the START/END/REPORT tail
    failed = json.loads(redis_client.lpop("lv:reply:t2"))
    assert "Function not found" in failed["error"]


def test_a_python_function_really_runs_in_the_host_with_a_real_init_duration(host, redis_client):
    # semantics §9: Init Duration on the cold start only; the handler's print lands in the log.
    from invocations.services import function_create

    source = (
        "print('init')\n"
        "def handler(event, context):\n"
        "    print('hello', event['n'])\n"
        "    return {'n': event['n'] * 2}\n"
    )
    function_create(name="py-real", runtime="python3.12", handler="lambda_function.handler", handler_source=source)
    host.step()
    for n in (1, 2):
        inbox_push([{"op": "invoke", "target": "py-real", "payload": {"n": n}}], redis_client)
        host.run(1.5)
    first, second = InvocationRecord.objects.filter(function="py-real").order_by("started_at")
    assert first.outcome == second.outcome == "Success"
    assert first.cold_start and first.init_ms > 0 and "Init Duration" in first.log
    assert not second.cold_start and "Init Duration" not in second.log
    assert "hello 2" in second.log


def test_a_fifo_queue_as_a_dead_letter_target_fails_the_delivery_not_the_host(host, redis_client):
    # semantics §2: FIFO targets cannot receive Lambda's deliveries (DestinationDeliveryFailures).
    from invocations.models import Function
    from invocations.services import event_invoke_config_put, function_create, queue_create

    fifo = queue_create(name="records.fifo")
    failing = function_create(name="fifo-dlq", behaviour_profile={"duration_ms": 5, "error_rate": 1.0})
    Function.objects.filter(pk=failing.pk).update(dead_letter_target_arn=fifo.arn)  # as if set before validation
    event_invoke_config_put(function=failing, maximum_retry_attempts=0)
    host.step()
    inbox_push([{"op": "invoke", "type": "Event", "target": "fifo-dlq", "payload": {}}], redis_client)
    host.run(1.0)
    assert InvocationRecord.objects.filter(function="fifo-dlq").count() == 1
    assert int(redis_client.get(f"lv:delivery_failures:{fifo.arn}")) == 1
    host.run(0.2)  # and the host is still stepping
    host.metrics.writer.flush(host.clock.now(), final=True)
    # The refused message reaches CloudWatch as AWS counts it (issue 13 point 1).
    assert redis_client.zscore("lv:cw:series", "DeadLetterErrors|FunctionName=fifo-dlq") is not None


def test_invocations_that_ended_release_their_slots_before_the_same_steps_admission(host, redis_client):
    # semantics §8: a slot is free as soon as its invocation ends. With reserved concurrency 5 fully used, a step
    # that comes after the 5 have ended first completes them, then admits 5 more: none of those is throttled.
    from invocations.services import function_create

    quick = function_create(name="quick", behaviour_profile={"duration_ms": 20, "init_ms": 10})
    function_concurrency_put(function=quick, reserved_concurrent_executions=5)
    host.step()  # picks up the configuration change
    traffic_burst(redis_client, TrafficStream("first", "quick", rate=1), 5)
    host.step()
    admitted_at = host.clock.now()
    assert int(redis_client.hget("lv:cc:counts", "reserved:quick")) == 5
    # All five end 30 ms (init + duration) after their admission: wait until the host's clock is past that; the
    # host has not noticed yet (no step since).
    eventually(lambda: host.clock.now() >= admitted_at + 0.030, timeout=5, what="the clock to pass the five's end")
    traffic_burst(redis_client, TrafficStream("second", "quick", rate=1), 5)
    host.step()
    host.flush()
    outcomes = Counter(InvocationRecord.objects.filter(function="quick").values_list("outcome", flat=True))
    assert outcomes == {"Success": 5}  # the first five; the second five are running, not throttled
    assert int(redis_client.hget("lv:cc:counts", "reserved:quick")) == 5


def test_frames_still_go_out_while_the_channel_layer_is_slow_and_the_host_keeps_stepping(redis_client):
    # The publisher's sends run on their own thread: a channel layer taking 300 ms per send does not slow the loop.
    import asyncio

    class SlowLayer(CollectingLayer):
        async def group_send(self, group, message):
            await asyncio.sleep(0.3)  # the thing under test: a slow channel layer
            await super().group_send(group, message)

    demo_seed()
    SharedClock(redis_client).set_speed(1.0)
    layer = SlowLayer()
    engine_host = build_host(
        client=redis_client,
        config=DatabaseConfig(),
        reporter=DatabaseReporter(),
        publisher=Publisher(channel_layer=layer),
        seed=11,
    )
    try:
        traffic_start(redis_client, TrafficStream("steady", "checkout:prod", rate=400))
        steps, started = 0, time.monotonic()
        while time.monotonic() - started < 1.5:  # the thing under test: how many steps 1.5 s of real time holds
            engine_host.step()
            steps += 1
        traffic_stop(redis_client, "steady")
        engine_host.run(0.5)  # the rest complete; run() ends by waiting for the last frame to be sent
    finally:
        engine_host.close()
    frames = [m["frame"] for g, m in layer.sent if g == "lv.account" and m["type"] == "lv.frame"]
    assert steps > 100  # with 300 ms sends on the loop, 1.5 s would hold a handful of steps
    assert len(frames) >= 3
    completed = InvocationRecord.objects.filter(function="checkout").exclude(outcome="Throttled").count()
    assert sum(f["functions"].get("checkout", {}).get("invocations", 0) for f in frames) == completed


def test_an_edited_queue_visibility_timeout_reaches_redis_at_the_next_step(host, redis_client):
    # semantics §3: SetQueueAttributes changes the visibility timeout of later receives.
    from invocations.models import Queue
    from invocations.runtime.redis_store import RedisQueueStore
    from invocations.services.sources import queue_update

    orders = Queue.objects.get(name="orders")
    assert RedisQueueStore(redis_client).queue_config(orders.arn).visibility_timeout == 180
    queue_update(queue=orders, visibility_timeout=45)
    host.step()
    assert RedisQueueStore(redis_client).queue_config(orders.arn).visibility_timeout == 45
    assert host.queues.queue_config(orders.arn).visibility_timeout == 45
