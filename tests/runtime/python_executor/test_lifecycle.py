"""Timeouts, crashes, resource limits and the bounded pool of worker processes."""

from __future__ import annotations

import os
import time

import pytest

from invocations.engine.events import EnvironmentStateChanged, EnvState
from invocations.engine.outcomes import Outcome
from invocations.runtime.python_executor import SandboxPolicy
from tests.conftest import eventually

# Which environment process answered: its log stream (one per process). Its pid would not do: jailed, every
# runtime is pid 2 of its own PID namespace.
PID = "import os\ndef handler(event, context):\n    return os.environ['AWS_LAMBDA_LOG_STREAM_NAME']\n"


def alive(stream: str) -> bool:
    """Whether any process of the environment whose log stream is `stream` still runs, seen from the host (the
    runtime, its keeper and init, and the handler's own children all carry its environment)."""
    needle = f"AWS_LAMBDA_LOG_STREAM_NAME={stream}\0".encode()
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/environ", "rb") as f:
                    if needle in f.read():
                        return True
            except OSError:
                continue  # gone meanwhile, or a zombie
    return False


def test_a_timeout_kills_the_process_and_the_next_invoke_is_a_cold_start(executor, lam):
    # semantics §11: Sandbox.Timedout (the engine writes the body); §9: the environment resets, Init runs again
    source = """
import os, time
def handler(event, context):
    print("started", os.environ["AWS_LAMBDA_LOG_STREAM_NAME"])
    if event.get("sleep"):
        time.sleep(event["sleep"])  # the thing under test: a handler that outruns its timeout
    return os.environ["AWS_LAMBDA_LOG_STREAM_NAME"]
"""
    config = lam.config(source, timeout_s=0.5)
    first = lam.run(executor, lam.job(config, env_id=31))
    pid = first.response
    began = time.monotonic()
    timed_out = lam.run(executor, lam.job(config, {"sleep": 30}, env_id=31, cold=False))
    assert time.monotonic() - began < 2.0
    assert timed_out.outcome is Outcome.TIMEOUT
    assert timed_out.duration_ms == 500.0
    assert timed_out.response is None
    assert timed_out.logs == (f"started {pid}",)  # output up to the kill is kept
    # The kill goes with the PID namespace's teardown, which may lag under load.
    eventually(lambda: not alive(pid), timeout=5, what="the timed-out process to die")
    assert 31 not in executor.stats()["env_ids"]
    again = lam.run(executor, lam.job(config, env_id=31, cold=True))  # the engine marks a reset env cold
    assert again.outcome is Outcome.SUCCESS and again.init_ms is not None
    assert again.response != pid


def test_an_init_longer_than_the_init_limit_times_out(new_executor, lam):
    # semantics §9: the Init phase is limited (10 s on AWS; shortened here)
    ex = new_executor(policy=SandboxPolicy(init_timeout_s=0.3))
    config = lam.config(
        "import time\ntime.sleep(30)  # the thing under test: an Init that outruns the limit\ndef handler(e, c):\n"
        "    return 1\n"
    )
    report = lam.run(ex, lam.job(config))
    assert report.outcome is Outcome.TIMEOUT
    assert report.init_ms == 300.0
    assert report.logs[-1] == "INIT_REPORT Init Duration: 300.00 ms\tPhase: init\tStatus: timeout"
    assert ex.stats()["processes"] == 0


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        ("os._exit(0)", "Runtime exited without providing a reason"),
        ("os._exit(3)", "Runtime exited with error: exit status 3"),
        ("sys.exit(2)", "Runtime exited with error: exit status 2"),
        ("os.kill(os.getpid(), signal.SIGSEGV)", "Runtime exited with error: signal: segmentation fault"),
    ],
)
def test_a_process_that_dies_is_a_runtime_exit_error_that_resets_the_environment(executor, lam, statement, reason):
    # semantics §1: Runtime.ExitError "RequestId: <id> Error: Runtime exited ..."; §9: a crash resets the env
    source = f"import os, signal, sys\ndef handler(event, context):\n    print('about to die')\n    {statement}\n"
    job = lam.job(lam.config(source), request_id="rid-crash")
    report = lam.run(executor, job)
    assert report.outcome is Outcome.FUNCTION_ERROR
    assert report.reset is True
    assert report.response == {
        "errorType": "Runtime.ExitError",
        "errorMessage": f"RequestId: rid-crash Error: {reason}",
    }
    assert report.logs == ("about to die", f"RequestId: rid-crash Error: {reason}", "Runtime.ExitError")
    assert job.env.env_id not in executor.stats()["env_ids"]


