"""What a handler cannot reach: the server's secrets, database and network (DESIGN "Function behaviour")."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from django.conf import settings

from invocations.runtime.python_executor import SandboxPolicy
from tests.conftest import eventually

READ = """
import os
def handler(event, context):
    out = {"uid": os.getuid()}
    for path in event["paths"]:
        try:
            with open(path, "rb") as f:
                f.read()
            out[path] = "read"
        except OSError as exc:
            out[path] = type(exc).__name__
    return out
"""

NETWORK = """
import socket
def handler(event, context):
    try:
        socket.create_connection(("127.0.0.1", event["port"]), timeout=1).close()
        return "connected"
    except OSError as exc:
        return exc.strerror
"""


@pytest.fixture
def listening_port():
    """A TCP port on the server's loopback, like Redis or PostgreSQL on a developer machine."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield server.getsockname()[1]


@pytest.fixture
def server_secrets() -> list[str]:
    """The files under settings.VAR_DIR that settings created: secret_key, kms_key (the directory is 0700)."""
    paths = [str(Path(settings.VAR_DIR) / name) for name in ("secret_key", "kms_key")]
    assert all(os.path.exists(p) for p in paths)
    assert os.stat(settings.VAR_DIR).st_mode & 0o077 == 0
    return paths


def test_as_root_handlers_run_unprivileged_and_cannot_read_the_servers_var_directory(
    needs_root, new_executor, lam, server_secrets
):
    # Privilege drop alone (no namespaces): the 0700 var/ directory is closed to the sandbox user.
    ex = new_executor(policy=SandboxPolicy(namespaces=False, allow_partial_isolation=True))
    body = lam.run(ex, lam.job(lam.config(READ), {"paths": server_secrets})).response
    assert body["uid"] == 65534
    assert [body[p] for p in server_secrets] == ["PermissionError", "PermissionError"]


def test_private_paths_are_hidden_even_from_a_worker_with_the_servers_own_uid(new_executor, lam, server_secrets):
    # What protects var/ when the server does not run as root: a mount namespace covering it (and /proc).
    ex = new_executor(
        policy=SandboxPolicy(
            drop_privileges=False, private_paths=(str(settings.VAR_DIR),), allow_partial_isolation=True
        )
    )
    paths = [*server_secrets, f"/proc/{os.getpid()}/environ"]
    body = lam.run(ex, lam.job(lam.config(READ), {"paths": paths})).response
    if not lam.namespaces_work(ex):
        pytest.skip("unprivileged user namespaces are not available on this host")
    assert body["uid"] == os.getuid()
    assert [body[p] for p in paths] == ["FileNotFoundError"] * 3
    assert ex.describe()["worker"]["capabilities_dropped"] is True


def test_a_handler_has_no_network_so_cannot_reach_the_servers_redis(executor, lam, listening_port):
    body = lam.run(executor, lam.job(lam.config(NETWORK), {"port": listening_port})).response
    if not lam.namespaces_work(executor):
        pytest.skip("unprivileged user namespaces are not available on this host")
    assert body == "Network is unreachable"


def test_network_isolation_can_be_turned_off(new_executor, lam, listening_port):
    ex = new_executor(policy=SandboxPolicy(isolate_network=False))
    assert lam.run(ex, lam.job(lam.config(NETWORK), {"port": listening_port})).response == "connected"


def test_the_worker_reports_the_limits_it_applied(executor, lam):
    lam.run(executor, lam.job(lam.config("def handler(e, c):\n    return 1\n", memory_mb=256)))
    report = executor.describe()["worker"]
    assert report["errors"] == []
    assert report["rlimits"]["RLIMIT_AS"] == (256 + 64) << 20
    assert report["rlimits"]["RLIMIT_CORE"] == 0
    assert report["no_new_privs"] is True


