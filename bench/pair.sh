#!/bin/bash
# Before/after on one machine: alternate two checkouts of this repository (each with its .venv, or a symlink to
# one) through the throughput and latency benchmarks, so that both sides see the same load.
#   bench/pair.sh /path/to/before /path/to/after > pair.log
# Uses Redis DB 9 of 127.0.0.1:6379 (flushed by the benchmarks).
set -u
BEFORE=${1:?before checkout} AFTER=${2:?after checkout}
REDIS="--redis-url=redis://127.0.0.1:6379/9"
run() { # label dir benchmark args...
  local label=$1 dir=$2; shift 2
  echo "=== $label $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg): $*"
  (cd "$dir" && timeout 600 .venv/bin/python "$@" 2>&1)
}
pair() { # benchmark args...
  run BEFORE "$BEFORE" "$@"
  run AFTER "$AFTER" "$@"
}
for _ in 1 2; do pair bench/e2e_throughput.py --var-dir="$(mktemp -d)" "$REDIS"; done
pair bench/e2e_throughput.py --var-dir="$(mktemp -d)" --rate 10500 --concurrency-limit 1500 "$REDIS"
for _ in 1 2; do pair bench/engine_throughput.py --repeat 3; done
pair bench/api_latency.py "$REDIS"
