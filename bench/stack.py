"""The whole running stack for the end-to-end benchmarks: a real Celery worker running the engine host, Redis,
the database, a traffic stream, and a channel-layer client that receives the frames a browser would get.

Shared by e2e_throughput.py, latency.py and memory_soak.py. Not a test: it prints figures, it asserts nothing.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from machine import describe  # noqa: E402  (bench/ is the script directory)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FUNCTION = "bench"
STREAM = "bench"


def add_load_arguments(parser) -> None:
    """The function, limit and services every end-to-end benchmark takes (argparse)."""
    parser.add_argument("--duration-ms", type=float, default=100.0)
    parser.add_argument("--stddev-ms", type=float, default=10.0)
    parser.add_argument("--concurrency-limit", type=int, default=1000, help="the account's concurrency limit")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/10"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--var-dir", default=os.environ.get("LAMBDAVIZ_VAR_DIR", "/tmp/lv-perf"))


def configure(redis_url: str, database_url: str | None, var_dir: str, retention_s: float | None) -> dict[str, str]:
    """Environment for this process and the worker (set before Django is imported)."""
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` stops the worker
    env = {"REDIS_URL": redis_url, "LAMBDAVIZ_VAR_DIR": var_dir, "DJANGO_SETTINGS_MODULE": "lambdaviz.settings"}
    env["DATABASE_URL"] = database_url or f"sqlite:///{Path(var_dir) / 'bench.sqlite3'}"
    if retention_s is not None:
        env["LAMBDAVIZ_RECORDS_RETENTION_S"] = repr(retention_s)
    os.environ.update(env)
    Path(var_dir).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    return env


def machine() -> str:
    from django.db import connection

    return f"{describe()} | database: {connection.vendor}"


def prepare(duration_ms: float, stddev_ms: float, concurrency_limit: int = 1000) -> None:
    """A fresh database and Redis db with one modelled function, the clock at x1."""
    import redis
    from django.conf import settings
    from django.core.management import call_command

    from invocations.models import AccountSettings, Function, InvocationMinute, InvocationRecord
    from invocations.runtime.shared_clock import SharedClock
    from invocations.services import function_create

    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    call_command("migrate", verbosity=0)
    InvocationRecord.objects.all().delete()
    InvocationMinute.objects.all().delete()
    Function.objects.filter(name=FUNCTION).delete()
    account = AccountSettings.load()
    account.concurrency_limit = concurrency_limit
    account.clock_factor = 1.0
    account.clock_paused = False
    account.save()
    function_create(
        name=FUNCTION,
        behaviour_profile={"duration_ms": {"mean": duration_ms, "stddev": stddev_ms}, "init_ms": 200},
    )
    SharedClock(redis.Redis.from_url(settings.REDIS_URL)).set_speed(1.0)


class Worker:
    """`celery -A lambdaviz worker` (optionally with embedded beat) in its own process group."""

    def __init__(self, env: dict[str, str], log_path: Path, beat: bool) -> None:
        args = [sys.executable, "-m", "celery", "-A", "lambdaviz", "worker", "-l", "warning", "-c", "2"]
        args += ["--without-mingle", "--without-gossip", "-n", f"bench-{os.getpid()}@%h"]
        if beat:
            args += ["-B", "-s", str(Path(env["LAMBDAVIZ_VAR_DIR"]) / "celerybeat-schedule")]
        self.log = open(log_path, "w")  # noqa: SIM115 (closed in stop())
        self.proc = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        import signal

        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()

    def host_pid(self, timeout: float = 30.0) -> int | None:
        """The pid of the worker process that holds the engine host's lease."""
        import redis
        from django.conf import settings

        client = redis.Redis.from_url(settings.REDIS_URL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            holder = client.get("lv:host:lease")
            if holder:
                return int(holder.decode().split("-")[0])
            time.sleep(0.1)
        return None


def start_host(seconds: float) -> None:
    from invocations.tasks import host_run

    host_run.delay(max_seconds=seconds)


@dataclass
class FrameLog:
    """What the frame listener saw: per frame, receipt wall time and the counts it carried."""

    frames: list[tuple[float, int, int, float | None, float | None]] = field(default_factory=list)
    # (received_wall, completed, throttled, oldest_completion_wall, newest_completion_wall)


class FrameListener(threading.Thread):
    """Joins the account group on the real channel layer (as the websocket consumer does) and logs every frame."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.log = FrameLog()
        self.stop_flag = threading.Event()
        self.ready = threading.Event()

    def run(self) -> None:
        asyncio.run(self._listen())

    async def _listen(self) -> None:
        import redis
        from channels.layers import get_channel_layer
        from django.conf import settings

        from invocations.runtime.publisher import ACCOUNT_GROUP
        from invocations.runtime.shared_clock import SharedClock

        clock = SharedClock(redis.Redis.from_url(settings.REDIS_URL), cache_seconds=1.0)
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(ACCOUNT_GROUP, channel)
        self.ready.set()
        while not self.stop_flag.is_set():
            try:
                message = await asyncio.wait_for(layer.receive(channel), timeout=0.5)
            except TimeoutError:
                continue
            received = time.time()
            if message.get("type") != "lv.frame":
                continue
            frame = message["frame"]
            fn = frame.get("functions", {}).get(FUNCTION, {})
            completed = fn.get("invocations", 0)
            throttled = sum(fn.get("throttles", {}).values())
            oldest = newest = None
            if frame.get("completed_sim"):
                state = clock.state()
                # simulated -> wall on the shared clock (x1 here, but the mapping holds at any factor)
                oldest = state.anchor_wall + (frame["completed_sim"][0] - state.anchor_sim) / state.factor
                newest = state.anchor_wall + (frame["completed_sim"][1] - state.anchor_sim) / state.factor
            self.log.frames.append((received, completed, throttled, oldest, newest))
        await layer.group_discard(ACCOUNT_GROUP, channel)


class PeakSampler(threading.Thread):
    """Samples the shared concurrency counter in Redis: it must never exceed the account's unreserved cap."""

    def __init__(self, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.samples: list[int] = []
        self.stop_flag = threading.Event()

    def run(self) -> None:
        import redis
        from django.conf import settings

        client = redis.Redis.from_url(settings.REDIS_URL)
        while not self.stop_flag.is_set():
            self.samples.append(int(client.hget("lv:cc:counts", "unreserved") or 0))
            time.sleep(self.interval)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def summarize_latency(frames, since: float, until: float) -> dict[str, float]:
    """Per frame with completions: receipt minus the wall time of its OLDEST completion (the worst case of the
    frame), and minus its newest (the best case)."""
    worst = [(r - o) * 1000 for r, c, _, o, n in frames if since <= r <= until and o is not None]
    best = [(r - n) * 1000 for r, c, _, o, n in frames if since <= r <= until and n is not None]
    return {
        "frames": len(worst),
        "p50_oldest_ms": percentile(worst, 0.50),
        "p95_oldest_ms": percentile(worst, 0.95),
        "p99_oldest_ms": percentile(worst, 0.99),
        "max_oldest_ms": max(worst) if worst else float("nan"),
        "p50_newest_ms": percentile(best, 0.50),
        "p95_newest_ms": percentile(best, 0.95),
        "mean_oldest_ms": statistics.fmean(worst) if worst else float("nan"),
    }


def linear_slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of ys over xs (units of y per unit of x)."""
    if len(xs) < 2:
        return float("nan")
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else float("nan")
