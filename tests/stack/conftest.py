"""`make run` itself (scripts/run.py) as a test fixture: its own var/ folder, free ports, an embedded Redis.

These tests need no test database: the stack migrates and seeds its own SQLite file under its var/ folder.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import eventually

ROOT = Path(__file__).resolve().parents[2]
RUN_PY = ROOT / "scripts" / "run.py"
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing answers there, so run.py starts its embedded Redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stack_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """A clean environment for run.py: no test settings, no AWS configuration, no database URL of the suite."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "LAMBDAVIZ_", "DJANGO_")) and k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}
    }
    return env | {
        "LAMBDAVIZ_VAR_DIR": str(var_dir),
        "REDIS_URL": UNREACHABLE_REDIS,
        "LAMBDAVIZ_EMBEDDED_REDIS_PORT": str(free_port()),
        "PORT": str(free_port()),
        "LAMBDAVIZ_PYTHON_PROCESSES": "4",
        **extra,
    }


class RunStack:
    """One `make run`: started, waited for, inspected through var/run.json, stopped (or killed) at the end."""

    def __init__(self, var_dir: Path, env: dict[str, str], args: tuple[str, ...] = ()) -> None:
        self.var_dir = var_dir
        self.env = env
        self.port = int(env["PORT"])
        self.log_path = var_dir.parent / f"{var_dir.name}-run.log"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(RUN_PY), *args],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a test's Ctrl-C-like signals go to this stack only
            )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def state(self) -> dict:
        return json.loads((self.var_dir / "run.json").read_text())

    def child_pid(self, name: str) -> int:
        return self.state()["children"][name]

    def wait_until(self, condition, *, timeout: float, what: str):
        """`eventually(condition)`, failing at once if run.py exits meanwhile; both failures show run.py's log."""

        def holds():
            if self.process.poll() is not None:
                pytest.fail(
                    f"run.py exited ({self.process.returncode}) while waiting for {what}:\n{self.log()[-4000:]}"
                )
            return condition()

        return eventually(holds, timeout=timeout, interval=0.2, what=lambda: f"{what}:\n{self.log()[-4000:]}")

    def http_status(self, path: str = "/", *, host: str | None = None, timeout: float = 2.0) -> int | None:
        request = urllib.request.Request(self.url + path, headers={"Host": host} if host else {})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    def host_running(self) -> bool:
        import redis

        client = redis.Redis.from_url(self.state()["redis_url"], socket_timeout=1)
        try:
            return bool(client.exists("lv:host:lease"))
        except redis.RedisError:
            return False
        finally:
            client.close()

    def wait_ready(self, timeout: float = 120) -> None:
        """Serving pages, and an engine host holds the lease (so API invokes and terminal commands work)."""
        self.wait_until(lambda: (self.var_dir / "run.json").exists(), timeout=timeout, what="var/run.json")
        self.wait_until(lambda: self.http_status("/") == 200, timeout=timeout, what="the dashboard")
        self.wait_until(self.host_running, timeout=timeout, what="the engine host's lease")

    def pids_started(self) -> set[int]:
        """Every live process in the process groups of the supervised programs, plus the embedded Redis."""
        groups = set(self.state()["children"].values())
        found = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            state, pgid = fields[0], int(fields[2])
            if state != "Z" and (pgid in groups or self._is_embedded_redis(entry)):
                found.add(int(entry.name))
        return found

    def _is_embedded_redis(self, proc: Path) -> bool:
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            return False
        return "redis-server" in cmdline and f":{self.env['LAMBDAVIZ_EMBEDDED_REDIS_PORT']}" in cmdline

    def stop(self) -> None:
        """Like Ctrl-C: SIGINT to run.py, which stops everything in order."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory):
    """`make run` as a student's laptop runs it: local only, demo keys, demo traffic on."""
    var_dir = tmp_path_factory.mktemp("stack") / "var"
    stack = RunStack(var_dir, stack_env(var_dir))
    try:
        stack.wait_ready()
        yield stack
    finally:
        stack.stop()
