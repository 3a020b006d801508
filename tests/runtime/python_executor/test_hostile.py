"""A hostile handler against another function's environment and the server (issue #10): its own PID namespace,
a private /tmp of EphemeralStorage.Size, private /dev/shm and /var/tmp, no view of the server's source or var/.
Each attempt fails, and the other function keeps working. Needs root (the private root is built as root)."""

from __future__ import annotations

import errno
import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from invocations.engine.outcomes import Outcome
from invocations.runtime.python_executor import SandboxPolicy
from invocations.runtime.python_executor.identity import instance_uid_base

STREAM = "import os\ndef handler(event, context):\n    return os.environ['AWS_LAMBDA_LOG_STREAM_NAME']\n"


def host_pids(stream: str) -> list[int]:
    """The host's pids of every process of the environment whose log stream is `stream`."""
    needle = f"AWS_LAMBDA_LOG_STREAM_NAME={stream}\0".encode()
    pids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/environ", "rb") as f:
                    if needle in f.read():
                        pids.append(int(name))
            except OSError:
                continue
    return pids


@pytest.fixture
def jailed(needs_root, new_executor):
    """An executor set up as the engine host sets it up (its own uid block, var/ and the source tree private)."""
    policy = SandboxPolicy(
        uid_base=instance_uid_base(str(settings.VAR_DIR)),
        private_paths=(str(settings.VAR_DIR), str(settings.BASE_DIR)),
    )
    return new_executor(max_processes=4, policy=policy)


SIGNALLER = """
import os, signal
def handler(event, context):
    out = {"pid": os.getpid(), "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()), "kill": {}}
    for pid in event["targets"]:
        try:
            os.kill(pid, signal.SIGKILL)
            out["kill"][str(pid)] = "allowed"
        except OSError as exc:
            out["kill"][str(pid)] = type(exc).__name__
    try:
        os.kill(-1, signal.SIGKILL)  # every process this uid may signal (never the caller itself)
        out["kill_all"] = "sent"
    except OSError as exc:
        out["kill_all"] = type(exc).__name__
    return out
"""


def test_a_handler_sees_only_its_own_pids_and_cannot_signal_another_environment_or_the_server(jailed, lam):
    victim_config = lam.config(STREAM)
    stream = lam.run(jailed, lam.job(victim_config, env_id=101, function="victim")).response
    targets = [*host_pids(stream), os.getpid(), 1]
    assert len(targets) >= 4  # the victim's keeper, init and runtime, then the server and the host's init
    attack = lam.run(jailed, lam.job(lam.config(SIGNALLER), {"targets": targets}, env_id=102, function="hostile"))
    body = attack.response
    assert body["pid"] == 2 and body["pids"] == [2]  # PID 1 is its (root-owned, hidden) init
    assert set(body["kill"].values()) <= {"ProcessLookupError", "PermissionError"}, body
    again = lam.run(jailed, lam.job(victim_config, env_id=101, cold=False, function="victim"))
    assert again.outcome is Outcome.SUCCESS and again.response == stream  # the same process, alive


FILLER = """
import errno, os
def handler(event, context):
    written = 0
    chunk = b"x" * (1 << 20)
    try:
        with open("/tmp/fill", "wb") as f:
            while written < event["limit_mb"] << 20:
                f.write(chunk)
                f.flush()
                written += len(chunk)
        return {"written_mb": written >> 20, "error": None}
    except OSError as exc:
        return {"written_mb": written >> 20, "error": errno.errorcode.get(exc.errno)}
    finally:
        if os.path.exists("/tmp/fill"):
            os.remove("/tmp/fill")
"""


def test_writing_more_than_the_ephemeral_storage_size_to_tmp_fails_with_enospc(jailed, lam):
    # semantics §11: /tmp is EphemeralStorage.Size MB; past it a write fails with "No space left on device".
    config = lam.config(FILLER, ephemeral_storage_mb=8)
    full = lam.run(jailed, lam.job(config, {"limit_mb": 64})).response
    assert full["error"] == errno.errorcode[errno.ENOSPC]
    assert 6 <= full["written_mb"] <= 8
    within = lam.run(jailed, lam.job(config, {"limit_mb": 6})).response
    assert within == {"written_mb": 6, "error": None}


WRITER = """
import os
def handler(event, context):
    out = {}
    for path in event["paths"]:
        try:
            with open(path, "w") as f:
                f.write("secret of A")
            out[path] = "written"
        except OSError as exc:
            out[path] = type(exc).__name__
    return out
"""

READER = """
import os
def handler(event, context):
    out = {"tmp": sorted(os.listdir("/tmp"))}
    for path in event["paths"]:
        try:
            with open(path) as f:
                out[path] = f.read()
        except OSError as exc:
            out[path] = type(exc).__name__
    return out
"""


