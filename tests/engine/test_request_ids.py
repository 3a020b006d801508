"""Request ids (semantics §1, §2, §9): random version-4 UUIDs from the seeded RNG, or the caller's, one per invocation
across every attempt and record."""

from __future__ import annotations

import random
import uuid

from invocations.engine.config import AsyncConfig, VersionConfig
from invocations.engine.events import InvocationCompleted
from invocations.engine.request_ids import BATCH, random_request_ids
from invocations.engine.simulator import InvokeRequest

from .helpers import fixed, function, make


def test_ids_are_random_version_4_uuids_drawn_from_the_rng_in_order():
    ids = random_request_ids(random.Random(3))
    drawn = [ids() for _ in range(BATCH + 5)]  # across a batch boundary
    expected_rng = random.Random(3)
    expected = []
    while len(expected) < len(drawn):
        bits = expected_rng.getrandbits(128 * BATCH)
        expected += [
            str(uuid.UUID(int=(bits >> (128 * k)) & ((1 << 128) - 1), version=4)) for k in reversed(range(BATCH))
        ]
    assert drawn == expected[: len(drawn)]
    assert len(set(drawn)) == len(drawn)


def test_the_engine_default_ids_are_random_uuids_and_the_same_seed_gives_the_same_ids():
    def ids(seed: int) -> list[str]:
        sim = make(function(profile=fixed()), seed=seed, readable_ids=False)
        for _ in range(3):
            sim.invoke()
        sim.clock.run()
        return [r.request_id for r in sim.results]

    first = ids(4)
    assert first == ids(4) and first != ids(5)
    assert all(uuid.UUID(i).version == 4 for i in first)
    assert len({i[:24] for i in first}) == 3  # no shared prefix with a counter behind it


def test_a_caller_chosen_id_is_the_id_of_the_sync_invocation_and_of_every_async_attempt():
    # semantics §2: the 202's id is the one the later attempts, the DLQ message and the records carry
    dlq = "arn:aws:sqs:us-east-1:123456789012:dlq"
    fn = function(
        versions={"$LATEST": VersionConfig(profile=fixed(error_rate=1.0), dlq_arn=dlq)},
        async_configs={"$LATEST": AsyncConfig(max_retry_attempts=1)},
    )
    sim = make(fn)
    sim.invoke(request_id="sync-id")
    assert sim.invoke_async(request_id="event-id") == "event-id"
    batch = sim.engine.invoke_many([InvokeRequest("fn", {}, request_id="batch-id"), InvokeRequest("fn", {})])
    assert batch == ["batch-id", "req-1"]  # a request without an id gets the engine's
    sim.clock.run()
    completed = [e.result.request_id for e in sim.events(InvocationCompleted)]
    assert sorted(completed) == ["batch-id", "event-id", "event-id", "req-1", "sync-id"]
    (message,) = sim.targets.delivered[dlq]
    assert message.attributes["RequestID"]["StringValue"] == "event-id"
