"""Latency of boto3 sync invokes through the Lambda API, against moto's server as a reference point (issue 5).

LambdaViz runs as in production: daphne serving lambdaviz.asgi:application, a real Celery worker running the engine
host (`invocations.tasks.host_run`), Redis, SQLite under the var dir, the clock at x1, DEBUG off. moto runs as
`moto.server` with its Docker-free "simple" Lambda backend (POST /moto-api/config {"lambda": {"use_docker": false}}),
which only echoes the payload. The same boto3 client code (one client per server, no retries, SigV4 with test/test)
invokes a trivial function on each, alternating call by call so both see the same machine load.

- modelled: a zip with behaviour.json {"duration_ms": 0, "init_ms": 0}: latency measures the stack (SigV4, routing,
  Redis inbox, the host's admission and concurrency accounting, the reply, the invocation record), not simulated work;
- Python: a zip with lambda_function.py; cold = the first invoke after CreateFunction or UpdateFunctionConfiguration
  (checked: its Tail log carries "Init Duration"), warm = the invokes after it.

Prints median and p95 of each, the ratio LambdaViz/moto, and the machine. Not a test: it asserts only that the
answers are right.

Run: .venv/bin/python bench/api_latency.py [--invokes 500] [--cold 10] [--warm 200]
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

from machine import describe  # noqa: E402  (bench/ is the script directory)

ROOT = Path(__file__).resolve().parent.parent
ROLE = "arn:aws:iam::123456789012:role/lambda-role"
MODELLED = "bench-api"
PYTHON_FN = "bench-api-py"
HANDLER = "def handler(event, context):\n    return {'echo': event.get('n')}\n"


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def client(endpoint_url: str, service: str = "lambda"):
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(
        service,
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"total_max_attempts": 1}, read_timeout=60),
    )


def wait_listening(port: int, proc: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            sys.exit(f"{proc.args[:4]} exited ({proc.returncode}):\n{log.read_text()[-4000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                sys.exit(f"nothing listens on {port} after {timeout:g} s:\n{log.read_text()[-4000:]}")
            time.sleep(0.1)


class Processes:
    """Every process this benchmark starts, each in its own session; stop() ends each process group."""

    def __init__(self, env: dict[str, str], var_dir: Path) -> None:
        self.env = env
        self.var_dir = var_dir
        self.procs: list[tuple[subprocess.Popen, object]] = []

    def start(self, name: str, args: list[str]) -> tuple[subprocess.Popen, Path]:
        log_path = self.var_dir / f"{name}.log"
        log = open(log_path, "w")  # noqa: SIM115 (closed in stop())
        proc = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs.append((proc, log))
        return proc, log_path

    def stop(self) -> None:
        for proc, _ in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc, log in reversed(self.procs):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            log.close()


def prepare(env: dict[str, str]) -> None:
    """A fresh Redis db and database: migrate, the clock at x1 and running, no demo traffic."""
    for path in Path(env["LAMBDAVIZ_VAR_DIR"]).glob("lambdaviz.sqlite3*"):
        path.unlink()
    os.environ.update(env)
    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.core.management import call_command

    from invocations.models import AccountSettings
    from invocations.runtime.shared_clock import SharedClock

    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    call_command("migrate", verbosity=0)
    account = AccountSettings.load()
    account.clock_factor = 1.0
    account.clock_paused = False
    account.save()
    SharedClock(redis.Redis.from_url(settings.REDIS_URL)).set_speed(1.0)


def start_host(seconds: float) -> None:
    import redis
    from django.conf import settings

    from invocations.runtime.host.lease import LEASE
    from invocations.tasks import host_run

    host_run.delay(max_seconds=seconds)
    client = redis.Redis.from_url(settings.REDIS_URL)
    deadline = time.monotonic() + 60
    while not client.get(LEASE):
        if time.monotonic() > deadline:
            sys.exit("the Celery worker did not start the engine host within 60 s")
        time.sleep(0.05)


def stop_host() -> None:
    """Ask the host to flush and stop before the worker is terminated (as scripts/run.py does)."""
    import redis
    from django.conf import settings

    from invocations.runtime.host.lease import LEASE
    from invocations.tasks import STOP

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.set(STOP, 1, ex=10)
    deadline = time.monotonic() + 5
    while client.get(LEASE) and time.monotonic() < deadline:
        time.sleep(0.05)


def timed(call) -> tuple[float, dict]:
    started = time.perf_counter()
    answer = call()
    payload = answer["Payload"].read()
    return (time.perf_counter() - started) * 1000.0, {**answer, "Payload": payload}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def line(label: str, values: list[float]) -> str:
    return (
        f"  {label:<34} median {statistics.median(values):7.2f} ms   p95 {percentile(values, 0.95):7.2f} ms   "
        f"(n={len(values)})"
    )


def modelled_vs_moto(lv, moto, invokes: int, warmup: int) -> tuple[list[float], list[float]]:
    lv.create_function(
        FunctionName=MODELLED,
        Runtime="python3.12",
        Role=ROLE,
        Handler="lambda_function.handler",
        Code={"ZipFile": zip_of({"behaviour.json": json.dumps({"duration_ms": 0, "init_ms": 0, "response": {}})})},
    )
    moto.create_function(
        FunctionName=MODELLED,
        Runtime="python3.12",
        Role=ROLE,
        Handler="lambda_function.handler",
        Code={"ZipFile": zip_of({"lambda_function.py": HANDLER})},
    )
    lv_ms: list[float] = []
    moto_ms: list[float] = []
    for n in range(warmup + invokes):
        body = json.dumps({"n": n}).encode()
        a, lv_answer = timed(lambda body=body: lv.invoke(FunctionName=MODELLED, Payload=body))
        b, moto_answer = timed(lambda body=body: moto.invoke(FunctionName=MODELLED, Payload=body))
        assert lv_answer["StatusCode"] == 200 and "FunctionError" not in lv_answer, lv_answer
        assert moto_answer["StatusCode"] == 200 and moto_answer["Payload"] == body, moto_answer
        if n >= warmup:
            lv_ms.append(a)
            moto_ms.append(b)
    return lv_ms, moto_ms


def update_retrying(lv, round_: int, refusals: list[str]) -> None:
    """UpdateFunctionConfiguration with a new environment (so the engine retires the warm environment). Retried
    when the server answers 500: with SQLite, a write transaction that read first fails at once ("database is
    locked") if the host's record writer committed in between; each refusal is counted and reported."""
    from botocore.exceptions import ClientError

    for _ in range(20):
        try:
            lv.update_function_configuration(FunctionName=PYTHON_FN, Environment={"Variables": {"ROUND": str(round_)}})
            return
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] != 500:
                raise
            refusals.append(str(error)[:80])
            time.sleep(0.05)
    sys.exit("UpdateFunctionConfiguration kept failing with 500")