def test_a_handler_that_exits_while_its_child_runs_is_an_exit_error_at_once_and_the_child_dies(executor, lam):
    # semantics §1: Runtime.ExitError. The forked child inherits the reply pipe, so only the runtime's own exit
    # (a pidfd) tells the executor; the whole process group is then killed.
    source = """
import os, time
def handler(event, context):
    child = os.fork()
    if child == 0:
        time.sleep(60)  # the thing under test: a child that would outlive its parent unless killed
        os._exit(0)
    print("child", os.environ["AWS_LAMBDA_LOG_STREAM_NAME"])  # the child carries it too
    os._exit(0)
"""
    began = time.monotonic()
    report = lam.run(executor, lam.job(lam.config(source, timeout_s=20), request_id="rid-orphan"))
    assert time.monotonic() - began < 5.0  # not the 20 s timeout
    assert report.outcome is Outcome.FUNCTION_ERROR
    assert report.response["errorType"] == "Runtime.ExitError"
    assert report.reset is True
    child_line = [line for line in report.logs if line.startswith("child ")]
    assert len(child_line) == 1
    child = child_line[0].split()[1]
    # The group is killed before the report; reaping by the namespace\'s init may lag a little.
    eventually(lambda: not alive(child), timeout=5, what="the child to die")


def test_a_crash_during_init_is_reported_on_the_cold_invoke(executor, lam):
    report = lam.run(executor, lam.job(lam.config("import os\nos._exit(4)\n"), request_id="rid-x"))
    assert report.response["errorMessage"] == "RequestId: rid-x Error: Runtime exited with error: exit status 4"
    assert report.reset is True and report.init_ms is not None


def test_allocating_far_beyond_the_memory_size_fails_but_allocating_within_it_works(executor, lam):
    # semantics §11: memory is a hard limit (here RLIMIT_AS = memory size + interpreter overhead)
    source = """
def handler(event, context):
    block = bytearray(event["mb"] << 20)
    return len(block) >> 20
"""
    config = lam.config(source, memory_mb=128)
    within = lam.run(executor, lam.job(config, {"mb": 64}, env_id=41))
    assert (within.outcome, within.response) == (Outcome.SUCCESS, 64)
    assert within.memory_used_mb >= 64
    beyond = lam.run(executor, lam.job(config, {"mb": 1024}, env_id=41, cold=False))
    assert beyond.outcome is Outcome.FUNCTION_ERROR
    assert beyond.response["errorType"] == "MemoryError"


def test_a_response_over_6_mb_is_refused(executor, lam):
    # semantics §1: Function.ResponseSizeTooLarge
    report = lam.run(executor, lam.job(lam.config("def handler(e, c):\n    return 'x' * (7 << 20)\n", memory_mb=512)))
    assert report.outcome is Outcome.FUNCTION_ERROR
    assert report.response["errorType"] == "Function.ResponseSizeTooLarge"


def test_a_file_larger_than_the_file_size_limit_cannot_be_written(new_executor, lam):
    ex = new_executor(policy=SandboxPolicy(file_size_mb=1))
    source = """
import os, tempfile
def handler(event, context):
    path = os.path.join(tempfile.gettempdir(), "big")
    with open(path, "wb") as f:
        f.write(b"x" * (512 << 10))
    try:
        with open(path, "ab") as f:
            f.write(b"x" * (2 << 20))
    except OSError as exc:
        return exc.strerror
    return "written"
"""
    assert lam.run(ex, lam.job(lam.config(source))).response == "File too large"


def test_a_handler_cannot_start_more_threads_than_the_process_limit(new_executor, lam):
    ex = new_executor(policy=SandboxPolicy(max_user_processes=20))
    source = """
import threading
def handler(event, context):
    stop = threading.Event()
    started = 0
    try:
        for _ in range(200):
            threading.Thread(target=stop.wait).start()
            started += 1
    except RuntimeError as exc:
        error = str(exc)
    else:
        error = None
    stop.set()
    return [started, error]
"""
    started, error = lam.run(ex, lam.job(lam.config(source))).response
    assert started < 20
    assert error == "can't start new thread"


def test_the_code_is_read_only_and_the_private_temporary_directory_is_writable(executor, lam):
    source = """
import os, tempfile
def handler(event, context):
    with open(os.path.join(tempfile.gettempdir(), "scratch"), "w") as f:
        f.write("ok")
    try:
        open(os.path.join(os.environ["LAMBDA_TASK_ROOT"], "lambda_function.py"), "a")
        code = "writable"
    except OSError:
        code = "read-only"
    return [code, os.getcwd() == os.environ["LAMBDA_TASK_ROOT"]]
"""
    assert lam.run(executor, lam.job(lam.config(source))).response == ["read-only", True]


