"""InMemoryQueueStore: visibility, receive counts, redrive and FIFO group locking (semantics §3)."""

import random

import pytest

from invocations.engine.sources import InMemoryQueueStore, QueueConfig, RedrivePolicy

Q = "arn:aws:sqs:us-east-1:123456789012:q"
DLQ = "arn:aws:sqs:us-east-1:123456789012:q-dlq"
FQ = "arn:aws:sqs:us-east-1:123456789012:q.fifo"


@pytest.fixture
def store() -> InMemoryQueueStore:
    s = InMemoryQueueStore(random.Random(1))
    s.create_queue(QueueConfig(DLQ))
    s.create_queue(QueueConfig(Q, visibility_timeout=30, redrive=RedrivePolicy(DLQ, max_receive_count=2)))
    s.create_queue(QueueConfig(FQ, fifo=True, visibility_timeout=30))
    return s


def test_a_received_message_is_hidden_until_its_visibility_timeout_ends(store):
    # semantics §3
    store.send_message(Q, "m1", now=0)
    assert [m.body for m in store.receive(Q, 10, now=0).messages] == ["m1"]
    assert store.receive(Q, 10, now=29.9).messages == []
    again = store.receive(Q, 10, now=30).messages
    assert [(m.body, m.receive_count) for m in again] == [("m1", 2)]


def test_deleting_with_the_current_receipt_handle_removes_the_message(store):
    # semantics §3
    store.send_message(Q, "m1", now=0)
    first = store.receive(Q, 1, now=0).messages[0]
    second = store.receive(Q, 1, now=31).messages[0]
    assert store.delete(Q, first.receipt_handle) is False  # stale handle
    assert store.delete(Q, second.receipt_handle) is True
    assert store.messages(Q) == []


def test_after_max_receive_count_the_next_receive_moves_the_message_to_the_dlq(store):
    # semantics §3
    message_id = store.send_message(Q, "poison", now=0)
    store.receive(Q, 1, now=0)
    store.receive(Q, 1, now=30)
    result = store.receive(Q, 1, now=60)
    assert result.messages == []
    assert [(m.message_id, m.receive_count) for m in result.redriven] == [(message_id, 2)]
    assert [(m.message_id, m.body) for m in store.messages(DLQ)] == [(message_id, "poison")]
    assert store.messages(Q) == []


def test_first_receive_timestamp_is_kept_across_receives(store):
    # semantics §3
    store.send_message(Q, "m", now=1)
    assert store.receive(Q, 1, now=2).messages[0].first_received_at == 2
    assert store.receive(Q, 1, now=40).messages[0].first_received_at == 2


def test_counts_split_visible_in_flight_and_delayed(store):
    store.send_message(Q, "a", now=0)
    store.send_message(Q, "b", now=0)
    store.send_message(Q, "c", now=0, delay=10)
    store.receive(Q, 1, now=0)
    counts = store.counts(Q, now=1)
    assert (counts.visible, counts.in_flight, counts.delayed) == (1, 1, 1)


def test_fifo_receive_keeps_group_order_and_skips_groups_in_flight(store):
    # semantics §3
    for body, group in [("a1", "A"), ("b1", "B"), ("a2", "A"), ("b2", "B")]:
        store.send_message(FQ, body, now=0, group_id=group, dedup_id=body)
    first = store.receive(FQ, 1, now=0).messages
    assert [m.body for m in first] == ["a1"]
    # Group A has a message in flight: only B may be served.
    assert [m.body for m in store.receive(FQ, 10, now=1).messages] == ["b1", "b2"]
    assert store.receive(FQ, 10, now=2).messages == []
    store.delete(FQ, first[0].receipt_handle)
    assert [m.body for m in store.receive(FQ, 10, now=3).messages] == ["a2"]


def test_fifo_deduplicates_within_five_minutes(store):
    # semantics §3
    first = store.send_message(FQ, "x", now=0, group_id="g", dedup_id="d")
    assert store.send_message(FQ, "x", now=100, group_id="g", dedup_id="d") == first
    assert store.send_message(FQ, "x", now=301, group_id="g", dedup_id="d") != first
    assert len(store.messages(FQ)) == 2


def test_fifo_messages_carry_sequence_numbers_in_send_order(store):
    # semantics §3
    for i in range(3):
        store.send_message(FQ, f"m{i}", now=0, group_id="g", dedup_id=str(i))
    numbers = [m.sequence_number for m in store.messages(FQ)]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3


def test_message_ids_are_deterministic_for_a_seed():
    ids = []
    for _ in range(2):
        s = InMemoryQueueStore(random.Random(5))
        s.create_queue(QueueConfig(Q))
        ids.append([s.send_message(Q, "m", now=0) for _ in range(3)])
    assert ids[0] == ids[1]


def test_standard_queues_serve_visible_messages_in_send_order(store):
    # semantics §3 (best-effort ordering: a message that reappears keeps its place)
    first = store.send_message(Q, "first", now=0)
    store.send_message(Q, "second", now=0)
    handle = store.receive(Q, 1, now=0).messages[0].receipt_handle
    assert store.change_visibility(Q, handle, 0, now=1)
    assert [m.message_id for m in store.receive(Q, 1, now=1).messages] == [first]


def test_change_visibility_can_hide_a_message_longer(store):
    store.send_message(Q, "m", now=0)
    handle = store.receive(Q, 1, now=0).messages[0].receipt_handle
    store.change_visibility(Q, handle, 100, now=10)
    assert store.receive(Q, 1, now=50).messages == []
    assert [m.body for m in store.receive(Q, 1, now=110).messages] == ["m"]


def test_a_zero_visibility_receive_leaves_the_message_visible(store):
    store.send_message(Q, "m", now=0)
    assert len(store.receive(Q, 10, now=0, visibility_timeout=0).messages) == 1
    assert [m.receive_count for m in store.receive(Q, 10, now=0).messages] == [2]
