"""Start workers.py in real OS processes, release them together, and collect their JSON results."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import redis
from django.conf import settings

from tests.conftest import eventually

WORKERS = Path(__file__).with_name("workers.py")


def spawn(mode: str, prefix: str, *args: object) -> subprocess.Popen:
    command = [sys.executable, str(WORKERS), mode, settings.REDIS_URL, prefix, *map(str, args)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def release_together(client: redis.Redis, prefix: str, count: int, timeout: float = 30.0) -> None:
    """Wait until `count` workers are connected and waiting, then let them all go at once."""
    eventually(lambda: int(client.get(f"{prefix}test:ready") or 0) >= count, timeout=timeout, what="workers to start")
    client.rpush(f"{prefix}test:go", *[1] * count)  # one per worker: each blocks on BLPOP for its own


def result_of(process: subprocess.Popen, timeout: float = 60.0) -> dict:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return json.loads(out)


def first_line(process: subprocess.Popen) -> dict:
    """The JSON line a holding worker prints before it sleeps (it is still running afterwards)."""
    line = process.stdout.readline()
    assert line, process.stderr.read()
    return json.loads(line)
