"""Same seed, same clock, same calls: the same event log (DESIGN: the engine is deterministic)."""

import random

from invocations.engine.outcomes import Outcome

from .esm_helpers import error, ok
from .queue_rig import queue_rig
from .stream_rig import stream_rig


def flaky(seed: int):
    rng = random.Random(seed)

    def decide(payload):
        roll = rng.random()
        return (Outcome.THROTTLED, None) if roll < 0.1 else error() if roll < 0.4 else ok()

    return decide


def run_stream(seed: int) -> list:
    rig = stream_rig(shards=2, decide=flaky(seed), ParallelizationFactor=2, BatchSize=3, MaximumRetryAttempts=2)
    for i in range(30):
        rig.put(f"k{i % 5}", {"i": i})
    rig.clock.run(until=120)
    return rig.events


def run_queue(seed: int) -> list:
    rig = queue_rig(decide=flaky(seed), max_receive=3, visibility=5, BatchSize=3)
    for i in range(60):
        rig.send({"i": i})
    rig.clock.run(until=120)
    return rig.events


def test_a_seeded_stream_run_replays_exactly():
    first, second = run_stream(4), run_stream(4)
    assert len(first) > 20 and first == second


def test_a_seeded_queue_run_replays_exactly():
    first, second = run_queue(4), run_queue(4)
    assert len(first) > 20 and first == second
