"""The Redis queue store behaves exactly like the in-memory one: every test runs against both (semantics §3)."""

from __future__ import annotations

import re

import pytest

from invocations.engine.sources import QueueConfig, RedrivePolicy
from invocations.runtime.redis_store.queue import QUEUE_KEY_NAMES
from invocations.runtime.redis_store.scripts import source

Q = "arn:aws:sqs:us-east-1:123456789012:q"
DLQ = "arn:aws:sqs:us-east-1:123456789012:q-dlq"
FQ = "arn:aws:sqs:us-east-1:123456789012:q.fifo"
FDLQ = "arn:aws:sqs:us-east-1:123456789012:q-dlq.fifo"


@pytest.fixture
def store(queues):
    queues.create_queue(QueueConfig(DLQ))
    queues.create_queue(QueueConfig(Q, visibility_timeout=30, redrive=RedrivePolicy(DLQ, max_receive_count=2)))
    queues.create_queue(QueueConfig(FDLQ, fifo=True))
    queues.create_queue(QueueConfig(FQ, fifo=True, visibility_timeout=30, redrive=RedrivePolicy(FDLQ, 2)))
    return queues


def bodies(result) -> list[str]:
    return [m.body for m in result.messages]


def test_create_queue_keeps_the_first_config_and_checks_the_fifo_suffix(store):
    store.create_queue(QueueConfig(Q, visibility_timeout=99))
    assert store.queue_config(Q).visibility_timeout == 30
    assert store.queue_config(Q).redrive == RedrivePolicy(DLQ, 2)
    with pytest.raises(ValueError):
        store.create_queue(QueueConfig("arn:aws:sqs:us-east-1:123456789012:x.fifo"))
    with pytest.raises(KeyError):
        store.queue_config("arn:aws:sqs:us-east-1:123456789012:missing")


def test_a_standard_queue_serves_messages_in_send_order_up_to_the_batch_size(store):
    # semantics §3 (standard queues: best-effort order; this simulator keeps send order)
    for i in range(5):
        store.send_message(Q, f"m{i}", now=0, message_attributes={"n": {"StringValue": str(i)}})
    first = store.receive(Q, 3, now=0)
    assert bodies(first) == ["m0", "m1", "m2"]
    assert first.messages[1].message_attributes == {"n": {"StringValue": "1"}}
    assert bodies(store.receive(Q, 10, now=0)) == ["m3", "m4"]


def test_a_received_message_reappears_after_its_visibility_timeout_with_one_more_receive(store):
    # semantics §3: hidden for the visibility timeout, then visible again with ApproximateReceiveCount + 1
    store.send_message(Q, "m1", now=0)
    assert bodies(store.receive(Q, 10, now=0)) == ["m1"]
    assert store.receive(Q, 10, now=29.9).messages == []
    again = store.receive(Q, 10, now=30).messages
    assert [(m.body, m.receive_count, m.first_received_at) for m in again] == [("m1", 2, 0)]


def test_first_receive_timestamp_is_the_first_receive_not_the_send_and_is_kept_across_receives(store):
    # semantics §3 (ApproximateFirstReceiveTimestamp)
    store.send_message(Q, "m", now=1)
    assert store.receive(Q, 1, now=2).messages[0].first_received_at == 2
    assert store.receive(Q, 1, now=40).messages[0].first_received_at == 2


def test_only_the_latest_receipt_handle_deletes(store):
    # semantics §3
    store.send_message(Q, "m1", now=0)
    first = store.receive(Q, 1, now=0).messages[0]
    second = store.receive(Q, 1, now=31).messages[0]
    assert first.receipt_handle != second.receipt_handle
    assert store.delete(Q, first.receipt_handle) is False
    assert store.delete(Q, second.receipt_handle) is True
    assert store.delete(Q, second.receipt_handle) is False
    assert store.delete(Q, "not-a-handle") is False
    assert store.messages(Q) == []


