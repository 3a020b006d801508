"""Golden traces for the pollers: seeded chaos on every source kind, the full log checked in line by line (§3).

The classroom golden trace never starts a poller, so this one pins what refactors of the pollers must keep:
every event, every invocation (time and record ids), every on-failure record and the final checkpoints.
After an intended behaviour change, regenerate and review the diff:
    LAMBDAVIZ_REGEN_GOLDEN=1 .venv/bin/pytest tests/engine/sources/test_poller_golden.py
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from invocations.engine.events import event_to_dict
from invocations.engine.outcomes import Outcome

from .esm_helpers import error, ok
from .queue_rig import queue_rig
from .stream_rig import DEST, stream_rig

GOLDEN = Path(__file__).parent.parent / "golden"
REGENERATE = os.environ.get("LAMBDAVIZ_REGEN_GOLDEN") == "1"
ON_FAILURE = {"OnFailure": {"Destination": DEST}}
RBIF = ["ReportBatchItemFailures"]


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def _line(value: Any) -> str:
    return json.dumps(_rounded(value), sort_keys=True, default=str)


class Chaos:
    """A seeded function: throttles, errors, timeouts, partial failures (when `ids_of` is given) or success."""

    def __init__(
        self,
        seed: int,
        ids_of: Callable[[dict], list[str]] | None = None,
        *,
        fail: float = 0.15,
        throttle: float = 0.12,
    ) -> None:
        self.rng = random.Random(seed)
        self.ids_of = ids_of
        self.fail, self.throttle = fail, throttle  # chances; then timeouts 5%, partial failures 18%

    def __call__(self, payload: dict) -> tuple:
        roll = self.rng.random() - self.throttle - self.fail
        if roll < -self.fail:
            return Outcome.THROTTLED, None
        if roll < 0:
            return error()
        if roll < 0.05:
            return Outcome.TIMEOUT, None
        if roll < 0.23 and self.ids_of is not None:
            failed = [i for i in self.ids_of(payload) if self.rng.random() < 0.3]
            return ok({"batchItemFailures": [{"itemIdentifier": i} for i in failed]})
        return ok()


def kinesis_ids(payload: dict) -> list[str]:
    return [r["kinesis"]["sequenceNumber"] for r in payload["Records"]]


def dynamodb_ids(payload: dict) -> list[str]:
    return [r["dynamodb"]["SequenceNumber"] for r in payload["Records"]]


def sqs_ids(payload: dict) -> list[str]:
    return [r["messageId"] for r in payload["Records"]]


def _trace(rig: Any, extra: list[Any]) -> list[str]:
    lines = [_line(event_to_dict(e)) for e in rig.events]
    lines.append(_line({"calls": len(rig.invoker.calls)}))  # BatchInvoked carries each call's time and ids
    for arn, deliveries in sorted(rig.ctx.targets.delivered.items()):
        lines += [_line({"sent": arn, "body": d.body}) for d in deliveries]
    lines += [_line(x) for x in extra]
    return lines


def _drive(
    rig: Any, put: Callable[[int], Any], *, count: int, every: float, until: float, pause: float | None = None
) -> None:
    """Put `count` items `every` seconds apart, disable and re-enable at `pause` (if given), then run to `until`."""
    for i in range(count):
        rig.clock.run(until=i * every)
        if pause is not None and abs(rig.clock.now() - pause) < every / 2:
            rig.poller.stop()
            rig.clock.run(until=rig.clock.now() + 3)
            rig.poller.start()
        put(i)
    rig.clock.run(until=until)


def kinesis_scenario() -> list[str]:
    rig = stream_rig(
        shards=2,
        retention=400,
        duration=0.4,
        decide=Chaos(11, kinesis_ids, fail=0.35),
        ParallelizationFactor=3,
        BatchSize=4,
        MaximumBatchingWindowInSeconds=1,
        BisectBatchOnFunctionError=True,
        FunctionResponseTypes=RBIF,
        MaximumRetryAttempts=3,
        MaximumRecordAgeInSeconds=90,
        DestinationConfig=ON_FAILURE,
    )
    keys = random.Random(12)
    _drive(rig, lambda i: rig.put(f"k{keys.randrange(7)}", {"i": i}), count=120, every=0.7, until=900, pause=30)
    shards = rig.store.shard_ids(rig.arn)
    return _trace(rig, [{"checkpoint": s, "seq": rig.poller.checkpoint(s)} for s in shards])


def kinesis_unbounded_scenario() -> list[str]:
    """Infinite retries, no bisect, whole-batch failures: a shard stays blocked until a retry succeeds."""
    rig = stream_rig(
        shards=1, retention=60, duration=1.0, decide=Chaos(21, fail=0.6), BatchSize=3, DestinationConfig=ON_FAILURE
    )
    _drive(rig, lambda i: rig.put(f"k{i % 3}", {"i": i}), count=40, every=1.5, until=400, pause=20)
    return _trace(rig, [{"checkpoint": "0", "seq": rig.poller.checkpoint(rig.store.shard_ids(rig.arn)[0])}])


def kinesis_doomed_scenario() -> list[str]:
    """A mostly failing function: records age out (MaximumRecordAgeInSeconds) on one shard, and on a mapping
    without a record-age limit they pass retention, expiring both in a blocked batch and unread behind it."""
    aged = stream_rig(
        shards=1,
        duration=2.0,
        decide=Chaos(101, fail=0.85),
        BatchSize=2,
        MaximumRecordAgeInSeconds=60,
        DestinationConfig=ON_FAILURE,
    )
    _drive(aged, lambda i: aged.put(f"k{i % 2}", {"i": i}), count=30, every=2.0, until=400)
    expired = stream_rig(
        shards=1, retention=30, duration=2.0, decide=Chaos(102, fail=0.9), ParallelizationFactor=2, BatchSize=2
    )
    _drive(expired, lambda i: expired.put(f"k{i % 3}", {"i": i}), count=40, every=1.5, until=400)
    return _trace(aged, []) + _trace(expired, [{"checkpoint": expired.poller.checkpoint("shardId-000000000000")}])


def dynamodb_scenario() -> list[str]:
    rig = stream_rig(
        "dynamodb",
        shards=2,
        duration=0.3,
        decide=Chaos(31, dynamodb_ids, fail=0.4),
        BatchSize=5,
        FunctionResponseTypes=RBIF,
        MaximumRecordAgeInSeconds=60,
        MaximumRetryAttempts=5,
        DestinationConfig=ON_FAILURE,
        FilterCriteria={"Filters": [{"Pattern": '{"dynamodb": {"NewImage": {"keep": {"BOOL": [true]}}}}'}]},
    )
    put = lambda i: rig.put(  # noqa: E731
        f"k{i % 4}", {"eventName": "INSERT", "Keys": {"id": {"N": str(i)}}, "NewImage": {"keep": {"BOOL": i % 5 != 0}}}
    )
    _drive(rig, put, count=80, every=0.5, until=300, pause=12)
    return _trace(rig, [{"checkpoint": s, "seq": rig.poller.checkpoint(s)} for s in rig.store.shard_ids(rig.arn)])


def kafka_scenario() -> list[str]:
    rig = stream_rig("kafka", shards=2, duration=0.6, decide=Chaos(41), BatchSize=3, MaximumRetryAttempts=2)
    _drive(rig, lambda i: rig.put(f"k{i % 5}", {"i": i}), count=60, every=0.4, until=200, pause=9)
    return _trace(rig, [{"checkpoint": s, "seq": rig.poller.checkpoint(s)} for s in rig.store.shard_ids(rig.arn)])


def sqs_scenario() -> list[str]:
    rig = queue_rig(
        visibility=8,
        max_receive=3,
        duration=0.5,
        decide=Chaos(51, sqs_ids),
        BatchSize=5,
        MaximumBatchingWindowInSeconds=1,
        FunctionResponseTypes=RBIF,
        ScalingConfig={"MaximumConcurrency": 6},
        FilterCriteria={"Filters": [{"Pattern": '{"body": {"keep": [true]}}'}]},
    )
    _drive(rig, lambda i: rig.send({"i": i, "keep": i % 7 != 0}), count=300, every=0.05, until=300)
    return _trace(rig, [{"left": rig.left(), "dlq": rig.left(rig.dlq), "pollers": rig.poller.concurrency}])


def sqs_throttled_scenario() -> list[str]:
    """Long visibility so throttled batches retry in hand; whole-batch errors scale polling down."""
    rig = queue_rig(visibility=120, max_receive=4, duration=2.0, decide=Chaos(61), BatchSize=2)
    _drive(rig, lambda i: rig.send({"i": i}), count=80, every=0.2, until=900)
    return _trace(rig, [{"left": rig.left(), "dlq": rig.left(rig.dlq), "pollers": rig.poller.concurrency}])


def sqs_throttle_storm_scenario() -> list[str]:
    """Mostly throttled with a short visibility timeout: retries in hand, then batches left to reappear."""
    rig = queue_rig(visibility=10, max_receive=5, duration=0.5, decide=Chaos(65, throttle=0.7, fail=0.1), BatchSize=3)
    _drive(rig, lambda i: rig.send({"i": i}), count=60, every=0.3, until=400)
    return _trace(rig, [{"left": rig.left(), "dlq": rig.left(rig.dlq), "pollers": rig.poller.concurrency}])


def sqs_large_scenario() -> list[str]:
    """200 KB bodies: a receive that would pass 6 MB hands the rest back and closes the batch."""
    rig = queue_rig(visibility=15, duration=1.0, decide=Chaos(67), BatchSize=100, MaximumBatchingWindowInSeconds=2)
    _drive(rig, lambda i: rig.send({"i": i, "pad": "x" * 200_000}), count=120, every=0.001, until=200)
    return _trace(rig, [{"left": len(rig.left()), "pollers": rig.poller.concurrency}])


def sqs_restart_scenario() -> list[str]:
    """Disabled and re-enabled with batches in flight and windows open (pins today's restart, which leaves the
    pollers that were waiting asleep)."""
    rig = queue_rig(visibility=15, duration=1.0, decide=Chaos(68), BatchSize=4, MaximumBatchingWindowInSeconds=2)
    _drive(rig, lambda i: rig.send({"i": i}), count=90, every=0.1, until=200, pause=4)
    return _trace(rig, [{"left": len(rig.left()), "pollers": rig.poller.concurrency}])


def fifo_scenario() -> list[str]:
    rig = queue_rig(
        "sqs-fifo",
        visibility=6,
        max_receive=2,
        duration=0.5,
        decide=Chaos(71, sqs_ids),
        BatchSize=4,
        FunctionResponseTypes=RBIF,
    )
    _drive(rig, lambda i: rig.send({"i": i}, group=f"g{i % 4}"), count=80, every=0.25, until=300)
    return _trace(rig, [{"left": rig.left(), "dlq": rig.left(rig.dlq), "blocked": sorted(rig.poller.blocked_groups)}])


def mq_scenario(kind: str, seed: int) -> Callable[[], list[str]]:
    def scenario() -> list[str]:
        rig = queue_rig(kind, visibility=10, max_receive=3, duration=0.7, decide=Chaos(seed), BatchSize=3)
        _drive(rig, lambda i: rig.send({"i": i}), count=50, every=0.3, until=300)
        return _trace(rig, [{"left": rig.left(), "dlq": rig.left(rig.dlq)}])

    return scenario


SCENARIOS = {
    "kinesis": kinesis_scenario,
    "kinesis_unbounded": kinesis_unbounded_scenario,
    "kinesis_doomed": kinesis_doomed_scenario,
    "dynamodb": dynamodb_scenario,
    "kafka": kafka_scenario,
    "sqs": sqs_scenario,
    "sqs_throttled": sqs_throttled_scenario,
    "sqs_throttle_storm": sqs_throttle_storm_scenario,
    "sqs_large": sqs_large_scenario,
    "sqs_restart": sqs_restart_scenario,
    "sqs_fifo": fifo_scenario,
    "mq_activemq": mq_scenario("mq-activemq", 81),
    "mq_rabbitmq": mq_scenario("mq-rabbitmq", 91),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_poller_scenario_matches_its_golden_trace(name):
    path = GOLDEN / f"pollers_{name}.jsonl"
    lines = SCENARIOS[name]()
    if REGENERATE:
        path.write_text("\n".join(lines) + "\n")
    assert path.exists(), f"missing {path}; create it with LAMBDAVIZ_REGEN_GOLDEN=1"
    expected = path.read_text().splitlines()
    assert len(lines) > 5, "the scenario did too little to pin anything"
    for i, (got, want) in enumerate(zip(lines, expected, strict=False)):
        assert got == want, f"{name}: line {i} differs"
    assert len(lines) == len(expected)
