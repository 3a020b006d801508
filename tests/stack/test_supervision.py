"""`make run` keeps its processes alive and takes them along when it goes (issue 10, point 3; issue 11, 7 and 13).

Runs after test_readme_commands.py on the same session-scoped stack; the last test here kills it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import boto3
from botocore.config import Config

from tests.conftest import eventually

from .conftest import ROOT


def _lambda(stack):
    return boto3.client(
        "lambda",
        endpoint_url=stack.url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 0}, connect_timeout=1, read_timeout=2),
    )


def _seconds_until_an_invoke_answers(stack, limit: float) -> float:
    """A sync invoke of checkout needs daphne and a live engine host: the whole path a student uses."""
    client = _lambda(stack)

    def answers() -> bool:
        try:
            return client.invoke(FunctionName="checkout", Payload=b"{}")["StatusCode"] == 200
        except Exception:  # noqa: BLE001 (refused, timed out, 5xx while the host moves: try again)
            return False

    start = time.monotonic()
    eventually(answers, timeout=limit, interval=0.2, what="a sync invoke of checkout to answer")
    return time.monotonic() - start


def _manage(stack, *args: str) -> subprocess.CompletedProcess:
    """A management command in a second shell: no REDIS_URL, only the var/ folder that `make run` wrote to."""
    env = {k: v for k, v in stack.env.items() if k not in {"REDIS_URL", "LAMBDAVIZ_EMBEDDED_REDIS_PORT"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_make_run_records_its_redis_and_management_commands_use_it(local_stack):
    # issue 11, point 7: the embedded Redis on a non-default port, recorded in var/run.json.
    state = local_stack.state()
    assert state["redis_url"] == f"redis://127.0.0.1:{local_stack.env['LAMBDAVIZ_EMBEDDED_REDIS_PORT']}/0"
    assert state["pid"] == local_stack.process.pid
    listed = _manage(local_stack, "traffic", "list")
    # issue 11, point 13: the demo's background traffic runs from the start.
    assert listed.returncode == 0, listed.stderr
    assert "checkout-prod: 20/s constant sync -> checkout:prod" in listed.stdout


def test_a_command_that_cannot_reach_the_simulator_says_so_and_fails(local_stack):
    env = {k: v for k, v in local_stack.env.items() if k != "LAMBDAVIZ_VAR_DIR"} | {
        "REDIS_URL": "redis://127.0.0.1:1/0"
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "traffic", "start", "s", "--target", "checkout:prod", "--rate", "5"],
        cwd=ROOT,
        env=env | {"LAMBDAVIZ_VAR_DIR": str(local_stack.var_dir.parent / "elsewhere")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Cannot reach the simulator's Redis at redis://127.0.0.1:1/0" in result.stderr
    assert "Started" not in result.stdout


def test_a_sigkilled_worker_is_restarted_and_the_api_answers_within_10_s(local_stack):
    old = local_stack.child_pid("worker")
    os.kill(old, signal.SIGKILL)
    assert _seconds_until_an_invoke_answers(local_stack, limit=10) < 10
    assert local_stack.child_pid("worker") != old
    log = local_stack.log()
    assert f"[supervisor] worker (pid {old}) exited with SIGKILL" in log
    assert "[supervisor] worker restarted" in log
    assert local_stack.process.poll() is None  # the rest kept running


def test_a_killed_daphne_comes_back_and_the_others_keep_running(local_stack):
    old = local_stack.child_pid("daphne")
    worker, beat = local_stack.child_pid("worker"), local_stack.child_pid("beat")
    os.kill(old, signal.SIGKILL)
    assert _seconds_until_an_invoke_answers(local_stack, limit=10) < 10
    assert local_stack.child_pid("daphne") != old
    assert (local_stack.child_pid("worker"), local_stack.child_pid("beat")) == (worker, beat)


def test_sigkill_of_make_run_takes_every_process_it_started_along(local_stack):
    started = local_stack.pids_started()
    assert len(started) >= 5  # daphne, the worker and its pool, beat, Redis
    os.kill(local_stack.process.pid, signal.SIGKILL)
    local_stack.process.wait(timeout=5)
    eventually(
        lambda: not any(_alive(pid) for pid in started),
        timeout=30,
        interval=0.2,
        what=lambda: f"every process to end (orphans left: {[pid for pid in started if _alive(pid)]})",
    )
    assert local_stack.http_status("/", timeout=0.5) is None  # the port is free again


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
