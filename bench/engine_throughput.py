"""Modelled invocations per second through the full engine (routing, concurrency, environments, executor, events)
on the virtual clock, on one core. Prints the figure and the machine. Run: .venv/bin/python bench/engine_throughput.py
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

from machine import cpu_model  # noqa: E402  (bench/ is the script directory)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from invocations.engine.clock import VirtualClock  # noqa: E402
from invocations.engine.config import AccountConfig, AliasConfig, FunctionConfig, VersionConfig  # noqa: E402
from invocations.engine.events import Event  # noqa: E402
from invocations.engine.outcomes import InvokeResult, Outcome  # noqa: E402
from invocations.engine.profile import BehaviourProfile  # noqa: E402
from invocations.engine.registry import Registry  # noqa: E402
from invocations.engine.simulator import Engine  # noqa: E402


class CountingSink:
    """Counts events by type, like a publisher that aggregates per frame (no per-event I/O)."""

    def __init__(self) -> None:
        self.counts: dict[type, int] = {}

    def emit(self, event: Event) -> None:
        cls = type(event)
        self.counts[cls] = self.counts.get(cls, 0) + 1


def build(seed: int) -> tuple[Engine, VirtualClock, CountingSink]:
    profile_v1 = BehaviourProfile.from_dict(
        {"duration_ms": {"mean": 100, "stddev": 20}, "init_ms": 250, "error_rate": 0.01}
    )
    profile_v2 = BehaviourProfile.from_dict(
        {"duration_ms": {"mean": 90, "stddev": 15}, "init_ms": 300, "error_rate": 0.02}
    )
    fn = FunctionConfig(
        name="api",
        versions={
            "$LATEST": VersionConfig(profile=profile_v2),
            "1": VersionConfig(profile=profile_v1),
            "2": VersionConfig(profile=profile_v2),
        },
        aliases={"live": AliasConfig("1", {"2": 0.1})},
    )
    clock = VirtualClock()
    sink = CountingSink()
    registry = Registry(AccountConfig(concurrency_limit=1000), [fn])
    engine = Engine(clock, random.Random(seed), sink=sink, registry=registry)
    return engine, clock, sink


def run(n: int, rate: float, seed: int) -> tuple[float, float, dict[Outcome, int], CountingSink]:
    """One run; returns wall seconds, CPU seconds of this process, outcome counts and the event counts."""
    engine, clock, sink = build(seed)
    outcomes: dict[Outcome, int] = {}

    def on_complete(result: InvokeResult) -> None:
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1

    invoke, advance = engine.invoke_sync, clock.run
    payload = {"order": 42}
    step = 1.0 / rate
    started, cpu_started = time.perf_counter(), time.process_time()
    for i in range(n):
        advance(i * step)
        invoke("api:live", payload, source="bench", on_complete=on_complete)
    clock.run()
    return time.perf_counter() - started, time.process_time() - cpu_started, outcomes, sink


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=300_000, help="invocations per run")
    parser.add_argument("--rate", type=float, default=9_500.0, help="arrivals per simulated second")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="runs; best and median are reported")
    args = parser.parse_args()
    print(
        f"machine: {platform.platform()} | CPU: {cpu_model()} ({os.cpu_count()} cores) | "
        f"Python {platform.python_version()} | load average {os.getloadavg()[0]:.2f} (one core used)"
    )
    print(
        f"workload: {args.n:,} sync invocations at {args.rate:,.0f}/simulated s, account limit 1,000, "
        "weighted alias 90/10, normal durations, 1-2% errors"
    )
    rates, cpu_rates = [], []
    for i in range(args.repeat):
        elapsed, cpu, outcomes, sink = run(args.n, args.rate, args.seed)
        rates.append(args.n / elapsed)
        cpu_rates.append(args.n / cpu)
        print(f"  run {i + 1}: wall {elapsed:.2f} s -> {rates[-1]:,.0f}/s; CPU {cpu:.2f} s -> {cpu_rates[-1]:,.0f}/s")
    print("outcomes: " + ", ".join(f"{o}={c:,}" for o, c in sorted(outcomes.items())))
    counts = sorted((t.__name__, c) for t, c in sink.counts.items())
    print("events: " + ", ".join(f"{name}={c:,}" for name, c in counts))
    print(
        f"RESULT: best {max(rates):,.0f} / median {statistics.median(rates):,.0f} modelled invocations per wall second"
    )
    print(f"        median {statistics.median(cpu_rates):,.0f} per CPU second (less sensitive to other processes)")


if __name__ == "__main__":
    main()
