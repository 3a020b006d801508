"""Warm and cold invoke latency of a trivial real Python handler through PythonExecutor (execute() until its report
reaches `done` via poll()), with the Duration and Init Duration the worker reported. Prints the machine too.
Run: .venv/bin/python bench/python_handler_latency.py [--cold 30] [--warm 1000]
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from machine import cpu_model  # noqa: E402  (bench/ is the script directory)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from invocations.engine.config import VersionConfig  # noqa: E402
from invocations.engine.outcomes import Outcome  # noqa: E402
from invocations.runtime.python_executor import PythonCode, PythonExecutor, SandboxPolicy  # noqa: E402

HANDLER = "def handler(event, context):\n    return {'echo': event['n']}\n"
ARN = "arn:aws:lambda:us-east-1:123456789012:function:bench"


def job(config: VersionConfig, n: int, env_id: int, cold: bool) -> SimpleNamespace:
    """The fields of an engine Invocation that the executor reads."""
    return SimpleNamespace(
        request_id=f"bench-{n}",
        payload={"n": n},
        config=config,
        env=SimpleNamespace(env_id=env_id, init_type="on-demand"),
        cold=cold,
        target=SimpleNamespace(function="bench", version="$LATEST", arn=f"{ARN}:$LATEST"),
        route=SimpleNamespace(arn=ARN, invoked_arn=ARN),
        client_context=None,
    )


def invoke(executor: PythonExecutor, one: SimpleNamespace) -> tuple[float, object]:
    reports: list = []
    started = time.perf_counter()
    executor.execute(one, lambda _job, report: reports.append(report))
    while not reports:
        executor.poll(wait=1.0)
    elapsed = (time.perf_counter() - started) * 1000.0
    report = reports[0]
    assert report.outcome is Outcome.SUCCESS, report
    return elapsed, report


def summary(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
    return f"median {statistics.median(values):7.2f} ms   p95 {p95:7.2f} ms   (n={len(values)})"


def measure(policy: SandboxPolicy, cold_n: int, warm_n: int) -> dict[str, list[float]]:
    config = VersionConfig(executor="python", code=PythonCode.single_file(HANDLER, "lambda_function.handler"))
    ids = itertools.count(1)
    out: dict[str, list[float]] = {"cold": [], "init": [], "warm": [], "duration": []}
    with PythonExecutor(max_processes=4, policy=policy) as executor:
        invoke(executor, job(config, 0, 0, True))  # warm up the executor itself (first spawn, imports)
        for n in range(cold_n):
            env_id = next(ids)
            elapsed, report = invoke(executor, job(config, n, env_id, True))
            out["cold"].append(elapsed)
            out["init"].append(report.init_ms)
            executor.retire(env_id)  # stopped before the next cold start: no eviction in the measured path
        env_id = next(ids)
        invoke(executor, job(config, 0, env_id, True))
        for n in range(warm_n):
            elapsed, report = invoke(executor, job(config, n, env_id, False))
            out["warm"].append(elapsed)
            out["duration"].append(report.duration_ms)
        out["describe"] = executor.describe()  # type: ignore[assignment]
    return out


def cold_side_by_side(policies: dict[str, SandboxPolicy], cold_n: int) -> dict[str, list[float]]:
    """Cold invokes under each policy, alternating one by one (a busy machine slows both alike)."""
    config = VersionConfig(executor="python", code=PythonCode.single_file(HANDLER, "lambda_function.handler"))
    ids = itertools.count(1)
    out: dict[str, list[float]] = {name: [] for name in policies}
    executors = {name: PythonExecutor(max_processes=2, policy=policy) for name, policy in policies.items()}
    try:
        for executor in executors.values():
            invoke(executor, job(config, 0, 0, True))
        for n in range(cold_n):
            for name, executor in executors.items():
                env_id = next(ids)
                out[name].append(invoke(executor, job(config, n, env_id, True))[0])
                executor.retire(env_id)
    finally:
        for executor in executors.values():
            executor.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cold", type=int, default=30)
    parser.add_argument("--warm", type=int, default=1000)
    args = parser.parse_args()

    default = measure(SandboxPolicy(), args.cold, args.warm)
    unfrozen = measure(SandboxPolicy(freeze_idle=False), 0, args.warm)
    bare = measure(SandboxPolicy(namespaces=False, freeze_idle=False, allow_partial_isolation=True), args.cold, 0)
    info = default["describe"]
    worker = info["worker"] or {}  # type: ignore[union-attr]

    print("PythonExecutor latency, trivial handler (execute() -> done via poll(), one job at a time)")
    print(f"  cold invoke (spawn + Init + invoke):  {summary(default['cold'])}")
    print(f"     reported Init Duration:           {summary(default['init'])}")
    print(f"  cold, without namespaces:            {summary(bare['cold'])}")
    if default["describe"]["running_as_root"]:  # type: ignore[index]
        pair = cold_side_by_side(
            {"jail": SandboxPolicy(), "fallback": SandboxPolicy(private_root=False, allow_partial_isolation=True)},
            args.cold,
        )
        print(f"  cold, private root (alternating):     {summary(pair['jail'])}")
        print(f"  cold, fallback sandbox (alternating): {summary(pair['fallback'])}")
    print(f"  warm invoke (thaw, run, freeze):      {summary(default['warm'])}")
    print(f"     reported Duration:                {summary(default['duration'])}")
    print(f"  warm, freeze_idle=False:              {summary(unfrozen['warm'])}")
    print(
        f"sandbox: worker python {info['python']}, root={info['running_as_root']}, "  # type: ignore[index]
        f"uid {worker.get('uid')}, user namespace {worker.get('user_namespace')}, "
        f"network isolated {worker.get('network_isolated')}, private root {info.get('private_root')}"
    )
    print(
        f"machine: {platform.platform()} | {cpu_model()} | {os.cpu_count()} CPUs | "
        f"Python {platform.python_version()} ({platform.python_implementation()}) | "
        f"load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