def test_with_a_uid_base_each_pool_slot_runs_as_its_own_user(needs_root, new_executor, lam):
    # Environments are separate machines on AWS: one environment must not read another's files.
    ex = new_executor(max_processes=2, policy=SandboxPolicy(uid_base=300000))
    if not ex.sandbox.per_slot:
        pytest.skip("this host cannot run processes as arbitrary uids (a rootless container?)")
    writer = """
import os, tempfile
def handler(event, context):
    path = os.path.join(tempfile.gettempdir(), "mine")
    with open(path, "w") as f:
        f.write("private")
    return [os.getuid(), path]
"""
    uid_a, path = lam.run(ex, lam.job(lam.config(writer))).response
    body = lam.run(ex, lam.job(lam.config(READ), {"paths": [path]})).response
    assert uid_a != body["uid"] and {uid_a, body["uid"]} <= {300000, 300001}
    # Jailed, each /tmp is a tmpfs of its own (the file is not there); otherwise the folder is closed to the uid.
    assert body[path] == ("FileNotFoundError" if ex.sandbox.jailed else "PermissionError")


def test_a_handler_that_cannot_be_isolated_is_refused_rather_than_run_in_the_clear(new_executor, tmp_path):
    # Fail closed even where partial isolation is allowed: without dropped privileges and without private
    # namespaces, the handler could read var/.
    from invocations.engine.outcomes import Outcome

    from .conftest import make_job, python_config, run

    secret = tmp_path / "var"
    secret.mkdir()
    executor = new_executor(
        policy=SandboxPolicy(
            drop_privileges=False, namespaces=False, private_paths=(str(secret),), allow_partial_isolation=True
        )
    )
    report = run(executor, make_job(python_config("def handler(event, context):\n    return 1\n")))
    assert report.outcome is Outcome.FUNCTION_ERROR
    assert report.response["errorType"] == "Runtime.SandboxUnavailable"
    assert report.reset


VICTIM = """
import os
def handler(event, context):
    return {"uid": os.getuid(), "gid": os.getgid(), "pid": os.getpid(), "task": os.environ["LAMBDA_TASK_ROOT"]}
"""

HOSTILE = """
import os
def handler(event, context):
    out = {"uid": os.getuid()}
    try:
        os.kill(event["pid"], 0)
        out["kill"] = "allowed"
    except OSError as exc:
        out["kill"] = type(exc).__name__
    for key, path in (("code", event["task"] + "/lambda_function.py"), ("list", event["task"])):
        try:
            if key == "list":
                os.listdir(path)
            else:
                open(path).read()
            out[key] = "read"
        except OSError as exc:
            out[key] = type(exc).__name__
    return out
"""


def test_instance_uid_blocks_are_stable_distinct_and_in_range(tmp_path):
    from invocations.runtime.python_executor.identity import BLOCK, FIRST_UID, instance_uid_base

    one, other = instance_uid_base(str(tmp_path / "a")), instance_uid_base(str(tmp_path / "b"))
    assert one == instance_uid_base(str(tmp_path / "a" / ".." / "a"))  # the real path decides
    assert one != other
    for base in (one, other):
        assert base >= FIRST_UID and (base - FIRST_UID) % BLOCK == 0 and base + BLOCK < 2**31


def test_a_hostile_handler_cannot_signal_or_read_another_functions_environment(needs_root, new_executor, lam):
    # issue #10: each environment has its own uid/gid from the instance's block, never the shared nobody.
    from invocations.engine.outcomes import Outcome
    from invocations.runtime.python_executor.identity import instance_uid_base

    base = instance_uid_base(str(settings.VAR_DIR))
    policy = SandboxPolicy(
        uid_base=base, private_paths=(str(settings.VAR_DIR),), private_root=False, allow_partial_isolation=True
    )
    ex = new_executor(max_processes=2, policy=policy)  # the fallback (jailed: test_hostile.py)
    if not ex.sandbox.per_slot:
        pytest.skip("this host cannot run processes as arbitrary uids (a rootless container?)")
    victim_config = lam.config(VICTIM)
    victim = lam.run(ex, lam.job(victim_config, env_id=71, function="victim")).response
    attack = lam.run(ex, lam.job(lam.config(HOSTILE), victim, env_id=72, function="hostile")).response
    assert victim["uid"] != attack["uid"] and victim["uid"] == victim["gid"]
    assert {victim["uid"], attack["uid"]} <= set(range(base, base + 2))
    assert victim["uid"] != 65534 and attack["uid"] != 65534
    assert attack == {
        "uid": attack["uid"],
        "kill": "PermissionError",
        "code": "PermissionError",
        "list": "PermissionError",
    }
    again = lam.run(
        ex, lam.job(victim_config, env_id=71, cold=False, function="victim")
    )  # the victim keeps working, same process
    assert again.outcome is Outcome.SUCCESS and again.response["pid"] == victim["pid"]


