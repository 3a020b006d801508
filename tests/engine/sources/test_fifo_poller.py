"""SQS FIFO mappings: order per message group, one batch in flight per group, blocking groups (semantics §3)."""

import json

from invocations.engine.sources import BatchFailed, GroupBlocked, GroupUnblocked, MessageRedriven

from .esm_helpers import error, ok
from .queue_rig import queue_rig


def group_order(rig) -> dict[str, list[int]]:
    seen: dict[str, list[int]] = {}
    for call in rig.invoker.calls:
        for record in call.payload["Records"]:
            seen.setdefault(record["attributes"]["MessageGroupId"], []).append(json.loads(record["body"])["i"])
    return seen


def test_messages_of_a_group_reach_the_function_in_send_order():
    # semantics §3
    rig = queue_rig("sqs-fifo", BatchSize=2, decide=lambda p: ok(), duration=1.0)
    for i in range(12):
        rig.send({"i": i}, group="AB"[i % 2])
    rig.clock.run(until=30)
    assert group_order(rig) == {"A": [0, 2, 4, 6, 8, 10], "B": [1, 3, 5, 7, 9, 11]}
    assert rig.left() == []


def test_a_group_never_has_two_batches_in_flight():
    # semantics §3
    rig = queue_rig("sqs-fifo", BatchSize=1, decide=lambda p: ok(), duration=3.0)
    for i in range(6):
        rig.send({"i": i}, group="only")
    rig.clock.run(until=60)
    assert rig.invoker.max_in_flight == 1
    assert [c.at for c in rig.invoker.calls] == [0.0, 3.0, 6.0, 9.0, 12.0, 15.0]


def test_different_groups_are_processed_side_by_side():
    # semantics §3: concurrency up to the number of active groups
    rig = queue_rig("sqs-fifo", BatchSize=1, decide=lambda p: ok(), duration=3.0)
    for i in range(4):
        rig.send({"i": i}, group=f"g{i}")
    rig.clock.run(until=1)
    assert rig.invoker.in_flight == 4


def test_a_failing_group_blocks_until_its_messages_are_redriven_while_other_groups_flow():
    # semantics §3
    rig = queue_rig("sqs-fifo", BatchSize=1, max_receive=2, duration=0.5, decide=lambda p: error() if json.loads(
        p["Records"][0]["body"]).get("poison") else ok())  # fmt: skip
    poison = rig.send({"i": 0, "poison": True}, group="A")
    rig.send({"i": 1}, group="A")
    for i in range(2, 5):
        rig.send({"i": i}, group="B")
    rig.clock.run(until=200)
    assert group_order(rig) == {"A": [0, 0, 1], "B": [2, 3, 4]}
    assert [type(e).__name__ for e in rig.of(GroupBlocked, GroupUnblocked, MessageRedriven)] == [
        "GroupBlocked", "MessageRedriven", "GroupUnblocked",
    ]  # fmt: skip
    assert rig.of(MessageRedriven)[0].message_id == poison
    a_calls = [c.at for c in rig.invoker.calls if c.payload["Records"][0]["attributes"]["MessageGroupId"] == "A"]
    assert a_calls[2] >= 60.0  # message 1 waited out two visibility timeouts behind the poison one
    assert rig.left(rig.dlq) == ['{"i": 0, "poison": true}']


def test_with_report_batch_item_failures_everything_after_the_first_failure_returns():
    # semantics §3: "stop at first failure and return all remaining IDs"
    def decide(payload):
        records = payload["Records"]
        bad = [r["messageId"] for r in records if json.loads(r["body"]).get("bad")]
        return ok({"batchItemFailures": [{"itemIdentifier": i} for i in bad]})  # reports only the bad one

    answers = {"n": 0}

    def once_bad(payload):
        answers["n"] += 1
        return decide(payload) if answers["n"] == 1 else ok()

    rig = queue_rig("sqs-fifo", BatchSize=10, decide=once_bad, FunctionResponseTypes=["ReportBatchItemFailures"])
    rig.send({"i": 0}, group="A")
    bad = rig.send({"i": 1, "bad": True}, group="A")
    after = rig.send({"i": 2}, group="A")
    rig.clock.run(until=100)
    assert rig.of(BatchFailed)[0].failed_ids == (bad, after)
    assert group_order(rig) == {"A": [0, 1, 2, 1, 2]}
    assert rig.left() == []
