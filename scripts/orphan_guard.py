"""Started by `make run`: when run.py dies without saying "release", stop everything it started (no orphans).

Reads lines on stdin: `group PGID` / `ungroup PGID` (a supervised program's process group), `pid PID` (the
embedded Redis, stopped last), `release` (run.py stopped everything itself). End of file means run.py is gone,
whatever killed it; then: ask the engine host to stop, SIGTERM the groups, SIGKILL them after 10 s, then Redis.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time


def _signal_group(pgid: int, sig: int) -> bool:
    try:
        os.killpg(pgid, sig)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def _alive_group(pgid: int) -> bool:
    return _signal_group(pgid, 0)


def _ask_host_to_stop(redis_url: str) -> None:
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_timeout=1).set("lv:host:stop", 1, ex=10)
        time.sleep(1.5)
    except Exception:  # noqa: BLE001 (best effort: SIGTERM still stops the worker and its host)
        pass


def clean_up(redis_url: str, groups: set[int], pids: set[int], grace: float = 10.0) -> None:
    groups = {g for g in groups if _alive_group(g)}
    if groups:
        _ask_host_to_stop(redis_url)
    for pgid in groups:
        _signal_group(pgid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_alive_group(g) for g in groups):
        time.sleep(0.1)
    for pgid in groups:
        _signal_group(pgid, signal.SIGKILL)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is run.py's to handle
    redis_url = sys.argv[1] if len(sys.argv) > 1 else "redis://127.0.0.1:6379/0"
    groups: set[int] = set()
    pids: set[int] = set()
    for line in sys.stdin:
        word, _, value = line.strip().partition(" ")
        if word == "release":
            return 0
        if word == "group":
            groups.add(int(value))
        elif word == "ungroup":
            groups.discard(int(value))
        elif word == "pid":
            pids.add(int(value))
    print("[orphan guard] run.py is gone: stopping the processes it started.", file=sys.stderr, flush=True)
    clean_up(redis_url, groups, pids)
    return 0


if __name__ == "__main__":
    sys.exit(main())
