"""SQS standard queue mappings: delete on success, reappear on failure, redrive, scaling (semantics §3)."""

import json

from invocations.engine.outcomes import Outcome
from invocations.engine.sources import (
    BatchFailed,
    BatchInvoked,
    BatchRetried,
    BatchSucceeded,
    MessageRedriven,
    PollerScaled,
    RecordsSkipped,
)

from .esm_helpers import error, ok
from .queue_rig import queue_rig


def test_a_successful_batch_is_deleted_from_the_queue():
    # semantics §3
    rig = queue_rig()
    for i in range(3):
        rig.send({"i": i})
    rig.clock.run(until=5)
    assert rig.bodies() == [[{"i": 0}, {"i": 1}, {"i": 2}]]
    assert rig.left() == []
    assert [type(e).__name__ for e in rig.events] == ["BatchInvoked", "BatchSucceeded"]


def test_a_failed_batch_reappears_after_the_visibility_timeout_with_a_higher_receive_count():
    # semantics §3
    answers = iter([error(), ok()])
    rig = queue_rig(decide=lambda p: next(answers))
    rig.send({"i": 0})
    rig.send({"i": 1})
    rig.clock.run(until=60)
    assert [c.at for c in rig.invoker.calls] == [0.0, 30.0]
    counts = [[r["attributes"]["ApproximateReceiveCount"] for r in c.payload["Records"]] for c in rig.invoker.calls]
    assert counts == [["1", "1"], ["2", "2"]]
    assert rig.left() == []


def test_after_max_receive_count_a_message_is_redriven_to_the_queues_dlq():
    # semantics §3
    rig = queue_rig(max_receive=3)
    poison = rig.send({"poison": True})
    rig.clock.run(until=200)
    assert [c.at for c in rig.invoker.calls] == [0.0, 30.0, 60.0]
    assert rig.of(MessageRedriven) == [MessageRedriven(90.0, rig.arn, poison, rig.dlq, 3)]
    assert rig.left() == [] and rig.left(rig.dlq) == ['{"poison": true}']


def test_batch_size_caps_the_messages_per_invocation():
    # semantics §3
    rig = queue_rig(BatchSize=4)
    for i in range(10):
        rig.send({"i": i})
    rig.clock.run(until=5)
    assert sorted(len(b) for b in rig.bodies()) == [2, 4, 4]
    assert sorted(d["i"] for b in rig.bodies() for d in b) == list(range(10))


def test_a_standard_queue_keeps_no_order_so_later_messages_pass_a_failed_one():
    # semantics §3: SQS standard has no ordering; a failed message is hidden for the visibility timeout while
    # later messages run side by side and are deleted, nothing blocks (unlike stream shards and FIFO groups)
    rig = queue_rig(BatchSize=1, visibility=10, duration=2.0)
    rig.send({"poison": True})
    rig.clock.run(until=1)
    for i in range(3):
        rig.send({"i": i})
    rig.clock.run(until=15)
    assert [(c.at, b) for c, b in zip(rig.invoker.calls, rig.bodies(), strict=True)] == [
        (0.0, [{"poison": True}]),
        (2.0, [{"i": 0}]),
        (2.0, [{"i": 1}]),
        (2.0, [{"i": 2}]),
        (10.0, [{"poison": True}]),
    ]
    assert rig.invoker.max_in_flight == 3
    assert rig.left() == ['{"poison": true}']


def test_a_batching_window_holds_a_small_batch_until_it_expires():
    # semantics §3
    rig = queue_rig(BatchSize=20, MaximumBatchingWindowInSeconds=2)
    rig.send({"i": 0})
    rig.clock.run(until=10)
    assert [(c.at, len(c.payload["Records"])) for c in rig.invoker.calls] == [(2.0, 1)]


def test_a_full_batch_goes_at_once_even_inside_the_window():
    # semantics §3
    rig = queue_rig(BatchSize=20, MaximumBatchingWindowInSeconds=10)
    for i in range(20):
        rig.send({"i": i})
    rig.clock.run(until=1)
    assert [(c.at, len(c.payload["Records"])) for c in rig.invoker.calls] == [(0.0, 20)]


def test_with_report_batch_item_failures_only_the_failed_messages_return():
    # semantics §3
    def decide(payload):
        failed = [r["messageId"] for r in payload["Records"] if json.loads(r["body"]).get("bad")]
        return ok({"batchItemFailures": [{"itemIdentifier": i} for i in failed]})

    rig = queue_rig(decide=decide, FunctionResponseTypes=["ReportBatchItemFailures"], max_receive=2)
    rig.send({"i": 0})
    bad = rig.send({"i": 1, "bad": True})
    rig.send({"i": 2})
    rig.clock.run(until=100)
    assert rig.bodies() == [[{"i": 0}, {"i": 1, "bad": True}, {"i": 2}], [{"i": 1, "bad": True}]]
    assert rig.of(BatchFailed)[0].failed_ids == (bad,)
    assert [e.message_id for e in rig.of(MessageRedriven)] == [bad]
    # Partial failures do not scale the pollers down.
    assert rig.of(PollerScaled) == []