def test_a_cold_job_always_gets_a_fresh_process(executor, lam):
    # semantics §9: when the engine says Init must run (a new or reset environment), the old process goes
    config = lam.config(PID)
    old = lam.run(executor, lam.job(config, env_id=61)).response
    fresh = lam.run(executor, lam.job(config, env_id=61, cold=True))
    assert fresh.init_ms is not None and fresh.response != old
    eventually(lambda: not alive(old), timeout=5, what="the old process to stop")


# --- the pool ----------------------------------------------------------------------------------------------------


def test_the_pool_stops_the_least_recently_used_idle_process_when_full(new_executor, lam):
    ex = new_executor(max_processes=2)
    config = lam.config(PID)
    pid1 = lam.run(ex, lam.job(config, env_id=1)).response
    pid2 = lam.run(ex, lam.job(config, env_id=2)).response
    lam.run(ex, lam.job(config, env_id=1, cold=False))  # env 1 is now the most recently used
    pid3 = lam.run(ex, lam.job(config, env_id=3)).response
    stats = ex.stats()
    assert (stats["processes"], stats["env_ids"], stats["evicted"]) == (2, [1, 3], 1)
    assert alive(pid1) and alive(pid3)
    eventually(lambda: not alive(pid2), timeout=5, what="the evicted process to stop")
    # Env 2 is still warm for the engine: its process is gone, so this invoke really runs Init again.
    back = lam.run(ex, lam.job(config, env_id=2, cold=False))
    assert back.init_ms is not None and back.response != pid2
    assert ex.stats()["processes"] == 2


def test_when_every_process_is_busy_a_job_waits_for_one(new_executor, lam):
    ex = new_executor(max_processes=1)
    config = lam.config(
        # the thing under test: a handler busy for event['s'] seconds keeps the only process
        "import time\ndef handler(event, context):\n    time.sleep(event['s'])\n    return event['s']\n"
    )
    finished = []
    ex.execute(lam.job(config, {"s": 0.3}, env_id=1), lambda job, r: finished.append((job.env.env_id, r)))
    ex.execute(lam.job(config, {"s": 0.0}, env_id=2), lambda job, r: finished.append((job.env.env_id, r)))

    def both_finished() -> bool:
        ex.poll(wait=0.05)  # done() is called from here
        return len(finished) == 2

    eventually(both_finished, timeout=10, interval=0, what="both jobs to finish")
    assert [env_id for env_id, _ in finished] == [1, 2]
    assert all(r.outcome is Outcome.SUCCESS for _, r in finished)
    assert finished[1][1].duration_ms < 100  # its Duration starts when it runs, not while it waited
    assert ex.stats()["processes"] == 1


def test_retiring_an_environment_stops_its_process(executor, lam):
    # semantics §9: Shutdown when Lambda reclaims the environment
    config = lam.config(PID)
    pid = lam.run(executor, lam.job(config, env_id=51)).response
    executor.retire(51)
    eventually(
        lambda: not alive(pid) and 51 not in executor.stats()["env_ids"], timeout=5, what="the retired process to stop"
    )
    assert 51 not in executor.stats()["env_ids"]


def test_the_engines_reclaimed_event_stops_the_process(executor, lam):
    config = lam.config(PID)
    pid = lam.run(executor, lam.job(config, env_id=52)).response
    executor.emit(EnvironmentStateChanged(0.0, 52, "fn", "$LATEST", EnvState.READY, "on-demand"))
    # Only Reclaimed stops it: the I/O thread takes commands in order, so a retire queued by READY would have
    # stopped the process before this next job on the same environment, which would then start a new one.
    assert lam.run(executor, lam.job(config, env_id=52, cold=False)).response == pid
    assert alive(pid)
    executor.emit(EnvironmentStateChanged(1.0, 52, "fn", "$LATEST", EnvState.RECLAIMED, "on-demand"))
    eventually(lambda: not alive(pid), timeout=5, what="the reclaimed process to stop")


def test_closing_the_executor_stops_every_process_and_removes_its_directories(new_executor, lam):
    ex = new_executor(max_processes=3)
    config = lam.config(PID)
    pids = [lam.run(ex, lam.job(config)).response for _ in range(3)]
    root = ex.sandbox.root_dir
    assert root.exists()
    ex.close()
    assert not any(alive(pid) for pid in pids)
    assert not root.exists()
