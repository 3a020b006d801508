"""`make run HOST=0.0.0.0`: serving a class on the LAN (issue 10, point 4); QUIET=1 starts idle (issue 11, 13)."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, RUN_PY, RunStack, stack_env

sys.path.insert(0, str(ROOT / "scripts"))
from lan import student_url  # noqa: E402


def test_the_lan_switch_refuses_the_demo_keys_and_a_weak_admin_password(tmp_path):
    env = stack_env(tmp_path / "var", LAMBDAVIZ_HOST="0.0.0.0", LAMBDAVIZ_ADMIN_PASSWORD="admin")
    result = subprocess.run(
        [sys.executable, str(RUN_PY)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "Refusing to serve on 0.0.0.0" in result.stderr
    assert "demo key pair test/test" in result.stderr
    assert "ALLOW_DEMO_KEYS=1" in result.stderr
    assert "5-character password" in result.stderr
    assert not (tmp_path / "var" / "run.json").exists()  # refused before anything started


@pytest.fixture(scope="module")
def lan_stack(tmp_path_factory):
    """The instructor allows the demo keys explicitly, and asks for an idle start."""
    var_dir = tmp_path_factory.mktemp("lan") / "var"
    stack = RunStack(var_dir, stack_env(var_dir, LAMBDAVIZ_HOST="0.0.0.0", ALLOW_DEMO_KEYS="1", QUIET="1"))
    try:
        stack.wait_ready()
        yield stack
    finally:
        stack.stop()


def _get(stack, path: str, host: str) -> tuple[int, str]:
    request = urllib.request.Request(stack.url + path, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def test_the_lan_switch_allows_the_machines_addresses_turns_debug_off_and_still_serves_static_files(lan_stack):
    student = student_url(lan_stack.port)
    lan_host = student.split("//", 1)[1].rstrip("/")
    status, page = _get(lan_stack, "/", lan_host)
    assert status == 200
    assert f'Students: <a href="{student}">' in page  # the top bar names the URL to give students
    assert _get(lan_stack, "/static/invocations/css/base.css", lan_host)[0] == 200  # WhiteNoise, DEBUG off
    assert _get(lan_stack, "/", "evil.example")[0] == 400
    status, body = _get(lan_stack, "/no-such-page/", lan_host)
    assert status == 404
    assert "URLconf" not in body and "DEBUG = True" not in body  # no debug page: DEBUG is off
    assert "Give students:         " + student in lan_stack.log()


def test_quiet_starts_idle_and_the_allowed_demo_keys_work(lan_stack):
    import boto3

    client = boto3.client(
        "lambda",
        endpoint_url=lan_stack.url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    assert "checkout" in [f["FunctionName"] for f in client.list_functions()["Functions"]]
    env = {k: v for k, v in lan_stack.env.items() if k != "REDIS_URL"}
    listed = subprocess.run(
        [sys.executable, "manage.py", "traffic", "list"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert listed.returncode == 0, listed.stderr
    assert "No traffic streams are running." in listed.stdout
    assert "Idle (QUIET)" in lan_stack.log()


def test_ctrl_c_stops_everything_in_order(lan_stack):
    started = lan_stack.pids_started()
    assert len(started) >= 5
    lan_stack.stop()  # SIGINT, as Ctrl-C sends it
    assert lan_stack.process.returncode == 0
    assert not (lan_stack.var_dir / "run.json").exists()
    assert not [pid for pid in started if Path(f"/proc/{pid}").exists() and _state(pid) != "Z"]
    assert "[orphan guard]" not in lan_stack.log()  # run.py stopped them itself


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"