def test_after_max_receive_count_the_next_receive_moves_the_message_to_the_dlq(store):
    # semantics §3: redrive happens on receive; the DLQ copy keeps id and body, its receive count starts over
    message_id = store.send_message(Q, "poison", now=0, message_attributes={"k": {"StringValue": "v"}})
    store.send_message(Q, "fine", now=20)
    store.receive(Q, 1, now=0)
    store.receive(Q, 1, now=30)  # "poison" again (sent first), receive count 2
    result = store.receive(Q, 1, now=60)
    assert [(m.message_id, m.receive_count) for m in result.redriven] == [(message_id, 2)]
    assert bodies(result) == ["fine"]  # a redriven message does not use up the batch
    moved = store.messages(DLQ)
    assert [(m.message_id, m.body, m.receive_count, m.receipt_handle) for m in moved] == [(message_id, "poison", 0, "")]
    assert moved[0].message_attributes == {"k": {"StringValue": "v"}}
    assert [m.body for m in store.messages(Q)] == ["fine"]
    assert store.delete(Q, result.redriven[0].receipt_handle) is False
    assert [(m.body, m.receive_count) for m in store.receive(DLQ, 10, now=61).messages] == [("poison", 1)]


def test_counts_split_visible_in_flight_and_delayed(store):
    store.send_message(Q, "a", now=0)
    store.send_message(Q, "b", now=0)
    store.send_message(Q, "c", now=0, delay=10)
    store.receive(Q, 1, now=0)
    counts = store.counts(Q, now=1)
    assert (counts.visible, counts.in_flight, counts.delayed, counts.total) == (1, 1, 1, 3)
    later = store.counts(Q, now=30)
    assert (later.visible, later.in_flight, later.delayed) == (3, 0, 0)


def test_a_delayed_message_is_not_received_before_its_delay(store):
    # semantics §3 (DelaySeconds)
    store.send_message(Q, "late", now=0, delay=5)
    store.send_message(Q, "now", now=0)
    assert bodies(store.receive(Q, 10, now=1)) == ["now"]
    assert bodies(store.receive(Q, 10, now=5)) == ["late"]


def test_change_visibility_hides_longer_or_releases_at_once_and_keeps_send_order(store):
    # semantics §3: a message that reappears keeps its place
    first = store.send_message(Q, "first", now=0)
    store.send_message(Q, "second", now=0)
    handle = store.receive(Q, 1, now=0).messages[0].receipt_handle
    assert store.change_visibility(Q, handle, 100, now=10)
    assert bodies(store.receive(Q, 10, now=50)) == ["second"]
    assert store.change_visibility(Q, handle, 0, now=60)
    assert [m.message_id for m in store.receive(Q, 1, now=60).messages] == [first]
    assert store.change_visibility(Q, handle, 0, now=61) is False  # stale since the last receive


def test_a_zero_visibility_receive_leaves_the_message_visible(store):
    store.send_message(Q, "m", now=0)
    assert len(store.receive(Q, 10, now=0, visibility_timeout=0).messages) == 1
    assert [m.receive_count for m in store.receive(Q, 10, now=0).messages] == [2]


def test_fifo_receive_keeps_group_order_and_skips_groups_in_flight(store):
    # semantics §3: order per MessageGroupId, one batch in flight per group
    for body, group in [("a1", "A"), ("b1", "B"), ("a2", "A"), ("b2", "B")]:
        store.send_message(FQ, body, now=0, group_id=group, dedup_id=body)
    first = store.receive(FQ, 1, now=0).messages
    assert [(m.body, m.group_id) for m in first] == [("a1", "A")]
    assert bodies(store.receive(FQ, 10, now=1)) == ["b1", "b2"]
    assert store.receive(FQ, 10, now=2).messages == []
    store.delete(FQ, first[0].receipt_handle)
    assert bodies(store.receive(FQ, 10, now=3)) == ["a2"]