LIST_PROC = """
import os
def handler(event, context):
    pids = sorted(int(name) for name in os.listdir("/proc") if name.isdigit())
    uids = sorted({os.stat(f"/proc/{p}").st_uid for p in pids})
    return {"pid": os.getpid(), "uid": os.getuid(), "pids": pids, "uids": uids}
"""


def test_proc_shows_a_handler_only_its_own_environments_processes(needs_root, new_executor, lam):
    # issue #10: a handler walking /proc must not find the server or another function's environment.
    from invocations.runtime.python_executor.identity import instance_uid_base

    base = instance_uid_base(str(settings.VAR_DIR))
    ex = new_executor(
        max_processes=2, policy=SandboxPolicy(uid_base=base, private_root=False, allow_partial_isolation=True)
    )  # the fallback
    if not ex.sandbox.per_slot or ex.sandbox.proc_source is None:
        pytest.skip(f"no per-environment uids or no hidepid /proc here: {ex.describe()}")
    victim = lam.run(ex, lam.job(lam.config(VICTIM), env_id=81, function="victim")).response
    seen = lam.run(ex, lam.job(lam.config(LIST_PROC), env_id=82, function="lister")).response
    assert ex.describe()["worker"]["proc_own_uid_only"] is True
    assert seen["pid"] in seen["pids"]
    assert victim["pid"] not in seen["pids"] and os.getpid() not in seen["pids"] and 1 not in seen["pids"]
    assert seen["uids"] == [seen["uid"]]


def test_removing_an_environment_never_follows_a_symlink_the_handler_planted(tmp_path, new_executor, lam):
    # The folder is removed as root: a link in TMPDIR to a directory of the server must not be chmod-ed or emptied.
    target = tmp_path / "server-dir"
    target.mkdir()
    (target / "keep").write_text("x")
    target.chmod(0o755)
    planter = "import os, tempfile\ndef handler(e, c):\n    os.symlink(e['target'], tempfile.gettempdir() + '/l')\n"
    ex = new_executor(max_processes=1)
    job = lam.job(lam.config(planter), {"target": str(target)})
    lam.run(ex, job)
    ex.retire(job.env.env_id)
    ex.close()
    assert oct(target.stat().st_mode & 0o777) == oct(0o755)
    assert (target / "keep").read_text() == "x"


ESCAPER = """
import os, time
def handler(event, context):
    left_r, left_w = os.pipe()
    child = os.fork()
    if child == 0:
        os.setsid()  # out of the environment's process group
        os.write(left_w, b"x")  # tell the parent it has left
        time.sleep(60)  # the thing under test: it would outlive the environment unless killed with it
        os._exit(0)
    os.read(left_r, 1)
    return [child, os.getsid(child), os.environ["AWS_LAMBDA_LOG_STREAM_NAME"]]
"""


def test_a_child_that_left_the_process_group_dies_with_its_environment(needs_root, new_executor, lam):
    # With per-environment uids, no process of the uid may outlive the environment (the next one on the slot
    # gets the same uid).
    from .test_lifecycle import alive

    for private_root in (True, False):  # jailed, it dies with the PID namespace; otherwise with its uid
        ex = new_executor(
            max_processes=1,
            policy=SandboxPolicy(
                uid_base=instance_uid_base_for_tests(), private_root=private_root, allow_partial_isolation=True
            ),
        )
        if not ex.sandbox.per_slot:
            pytest.skip("this host cannot run processes as arbitrary uids (a rootless container?)")
        job = lam.job(lam.config(ESCAPER))
        child, session, stream = lam.run(ex, job).response
        assert session == child  # it runs, in its own session
        ex.retire(job.env.env_id)
        eventually(
            lambda stream=stream: not alive(stream),
            timeout=5,
            interval=0.01,
            what=f"the escaped child to die with its environment (private_root={private_root})",
        )


def instance_uid_base_for_tests() -> int:
    from invocations.runtime.python_executor.identity import instance_uid_base

    return instance_uid_base(str(settings.VAR_DIR))