def test_tmp_dev_shm_and_var_tmp_of_one_environment_are_invisible_to_another(jailed, lam):
    token = uuid.uuid4().hex
    tmp, shm, var_tmp = f"/tmp/a-{token}", f"/dev/shm/a-{token}", f"/var/tmp/a-{token}"
    wrote = lam.run(jailed, lam.job(lam.config(WRITER), {"paths": [tmp, shm, var_tmp]}, env_id=111)).response
    assert wrote[tmp] == wrote[shm] == "written"  # /tmp and /dev/shm are the environment's own (one budget)
    assert wrote[var_tmp] != "written"  # /var/tmp does not exist (AWS's root is read-only but /tmp)
    for host_path in (tmp, shm, var_tmp):
        assert not os.path.exists(host_path)  # nothing reached the host's shared directories
    for env_id, function in ((112, "other-fn"), (111, "same-fn-new-env")):  # another function, another env
        seen = lam.run(jailed, lam.job(lam.config(READER), {"paths": [tmp, shm]}, env_id=env_id)).response
        assert seen == {"tmp": [], tmp: "FileNotFoundError", shm: "FileNotFoundError"}, function


PROBER = """
import os
def handler(event, context):
    out = {}
    for path in event["paths"]:
        try:
            if os.path.isdir(path):
                os.listdir(path)
            else:
                open(path, "rb").read(1)
            out[path] = "read"
        except OSError as exc:
            out[path] = type(exc).__name__
    return out
"""


def test_the_servers_source_tree_var_directory_and_other_environments_are_not_there(jailed, lam):
    victim = lam.run(jailed, lam.job(lam.config(STREAM), env_id=121, function="victim"))
    assert victim.outcome is Outcome.SUCCESS
    base, var = Path(settings.BASE_DIR), Path(settings.VAR_DIR)
    victim_folders = [str(p) for p in jailed.sandbox.root_dir.glob("env-121-*")]
    assert victim_folders
    paths = [
        str(base),
        str(base / "lambdaviz" / "settings.py"),
        str(base / "invocations" / "runtime" / "python_executor" / "sandbox.py"),
        str(var),
        str(var / "secret_key"),
        str(var / "kms_key"),
        str(jailed.sandbox.root_dir),
        *victim_folders,
        *(f"{folder}/task/lambda_function.py" for folder in victim_folders),
        f"/proc/{os.getpid()}/environ",
        "/proc/1/environ",
    ]
    database = settings.DATABASES["default"].get("TEST", {}).get("NAME") or settings.DATABASES["default"]["NAME"]
    if isinstance(database, str | Path) and os.path.isabs(str(database)):
        paths.append(str(database))
    body = lam.run(jailed, lam.job(lam.config(PROBER), {"paths": paths}, env_id=122, function="hostile")).response
    assert {path: result for path, result in body.items() if result == "read"} == {}
    # What it does see is a small machine: the system's read-only directories, its code, its /tmp.
    listing = lam.run(
        jailed, lam.job(lam.config("import os\ndef handler(e, c):\n    return sorted(os.listdir('/'))\n"))
    )
    assert set(listing.response) <= {"bin", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc", "sbin", "tmp",
                                     "usr", "var"}  # fmt: skip


def test_the_sandbox_says_at_start_what_it_isolates_and_what_it_does_not(new_executor):
    off = new_executor(policy=SandboxPolicy(private_root=False, allow_partial_isolation=True))
    assert off.sandbox.summary().startswith("WARNING: partial isolation allowed, ")
    assert off.describe()["private_root"].startswith("off: ")
    assert off.describe()["runs_handlers"] is True
    if os.geteuid() == 0:
        on = new_executor()
        assert on.describe()["private_root"] == "on"
        assert "own PID/mount/IPC/network namespaces" in on.sandbox.summary()


def test_without_a_private_root_the_sandbox_fails_closed_unless_partial_isolation_is_allowed(new_executor, lam):
    # Issue #10: where the kernel cannot give the guarantees, say so and refuse to run Python code. Here the private
    # root is switched off, as a kernel that refuses it would leave it.
    refusing = new_executor(policy=SandboxPolicy(private_root=False))
    assert refusing.describe()["runs_handlers"] is False
    assert refusing.sandbox.summary().startswith("WARNING: Python handlers are refused (Runtime.SandboxUnavailable)")
    config = lam.config("def handler(event, context):\n    return 'ran'\n")
    for _ in range(2):  # every cold start is refused, not only the first
        report = lam.run(refusing, lam.job(config))
        assert report.outcome is Outcome.FUNCTION_ERROR and report.reset
        assert report.response["errorType"] == "Runtime.SandboxUnavailable"
        assert "will not run Python code" in report.response["errorMessage"]
        assert "LAMBDAVIZ_SANDBOX_ALLOW_PARTIAL=1" in report.response["errorMessage"]
    allowed = new_executor(policy=SandboxPolicy(private_root=False, allow_partial_isolation=True))
    assert lam.run(allowed, lam.job(config)).response == "ran"
