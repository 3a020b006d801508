"""Memory over a long run at the target load (issue 4): RSS of the worker process that runs the engine host,
Redis used_memory, and database row counts, with beat running housekeeping (compaction) every 10 s as in
production. Prints samples and least-squares slopes over the second half of the run (after warm-up).

Run: .venv/bin/python bench/memory_soak.py [--minutes 10] [--rate 10000] [--retention 60]
`--retention` (simulated seconds kept before compaction) is lowered from the default 900 s so that the record
table reaches its steady state inside the run; with 900 s it would grow for 15 minutes, then stay flat.
"""

from __future__ import annotations

import argparse
import time

import e2e_throughput
import stack


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=10000.0)
    parser.add_argument("--retention", type=float, default=60.0)
    parser.add_argument("--interval", type=float, default=10.0, help="seconds between samples")
    stack.add_load_arguments(parser)
    args = parser.parse_args()
    args.seconds, args.warmup = args.minutes * 60.0, 10.0
    samples: list[tuple[float, float, float, int, int]] = []

    def sample(host_pid: int | None, start: float, seconds: float) -> None:
        import psutil
        import redis
        from django.conf import settings

        from invocations.models import InvocationMinute, InvocationRecord

        client = redis.Redis.from_url(settings.REDIS_URL)
        proc = psutil.Process(host_pid) if host_pid else None
        while time.time() - start < seconds:
            rss = proc.memory_info().rss / 2**20 if proc else float("nan")
            used = client.info("memory")["used_memory"] / 2**20
            records, minutes = InvocationRecord.objects.count(), InvocationMinute.objects.count()
            at = time.time() - start
            samples.append((at, rss, used, records, minutes))
            print(
                f"t={at:6.0f}s  host RSS {rss:7.1f} MiB  redis {used:6.1f} MiB  records {records:>8}  minutes {minutes}"
            )  # noqa: E501
            time.sleep(args.interval)

    result = e2e_throughput.run(args, beat=True, retention_s=args.retention, sampler_hook=sample)
    e2e_throughput.report(args, result)
    half = [s for s in samples if s[0] >= samples[-1][0] / 2] if samples else []
    xs = [s[0] / 60.0 for s in half]
    print(f"retention {args.retention:g} simulated s; housekeeping (compaction) every 10 s by beat")
    for name, index, unit in (("host RSS", 1, "MiB"), ("redis used_memory", 2, "MiB"), ("records", 3, "rows")):
        ys = [s[index] for s in half]
        if ys:
            print(
                f"{name}: first {samples[0][index]:,.1f}, min {min(ys):,.1f}, max {max(ys):,.1f}, last {ys[-1]:,.1f} "
                f"{unit}; slope over the second half {stack.linear_slope(xs, ys):+,.2f} {unit}/min"
            )


if __name__ == "__main__":
    main()