def test_non_matching_messages_are_deleted_without_invoking():
    # semantics §3
    rig = queue_rig(FilterCriteria={"Filters": [{"Pattern": '{"body": {"type": ["order"]}}'}]})
    rig.send({"type": "order", "i": 1})
    rig.send({"type": "ping"})
    rig.send("plain text")
    rig.clock.run(until=5)
    assert rig.bodies() == [[{"type": "order", "i": 1}]]
    assert sum(e.count for e in rig.of(RecordsSkipped)) == 2
    assert rig.left() == []


def test_throttled_batches_retry_with_backoff_while_hidden_then_reappear():
    # semantics §3
    rig = queue_rig(visibility=10, decide=lambda p: (Outcome.THROTTLED, None))
    rig.send({"i": 0})
    rig.clock.run(until=10.5)
    assert [c.at for c in rig.invoker.calls] == [0.0, 1.0, 3.0, 7.0, 10.0]
    # 7 + 8 s would outlast the visibility timeout: the batch is let go and comes back, backoff starting over.
    assert [e.delay for e in rig.of(BatchRetried)] == [1.0, 2.0, 4.0, 1.0]
    counts = [c.payload["Records"][0]["attributes"]["ApproximateReceiveCount"] for c in rig.invoker.calls]
    assert counts == ["1", "1", "1", "1", "2"]
    assert [e.reason for e in rig.of(PollerScaled)] == []  # already at the floor of 5


def test_pollers_start_at_five_and_add_up_to_300_a_minute_while_a_backlog_waits():
    # semantics §3
    rig = queue_rig(decide=lambda p: ok(), duration=1000.0, BatchSize=1)
    for i in range(2000):
        rig.send({"i": i})
    rig.clock.run(until=0.5)
    assert rig.poller.concurrency == 5 and rig.invoker.in_flight == 5
    rig.clock.run(until=60.5)
    assert rig.poller.concurrency == 305 and rig.invoker.in_flight == 305
    scaled = rig.of(PollerScaled)
    assert scaled[0] == PollerScaled(1.0, "esm-1", 5, 10, "Backlog")
    assert len(scaled) == 60


def test_maximum_concurrency_caps_the_pollers():
    # semantics §3
    rig = queue_rig(decide=lambda p: ok(), duration=1000.0, BatchSize=1, ScalingConfig={"MaximumConcurrency": 12})
    for i in range(200):
        rig.send({"i": i})
    rig.clock.run(until=30)
    assert rig.poller.concurrency == 12 and rig.invoker.max_in_flight == 12


def test_pollers_never_exceed_one_thousand():
    # semantics §3
    rig = queue_rig(decide=lambda p: ok(), duration=10_000.0, BatchSize=1, visibility=20_000)
    for i in range(1100):
        rig.send({"i": i})
    rig.clock.run(until=300)
    assert rig.poller.concurrency == 1000 and rig.invoker.max_in_flight == 1000


def test_function_errors_scale_the_pollers_back_down_to_five():
    # semantics §3
    failing = {"on": False}
    rig = queue_rig(decide=lambda p: error() if failing["on"] else ok(), duration=5.0, BatchSize=1, visibility=30)
    for i in range(3000):
        rig.send({"i": i})
    rig.clock.run(until=20)
    grown = rig.poller.concurrency
    assert grown > 50
    failing["on"] = True
    rig.clock.run(until=120)
    assert rig.poller.concurrency == 5
    assert {e.reason for e in rig.of(PollerScaled) if e.current < e.previous} == {"FunctionError"}


def test_idle_pollers_retire_back_to_five():
    # semantics §3
    rig = queue_rig(decide=lambda p: ok(), duration=2.0, BatchSize=1)
    for i in range(200):
        rig.send({"i": i})
    rig.clock.run(until=8)
    assert rig.poller.concurrency > 5
    rig.clock.run(until=60)
    assert rig.left() == [] and rig.poller.concurrency == 5
    assert rig.of(PollerScaled)[-1].reason == "Idle"


def test_sqs_invocations_carry_the_queue_arn_and_name_their_source():
    # semantics §3: SQS record eventSourceARN
    rig = queue_rig()
    rig.send({"i": 0})
    rig.clock.run(until=1)
    (call,) = rig.invoker.calls
    assert call.source == "sqs" and call.payload["Records"][0]["eventSourceARN"] == rig.arn


def test_a_stopped_mapping_receives_nothing_more():
    # semantics §3 (State Disabled)
    rig = queue_rig()
    rig.send({"i": 0})
    rig.clock.run(until=1)
    rig.poller.stop()
    rig.send({"i": 1})
    rig.clock.run(until=10)
    assert len(rig.invoker.calls) == 1 and rig.left() == ['{"i": 1}']
    assert [type(e) for e in rig.events] == [BatchInvoked, BatchSucceeded]
