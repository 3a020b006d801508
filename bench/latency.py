"""Latency from an invocation's completion to the frame that shows it, at the target load (issue 4).

Same stack as e2e_throughput.py. The listener joins the account group on the real channel layer, exactly as the
websocket consumer does (daphne's own hop to the browser is not included). Each frame carries `completed_sim`,
the simulated [oldest, newest] end time of the invocations it counts (started_at + init + duration, i.e. when
the invocation really ended, not when the host got round to it); converted to wall time on the shared clock and
compared with the receipt time. The "oldest" figure is each frame's worst case: a frame waits for its whole
~100 ms aggregation interval, so its oldest completion is the one that waited longest.

Run: .venv/bin/python bench/latency.py [--rate 10000] [--seconds 30]
"""

from __future__ import annotations

import argparse

import e2e_throughput
import stack


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=10000.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=8.0)
    stack.add_load_arguments(parser)
    args = parser.parse_args()
    result = e2e_throughput.run(args)
    e2e_throughput.report(args, result)
    lat = result["latency"]
    verdict = "met" if lat["p95_oldest_ms"] <= 250 else "MISSED"
    print(f"target p95 <= 250 ms (worst case per frame): {lat['p95_oldest_ms']:.0f} ms -> {verdict}")
    print(f"machine: {stack.machine()}")


if __name__ == "__main__":
    main()
