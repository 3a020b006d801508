"""Random operation scripts replayed on the in-memory and the Redis queue store must give identical traces."""

from __future__ import annotations

import random

import pytest

from invocations.engine.sources import QueueConfig, RedrivePolicy

from .conftest import make_queue_store

Q = "arn:aws:sqs:us-east-1:123456789012:d"
DLQ = "arn:aws:sqs:us-east-1:123456789012:d-dlq"
FQ = "arn:aws:sqs:us-east-1:123456789012:d.fifo"
FDLQ = "arn:aws:sqs:us-east-1:123456789012:d-dlq.fifo"


def run_script(store, seed: int, steps: int = 400) -> list:
    """Drive `store` with a seeded random mix of every operation; return what a caller could observe."""
    rng = random.Random(seed)
    store.create_queue(QueueConfig(DLQ))
    store.create_queue(QueueConfig(Q, visibility_timeout=10, redrive=RedrivePolicy(DLQ, 3)))
    store.create_queue(QueueConfig(FDLQ, fifo=True))
    store.create_queue(QueueConfig(FQ, fifo=True, visibility_timeout=10, redrive=RedrivePolicy(FDLQ, 2)))
    labels: dict[str, str] = {}  # message id -> the body it was sent with (ids are compared through these)
    handles: list[tuple[str, str]] = []  # (queue, receipt handle) in the order they were seen
    now, trace = 0.0, []

    def seen(message) -> tuple:
        handle_number = message.receipt_handle.rpartition("#")[2]
        return (
            labels[message.message_id],
            message.receive_count,
            message.first_received_at,
            handle_number,
            message.sequence_number,
            message.group_id,
        )

    for step in range(steps):
        op = rng.choice(["send", "send", "send", "receive", "receive", "delete", "visibility", "counts", "tick"])
        queue = rng.choice([Q, FQ, DLQ, FDLQ])
        if op == "send":
            fifo = queue.endswith(".fifo")
            dedup = f"d{rng.randrange(step + 1)}" if fifo else None  # often a duplicate of an earlier send
            group = rng.choice("ABC") if fifo else None
            message_id = store.send_message(
                queue, f"m{step}", now=now, group_id=group, dedup_id=dedup, delay=rng.choice([0, 0, 0, 7])
            )
            labels.setdefault(message_id, f"m{step}")
            trace.append((op, labels[message_id]))
        elif op == "receive":
            result = store.receive(queue, rng.randint(1, 4), now=now, visibility_timeout=rng.choice([None, 0, 4]))
            handles.extend((queue, m.receipt_handle) for m in result.messages)
            trace.append((op, [seen(m) for m in result.messages], [seen(m) for m in result.redriven]))
        elif op in ("delete", "visibility") and handles:
            arn, handle = handles[rng.randrange(len(handles))]
            if op == "delete":
                trace.append((op, store.delete(arn, handle)))
            else:
                trace.append((op, store.change_visibility(arn, handle, rng.choice([0, 3, 20]), now=now)))
        elif op == "counts":
            counts = store.counts(queue, now=now)
            trace.append((op, counts.visible, counts.in_flight, counts.delayed))
        else:
            now += rng.choice([0.5, 2, 5, 11])
    for arn in (Q, DLQ, FQ, FDLQ):
        trace.append(("left", arn, [seen(m) + (m.body, m.dedup_id) for m in store.messages(arn)]))
    return trace


@pytest.mark.parametrize("seed", range(6))
def test_the_redis_store_replays_a_random_script_exactly_like_memory(request, seed):
    # semantics §3: visibility, receive counts, redrive, FIFO groups and dedup, all at once
    memory = run_script(make_queue_store("memory", request, seed), seed)
    redis_trace = run_script(make_queue_store("redis", request, seed), seed)
    assert redis_trace == memory
    # The script really exercised the interesting paths (otherwise equality would prove little).
    receives = [t for t in memory if t[0] == "receive"]
    assert any(t[2] for t in receives), "no redrive happened"
    assert any(t[0] == "delete" and t[1] for t in memory) and any(t[0] == "delete" and not t[1] for t in memory)
    assert sum(len(t[1]) for t in receives) > 50
    sends = [t for t in memory if t[0] == "send"]
    assert len({t[1] for t in sends}) < len(sends), "no FIFO duplicate was sent"