def python_cold_warm(lv, cold_n: int, warm_n: int, refusals: list[str]) -> tuple[list[float], list[float], list[float]]:
    """Cold: first invoke after create / UpdateFunctionConfiguration; warm: the repeats after the first cold one."""
    lv.create_function(
        FunctionName=PYTHON_FN,
        Runtime="python3.12",
        Role=ROLE,
        Handler="lambda_function.handler",
        Code={"ZipFile": zip_of({"lambda_function.py": HANDLER})},
    )
    cold: list[float] = []
    warm: list[float] = []
    init: list[float] = []

    def invoke(n: int) -> tuple[float, str]:
        ms, answer = timed(lambda: lv.invoke(FunctionName=PYTHON_FN, Payload=json.dumps({"n": n}), LogType="Tail"))
        assert answer["StatusCode"] == 200 and json.loads(answer["Payload"]) == {"echo": n}, answer
        return ms, base64.b64decode(answer["LogResult"]).decode()

    for round_ in range(cold_n):
        if round_:
            update_retrying(lv, round_, refusals)
        ms, log = invoke(-1)
        assert "Init Duration" in log, log
        cold.append(ms)
        init.append(float(log.split("Init Duration: ")[1].split(" ms")[0]))
        if round_ == 0:
            for n in range(warm_n):
                ms, log = invoke(n)
                assert "Init Duration" not in log, log
                warm.append(ms)
    return cold, warm, init


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invokes", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--cold", type=int, default=10)
    parser.add_argument("--warm", type=int, default=200)
    parser.add_argument("--port", type=int, default=8765, help="daphne; moto listens on port + 1")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/4")
    parser.add_argument("--var-dir", default="/tmp/lv-bench-api")
    parser.add_argument("--debug", action="store_true", help="DEBUG=1, as `make run` runs locally")
    args = parser.parse_args()

    var_dir = Path(args.var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "REDIS_URL": args.redis_url,
        "LAMBDAVIZ_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "lambdaviz.settings",
        "DATABASE_URL": f"sqlite:///{var_dir / 'lambdaviz.sqlite3'}",
        "DEBUG": "1" if args.debug else "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "LAMBDAVIZ_ACCESS_KEY_ID": "test",
        "LAMBDAVIZ_SECRET_ACCESS_KEY": "test",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        env.pop(name, None)
    env["AWS_CONFIG_FILE"] = env["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
    sys.path.insert(0, str(ROOT))
    prepare(env)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` stops every process
    processes = Processes(env, var_dir)
    lv_port, moto_port = args.port, args.port + 1
    python = sys.executable
    try:
        daphne, daphne_log = processes.start(
            "daphne", [python, "-m", "daphne", "-b", "127.0.0.1", "-p", str(lv_port), "lambdaviz.asgi:application"]
        )
        worker, worker_log = processes.start(
            "worker",
            [python, "-m", "celery", "-A", "lambdaviz", "worker", "-l", "warning", "--concurrency", "2"]
            + ["--without-mingle", "--without-gossip", "-n", f"bench-api-{os.getpid()}@%h"],
        )
        moto_proc, moto_log = processes.start("moto", [python, "-m", "moto.server", "-p", str(moto_port)])
        wait_listening(lv_port, daphne, daphne_log)
        wait_listening(moto_port, moto_proc, moto_log)
        start_host(seconds=3600.0)

        moto_url = f"http://127.0.0.1:{moto_port}"
        request = urllib.request.Request(
            f"{moto_url}/moto-api/config", data=json.dumps({"lambda": {"use_docker": False}}).encode(), method="POST"
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert json.loads(answer.read())["lambda"]["use_docker"] is False
        client(moto_url, "iam").create_role(
            RoleName="lambda-role", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []})
        )

        refusals: list[str] = []
        lv, moto = client(f"http://127.0.0.1:{lv_port}"), client(moto_url)
        lv_ms, moto_ms = modelled_vs_moto(lv, moto, args.invokes, args.warmup)
        cold, warm, init = python_cold_warm(lv, args.cold, args.warm, refusals)
    finally:
        try:
            stop_host()
        finally:
            processes.stop()

    ratio_median = statistics.median(lv_ms) / statistics.median(moto_ms)
    ratio_p95 = percentile(lv_ms, 0.95) / percentile(moto_ms, 0.95)
    mode = "DEBUG=1" if args.debug else "DEBUG=0"
    print(f"boto3 sync invoke, one at a time, trivial function ({args.invokes} each after {args.warmup} warm-up)")
    print(line(f"LambdaViz (daphne + Celery, {mode})", lv_ms))
    print(line("moto server (simple backend)", moto_ms))
    verdict = "met" if ratio_median <= 1.0 else "MISSED"
    print(f"  ratio LambdaViz/moto: median {ratio_median:.2f}x, p95 {ratio_p95:.2f}x (target <= 1.0x: {verdict})")
    print("Python handler through the API (LogType=Tail)")
    print(line("cold (after create / update)", cold))
    print(line("   reported Init Duration", init))
    print(line("warm", warm))
    if refusals:
        print(f"  (UpdateFunctionConfiguration answered 500 'database is locked' {len(refusals)} time(s); retried)")
    print(f"machine: {describe()} | database: sqlite")


if __name__ == "__main__":
    main()
