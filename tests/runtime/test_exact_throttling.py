"""Throttling is exact across processes: two engines sharing Redis never both take the last slot (§8)."""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_two_processes_bursting_at_once_get_exactly_the_reserved_concurrency_between_them(redis_client):
    # semantics §8: reserved concurrency 5 is a hard cap for the function across every caller; the rest get 429.
    prefix = "lv:exact:"
    probes = [
        subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).with_name("throttle_probe.py")),
                settings.REDIS_URL,
                prefix,
                name,
                "20",
            ],
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    outcomes = Counter()
    for probe in probes:
        out, _ = probe.communicate(timeout=60)
        assert probe.returncode == 0
        outcomes.update(json.loads(out))
    assert outcomes == {"Success": 5, "Throttled": 35}
    # Every slot taken was given back once the invocations finished.
    assert int(redis_client.hget(f"{prefix}cc:counts", "reserved:fn")) == 0