def test_a_fifo_group_waits_for_its_hidden_head_even_when_later_messages_are_visible(store):
    # semantics §3: retries finish before the group advances
    for body in ["a1", "a2"]:
        store.send_message(FQ, body, now=0, group_id="A", dedup_id=body)
    store.send_message(FQ, "b1", now=0, group_id="B", dedup_id="b1")
    batch = store.receive(FQ, 2, now=0).messages
    assert [m.body for m in batch] == ["a1", "a2"]
    store.change_visibility(FQ, batch[1].receipt_handle, 0, now=1)  # a2 visible, a1 still in flight
    assert bodies(store.receive(FQ, 10, now=1)) == ["b1"]
    assert bodies(store.receive(FQ, 10, now=30)) == ["a1", "a2"]  # a1 came back: the group restarts at its head


def test_a_fifo_message_past_max_receives_goes_to_the_fifo_dlq_with_a_new_sequence_number(store):
    # semantics §3
    store.send_message(FDLQ, "already-there", now=0, group_id="x", dedup_id="x")
    store.send_message(FQ, "p", now=0, group_id="A", dedup_id="p")
    store.receive(FQ, 10, now=0)
    store.receive(FQ, 10, now=30)
    result = store.receive(FQ, 10, now=60)
    assert [m.body for m in result.redriven] == ["p"]
    moved = store.messages(FDLQ)
    assert [(m.body, m.group_id) for m in moved] == [("already-there", "x"), ("p", "A")]
    assert moved[0].sequence_number < moved[1].sequence_number


def test_fifo_deduplicates_within_five_minutes(store):
    # semantics §3: a duplicate within the deduplication interval returns the first message's id
    first = store.send_message(FQ, "x", now=0, group_id="g", dedup_id="d")
    assert store.send_message(FQ, "other body", now=100, group_id="g", dedup_id="d") == first
    assert store.send_message(FQ, "x", now=299.9, group_id="h", dedup_id="d") == first
    third = store.send_message(FQ, "x", now=300, group_id="g", dedup_id="d")
    assert third != first
    assert store.send_message(FQ, "x", now=301, group_id="g", dedup_id="d") == third
    assert [m.body for m in store.messages(FQ)] == ["x", "x"]


def test_fifo_content_based_deduplication_hashes_the_body(store):
    # semantics §3
    cq = "arn:aws:sqs:us-east-1:123456789012:cbd.fifo"
    store.create_queue(QueueConfig(cq, fifo=True, content_based_deduplication=True))
    first = store.send_message(cq, "same", now=0, group_id="g")
    assert store.send_message(cq, "same", now=1, group_id="g") == first
    assert store.send_message(cq, "different", now=1, group_id="g") != first
    assert len(store.messages(cq)) == 2


def test_fifo_sends_need_a_group_and_a_dedup_id(store):
    with pytest.raises(ValueError):
        store.send_message(FQ, "x", now=0, dedup_id="d")
    with pytest.raises(ValueError):
        store.send_message(FQ, "x", now=0, group_id="g")


def test_fifo_messages_carry_increasing_sequence_numbers_and_their_dedup_ids(store):
    # semantics §3
    for i in range(12):
        store.send_message(FQ, f"m{i}", now=0, group_id="g", dedup_id=f"d{i}")
    messages = store.messages(FQ)
    numbers = [m.sequence_number for m in messages]
    assert numbers == sorted(numbers) and len(set(numbers)) == 12 and all(len(n) == 20 for n in numbers)
    assert [m.dedup_id for m in messages][:2] == ["d0", "d1"]


def test_unknown_queues_raise_key_error(store):
    with pytest.raises(KeyError):
        store.send_message("arn:aws:sqs:us-east-1:123456789012:nope", "x", now=0)


def test_python_passes_the_queue_keys_in_the_order_the_lua_scripts_read_them():
    names = re.search(r"QUEUE_KEY_NAMES = \{(.*?)\}", source("queue_common"), re.S).group(1)
    assert tuple(re.findall(r"'(\w+)'", names)) == QUEUE_KEY_NAMES
