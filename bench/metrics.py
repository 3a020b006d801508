"""The metric store under load (issue 13, Performance): after 5 simulated minutes of traffic at 10,000/s,
- a GetMetricData query of 5 minutes of three metrics at 1-second resolution (target: p95 <= 50 ms);
- the function view's chart history (target: <= 200 ms; it took 1.5 s at 1M records when read from the records).

The traffic is simulated: the engine runs `checkout:prod` (v1 95% / v2 5%, 50 ms, 1% errors) on a virtual clock at
`--rate` invocations per simulated second for `--minutes`, in-process, into the host's own MetricWriter (one flush
and one concurrency sample per simulated second, as the engine host does), ending at the shared clock's simulated
now, which is then paused so the window stays put. What is measured is the read side, which depends only on what
the store holds (series x seconds), not on how fast it was written; e2e_throughput.py measures the live host.

The reads then go through the real stack: daphne serving lambdaviz.asgi, real boto3 (its default protocol) for
GetMetricData, a plain HTTP GET for /dashboard/api/functions/checkout/history. Prints median and p95 of each, the
answers' sizes and the machine. Not a test: it asserts only that the answers hold the data.

Run: .venv/bin/python bench/metrics.py [--rate 10000] [--minutes 5] [--queries 200] [--loads 50]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import signal
import statistics
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from api_latency import Processes, client, percentile, prepare, wait_listening
from machine import describe  # noqa: E402  (bench/ is the script directory)

ROOT = Path(__file__).resolve().parent.parent
FUNCTION = "checkout"
TICK_S = 0.01  # invocations are issued in 100 batches per simulated second


def generate(*, rate: float, minutes: float) -> tuple[float, float, int]:
    """Write `minutes` of traffic ending at the (now paused) simulated now; returns (start, end, invocations)."""
    import redis
    from django.conf import settings

    from invocations.engine.clock import VirtualClock
    from invocations.engine.config import AccountConfig, AliasConfig, FunctionConfig, VersionConfig
    from invocations.engine.events import EnvState
    from invocations.engine.profile import BehaviourProfile
    from invocations.engine.registry import Registry
    from invocations.engine.simulator import Engine
    from invocations.runtime.metrics.hosting import PROVISIONED, concurrency_context
    from invocations.runtime.metrics.writer import MetricWriter
    from invocations.runtime.shared_clock import SharedClock

    client_ = redis.Redis.from_url(settings.REDIS_URL)
    shared = SharedClock(client_)
    shared.pause()
    end = float(int(shared.now()))
    start = end - minutes * 60
    shape = {"duration_ms": {"mean": 50, "stddev": 10}, "init_ms": 200, "error_rate": 0.01}
    profile = BehaviourProfile.from_dict(shape)
    fn = FunctionConfig(
        name=FUNCTION,
        versions={v: VersionConfig(profile=profile) for v in ("$LATEST", "1", "2")},
        aliases={"prod": AliasConfig("1", {"2": 0.05})},
    )
    writer = MetricWriter(
        client_,
        second_retention_s=settings.LAMBDAVIZ_METRICS_SECOND_RETENTION_S,
        minute_retention_s=settings.LAMBDAVIZ_METRICS_MINUTE_RETENTION_S,
    )
    clock = VirtualClock(start)
    engine = Engine(clock, random.Random(7), sink=writer, registry=Registry(AccountConfig(), [fn]))
    per_tick = rate * TICK_S
    owed = 0.0
    count = 0
    done = lambda result: None  # noqa: E731 (the writer counts everything from the events)
    t = start
    while t < end:
        if t - int(t) < TICK_S / 2:  # once per simulated second, as the host: sample the gauges, flush
            busy = [
                (env.function, env.version, env.init_type == PROVISIONED)
                for env in engine.store.environments.all()
                if env.state is EnvState.BUSY
            ]
            writer.observe_concurrency(t, busy, **concurrency_context(engine.registry))
            writer.flush(t)
        owed += per_tick
        while owed >= 1:
            engine.invoke_sync(f"{FUNCTION}:prod", {}, on_complete=done)
            owed -= 1
            count += 1
        t = round(t + TICK_S, 6)
        clock.run(until=t)
    clock.run(until=end + 5)  # the last invocations complete
    writer.flush(end + 5, final=True)
    return start, end, count


def metric_queries() -> list[dict]:
    dims = [{"Name": "FunctionName", "Value": FUNCTION}]
    out = []
    three = (("calls", "Invocations", "Sum"), ("errors", "Errors", "Sum"), ("p95", "Duration", "p95"))
    for query_id, metric, stat in three:
        metric_ = {"Namespace": "AWS/Lambda", "MetricName": metric, "Dimensions": dims}
        out.append({"Id": query_id, "MetricStat": {"Metric": metric_, "Period": 1, "Stat": stat}})
    return out


def timed_ms(call) -> tuple[float, object]:
    started = time.perf_counter()
    answer = call()
    return (time.perf_counter() - started) * 1000.0, answer


def line(label: str, values: list[float]) -> str:
    return (
        f"  {label:<46} median {statistics.median(values):7.2f} ms   p95 {percentile(values, 0.95):7.2f} ms   "
        f"(n={len(values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=10_000.0, help="invocations per simulated second")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--queries", type=int, default=200, help="GetMetricData calls measured")
    parser.add_argument("--loads", type=int, default=50, help="chart history loads measured")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/4"))
    parser.add_argument("--var-dir", default="/tmp/lv-bench-metrics")
    args = parser.parse_args()

    var_dir = Path(args.var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "REDIS_URL": args.redis_url,
        "LAMBDAVIZ_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "lambdaviz.settings",
        "DATABASE_URL": f"sqlite:///{var_dir / 'lambdaviz.sqlite3'}",
        "DEBUG": "0",
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
    from invocations.services.functions import function_create

    function_create(name=FUNCTION, behaviour_profile={"duration_ms": 50})  # the history endpoint looks it up

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` stops every process
    began = time.perf_counter()
    start, end, count = generate(rate=args.rate, minutes=args.minutes)
    generated_s = time.perf_counter() - began

    processes = Processes(env, var_dir)
    try:
        daphne, log = processes.start(
            "daphne",
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(args.port), "lambdaviz.asgi:application"],
        )
        wait_listening(args.port, daphne, log)
        base = f"http://127.0.0.1:{args.port}"
        cw = client(base, "cloudwatch")
        window = {"StartTime": datetime.fromtimestamp(end - 300, UTC), "EndTime": datetime.fromtimestamp(end, UTC)}
        query = lambda: cw.get_metric_data(MetricDataQueries=metric_queries(), **window)  # noqa: E731
        gmd: list[float] = []
        for i in range(args.warmup + args.queries):
            ms, answer = timed_ms(query)
            if i >= args.warmup:
                gmd.append(ms)
        points = [len(r["Values"]) for r in answer["MetricDataResults"]]
        calls = sum(answer["MetricDataResults"][0]["Values"])
        url = f"{base}/dashboard/api/functions/{FUNCTION}/history"
        fetch = lambda: json.loads(urllib.request.urlopen(url, timeout=60).read())  # noqa: E731
        loads: list[float] = []
        for i in range(max(2, args.warmup // 2) + args.loads):
            ms, history = timed_ms(fetch)
            if i >= max(2, args.warmup // 2):
                loads.append(ms)
        buckets = history["buckets"]
    finally:
        processes.stop()

    print(
        f"bench/metrics.py: {count:,} invocations over {args.minutes:g} simulated minutes at {args.rate:,.0f}/s "
        f"written in {generated_s:.1f} s (in-process engine -> MetricWriter -> Redis)"
    )
    print(line("GetMetricData, 3 metrics x 300 s at 1 s (boto3)", gmd) + "   target p95 <= 50 ms")
    print(f"    points per metric {points}; Invocations summed {calls:,.0f}")
    print(line("chart history (GET .../history, 300 s)", loads) + "   target <= 200 ms")
    print(f"    {len(buckets)} one-second buckets; versions {sorted({v for b in buckets for v in b['versions']})}")
    print(f"  machine: {describe()}")
    assert min(points) >= 295 and len(buckets) >= 295, "the answers should hold every second of the window"


if __name__ == "__main__":
    main()
