"""Golden traces: a seeded classroom scenario's full event log, checked in and compared line by line.

After an intended behaviour change, regenerate and review the diff:
    LAMBDAVIZ_REGEN_GOLDEN=1 .venv/bin/pytest tests/engine/test_golden.py
Normal runs never write the file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from invocations.engine.config import AccountConfig, AliasConfig, AsyncConfig, VersionConfig
from invocations.engine.events import event_to_dict
from invocations.engine.options import EngineOptions
from invocations.engine.profile import BehaviourProfile

from .helpers import function, make

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("LAMBDAVIZ_REGEN_GOLDEN") == "1"


def _rounded(value):
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def classroom_scenario() -> list[str]:
    """Canary 80/20 with a faulty v2, a burst into reserved concurrency, async retries to a DLQ, a weight change."""
    poison = [{"path": "poison"}]
    v1 = BehaviourProfile.from_dict({"duration_ms": {"mean": 120, "stddev": 30}, "init_ms": 300, "fail_when": poison})
    v2 = BehaviourProfile.from_dict(
        {
            "duration_ms": {"mean": 100, "stddev": 20},
            "init_ms": 350,
            "error_rate": 0.5,
            "fail_when": [{"path": "poison"}],
        }
    )
    fn = function(
        "orders",
        versions={
            "$LATEST": VersionConfig(profile=v2),
            "1": VersionConfig(profile=v1, dlq_arn="arn:aws:sqs:us-east-1:123456789012:orders-dlq"),
            "2": VersionConfig(profile=v2, dlq_arn="arn:aws:sqs:us-east-1:123456789012:orders-dlq"),
        },
        aliases={"live": AliasConfig("1", {"2": 0.2})},
        reserved_concurrency=6,
        provisioned={"live": 2},
        async_configs={
            "live": AsyncConfig(
                max_retry_attempts=1, max_event_age_s=300, on_failure="arn:aws:sns:us-east-1:123456789012:orders-failed"
            )
        },
    )
    sim = make(
        fn,
        seed=2024,
        readable_ids=False,
        account=AccountConfig(concurrency_limit=50, unreserved_min=10),
        options=EngineOptions(keep_alive_s=120, epoch=1_700_000_000.0),
    )
    sim.clock.run(until=1.0)
    for i in range(10):  # a burst: PC 2 + on-demand 4 = 6 reserved, the rest throttled
        sim.invoke("orders:live", {"order": i})
    for i in range(4):
        sim.invoke_async("orders:live", {"order": 100 + i, "poison": i == 3})
    sim.clock.run(until=30.0)
    sim.registry.set_alias("orders", "live", AliasConfig("1", {"2": 0.5}))
    for i in range(6):
        sim.invoke("orders:live", {"order": 200 + i})
        sim.clock.run(until=30.0 + 0.5 * (i + 1))
    sim.clock.run(until=600.0)
    return [json.dumps(_rounded(event_to_dict(e)), sort_keys=True) for e in sim.sink.events]


def test_the_classroom_scenario_matches_its_golden_trace():
    path = GOLDEN / "classroom_scenario.jsonl"
    lines = classroom_scenario()
    if REGENERATE:
        path.write_text("\n".join(lines) + "\n")
    assert path.exists(), f"missing {path}; create it with LAMBDAVIZ_REGEN_GOLDEN=1"
    expected = path.read_text().splitlines()
    for i, (got, want) in enumerate(zip(lines, expected, strict=False)):
        assert got == want, f"event {i} differs"
    assert len(lines) == len(expected)
