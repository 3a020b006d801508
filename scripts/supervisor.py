"""Keep `make run`'s long-running processes alive: restart one that dies, with backoff, and let none outlive us.

Each program runs in its own session (Ctrl-C reaches only run.py, which stops them in order) with a parent-death
signal, and an orphan guard (scripts/orphan_guard.py) kills their whole process groups if run.py itself is killed,
even with SIGKILL: Celery's pool processes and the engine host go with the worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when run.py goes (the guard follows up with SIGKILL for the group)."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the orphan guard alone does the job
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


@dataclass
class Program:
    name: str
    argv: list[str]
    env: dict[str, str]
    cwd: Path
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    restarts: int = 0
    restart_at: float | None = None  # when a dead program is due to start again
    backoff: float = field(default=0.0)


class OrphanGuard:
    """A separate process that holds a pipe from us: when it reads end-of-file without "release", we are gone."""

    def __init__(self, redis_url: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("orphan_guard.py")), redis_url],
            stdin=subprocess.PIPE,
            start_new_session=True,
            text=True,
        )

    def _say(self, line: str) -> None:
        try:
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def watch_group(self, pgid: int) -> None:
        self._say(f"group {pgid}")

    def forget_group(self, pgid: int) -> None:
        self._say(f"ungroup {pgid}")

    def watch_pid(self, pid: int) -> None:
        self._say(f"pid {pid}")

    def release(self) -> None:
        """Everything was stopped in order: the guard has nothing left to do."""
        self._say("release")
        try:
            self.process.stdin.close()
            self.process.wait(timeout=5)
        except (BrokenPipeError, subprocess.TimeoutExpired):
            self.process.kill()


class Supervisor:
    """Start programs, restart the ones that die (0.5 s doubling to 30 s; reset after 30 s of good health)."""

    FIRST_BACKOFF = 0.5
    MAX_BACKOFF = 30.0
    HEALTHY_AFTER = 30.0

    def __init__(
        self,
        programs: list[Program],
        *,
        guard: OrphanGuard | None = None,
        on_change: Callable[[], None] = lambda: None,
        log: Callable[[str], None] = lambda text: print(text, file=sys.stderr, flush=True),
    ) -> None:
        self.programs = programs
        self.guard = guard
        self.on_change = on_change  # e.g. rewrite var/run.json with the new pids
        self.log = log

    def pids(self) -> dict[str, int | None]:
        return {p.name: (p.process.pid if p.process and p.process.poll() is None else None) for p in self.programs}

    def start_all(self) -> None:
        for program in self.programs:
            self._start(program)
        self.on_change()

    def _start(self, program: Program) -> None:
        program.process = subprocess.Popen(
            program.argv,
            env=program.env,
            cwd=program.cwd,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        program.started_at = time.monotonic()
        program.restart_at = None
        if self.guard:
            self.guard.watch_group(program.process.pid)

    def check(self) -> None:
        """Call often: notice deaths, schedule restarts, start what is due."""
        now = time.monotonic()
        changed = False
        for program in self.programs:
            process = program.process
            if program.restart_at is None and process is not None and process.poll() is not None:
                self._clear_leftovers(process.pid)
                ran_for = now - program.started_at
                program.backoff = (
                    self.FIRST_BACKOFF
                    if ran_for >= self.HEALTHY_AFTER or not program.backoff
                    else min(program.backoff * 2, self.MAX_BACKOFF)
                )
                program.restart_at = now + program.backoff
                self.log(
                    f"[supervisor] {program.name} (pid {process.pid}) exited with {_describe(process.returncode)} "
                    f"after {ran_for:.1f} s; restarting in {program.backoff:g} s"
                )
                changed = True
            if program.restart_at is not None and now >= program.restart_at:
                program.restarts += 1
                self._start(program)
                self.log(
                    f"[supervisor] {program.name} restarted (pid {program.process.pid}, restart #{program.restarts})"
                )
                changed = True
        if changed:
            self.on_change()

    def _clear_leftovers(self, pgid: int) -> None:
        """A worker killed with SIGKILL can leave pool processes behind, still holding the engine lease."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
        if self.guard:
            self.guard.forget_group(pgid)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop every program, last started first; whole process groups are killed after `timeout`."""
        running = [p.process for p in reversed(self.programs) if p.process and p.process.poll() is None]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + timeout
        for process in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for program in self.programs:
            if program.process:
                self._clear_leftovers(program.process.pid)


def _describe(returncode: int) -> str:
    if returncode < 0:
        try:
            return signal.Signals(-returncode).name
        except ValueError:
            return f"signal {-returncode}"
    return f"exit code {returncode}"


def write_run_state(path: Path, state: dict) -> None:
    """var/run.json: what this `make run` chose (Redis URL, port, pids), for management commands and tests."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=2))
    tmp.replace(path)
