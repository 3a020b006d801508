"""InMemoryQueueStore beyond the conformance suite (tests/runtime/redis_store/test_queue_conformance.py runs the
shared queue cases against it and the Redis store): its message ids follow the seed it was given."""

import random

from invocations.engine.sources import InMemoryQueueStore, QueueConfig

Q = "arn:aws:sqs:us-east-1:123456789012:q"


def test_message_ids_are_deterministic_for_a_seed():
    ids = []
    for _ in range(2):
        s = InMemoryQueueStore(random.Random(5))
        s.create_queue(QueueConfig(Q))
        ids.append([s.send_message(Q, "m", now=0) for _ in range(3)])
    assert ids[0] == ids[1]
