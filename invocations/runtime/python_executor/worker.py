"""One worker process: the execution environment's live Python runtime, its pipes and what it is doing.

Only the executor's I/O thread touches a Worker. Its three pipes are non-blocking on this side: requests go out
through `pending` (written as the pipe accepts them), replies come back as frames, output as log lines.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from typing import TYPE_CHECKING, Any

from .protocol import FrameReader, encode

if TYPE_CHECKING:
    from .sandbox import Layout, Sandbox

IDLE, STARTING, RUNNING = "idle", "starting", "running"
_KILL = shutil.which("kill", path="/usr/bin:/bin")  # procps kill(1): `kill -KILL -1`


class Worker:
    __slots__ = (
        "env_id",
        "config",
        "slot",
        "layout",
        "proc",
        "pid",
        "req_w",
        "resp_r",
        "out_r",
        "exit_fd",
        "pending",
        "frames",
        "state",
        "request",
        "spawned_at",
        "ready_at",
        "init_ms",
        "init_reported",
        "sent_at",
        "deadline",
        "last_used",
        "retire_after",
        "frozen",
        "sandbox_report",
        "log_lines",
        "log_partial",
        "log_bytes",
        "log_cap",
        "log_truncated",
    )

    def __init__(self, env_id: int, config: Any, slot: int, layout: Layout, log_cap: int) -> None:
        self.env_id = env_id
        self.config = config  # the VersionConfig this process was started for (identity-compared)
        self.slot = slot
        self.layout = layout
        self.proc: subprocess.Popen | None = None
        self.pid = 0
        self.req_w = self.resp_r = self.out_r = -1
        self.exit_fd = -1  # a pidfd: readable when the runtime process exits, even if its children hold the pipes
        self.pending = bytearray()
        self.frames = FrameReader()
        self.state = STARTING
        self.request: Any = None  # the executor's _Request being served
        self.spawned_at = 0.0
        self.ready_at: float | None = None
        self.init_ms: float | None = None
        self.init_reported = False
        self.sent_at = 0.0
        self.deadline: float | None = None
        self.last_used = 0.0
        self.retire_after = False
        self.frozen = False
        self.sandbox_report: dict | None = None
        self.log_lines: list[str] = []
        self.log_partial = b""
        self.log_bytes = 0
        self.log_cap = log_cap
        self.log_truncated = False

    def start(self, sandbox: Sandbox, env: dict[str, str], setup: dict) -> None:
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        out_r, out_w = os.pipe()
        layout = self.layout
        kwargs: dict[str, Any] = {}
        if layout.uid is not None and not layout.jailed:  # jailed, the runtime drops to it itself (jail.py)
            kwargs = {"user": layout.uid, "group": layout.gid, "extra_groups": []}
        argv = [sandbox.python, "-I", "-S", "-u", "-B", str(layout.runtime / "bootstrap.py"), str(req_r), str(resp_w)]
        self.spawned_at = time.monotonic()  # Init Duration counts from here: process start, runtime, module import
        try:
            self.proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=out_w,
                stderr=out_w,
                pass_fds=(req_r, resp_w),
                close_fds=True,
                cwd=layout.task,
                env=env,
                start_new_session=True,
                **kwargs,
            )
        except BaseException:
            for fd in (req_r, req_w, resp_r, resp_w, out_r, out_w):
                os.close(fd)
            raise
        for fd in (req_r, resp_w, out_w):
            os.close(fd)
        for fd in (req_w, resp_r, out_r):
            os.set_blocking(fd, False)
        self.pid = self.proc.pid
        self.req_w, self.resp_r, self.out_r = req_w, resp_r, out_r
        if hasattr(os, "pidfd_open"):
            with contextlib.suppress(OSError):
                self.exit_fd = os.pidfd_open(self.pid)
        self.send(setup)

    # --- requests ------------------------------------------------------------------------------------------------

    def send(self, message: dict) -> None:
        self.pending += encode(message)

    def flush(self) -> bool:
        """Write what the pipe accepts; True when everything queued has been written."""
        while self.pending:
            try:
                n = os.write(self.req_w, self.pending[: 1 << 16])
            except BlockingIOError:
                return False
            except OSError:  # the worker is gone (EPIPE): its reply pipe's end of file reports the crash
                self.pending.clear()
                return True
            del self.pending[:n]
        return True

    # --- replies and output --------------------------------------------------------------------------------------

    def read_frames(self) -> list[dict] | None:
        """Frames available now; None at end of file (the process closed its end: it exited or is exiting)."""
        frames: list[dict] = []
        while True:
            try:
                data = os.read(self.resp_r, 1 << 16)
            except BlockingIOError:
                return frames
            if not data:
                return frames or None
            frames.extend(self.frames.feed(data))

    def read_output(self) -> bool:
        """Move available output into log lines; False at end of file."""
        while True:
            try:
                data = os.read(self.out_r, 1 << 16)
            except BlockingIOError:
                return True
            if not data:
                return False
            self._add_output(data)

    def _add_output(self, data: bytes) -> None:
        if self.log_truncated:
            return
        self.log_bytes += len(data)
        if self.log_bytes > self.log_cap:
            self.log_truncated = True
            data = data[: max(0, len(data) - (self.log_bytes - self.log_cap))]
        chunk = self.log_partial + data
        *lines, self.log_partial = chunk.split(b"\n")
        self.log_lines.extend(line.rstrip(b"\r").decode("utf-8", "replace") for line in lines)
        if self.log_truncated:
            self.log_lines.append(f"[LambdaViz] log output beyond {self.log_cap} bytes was dropped")

    def take_logs(self) -> tuple[str, ...]:
        if self.log_partial:
            self.log_lines.append(self.log_partial.rstrip(b"\r").decode("utf-8", "replace"))
            self.log_partial = b""
        lines = tuple(self.log_lines)
        self.log_lines = []
        self.log_bytes = 0
        self.log_truncated = False
        return lines

    # --- signals and the end ----------------------------------------------------------------------------------------

    def freeze(self) -> None:
        if not self.frozen and self._signal(signal.SIGSTOP):
            self.frozen = True

    def thaw(self) -> None:
        if self.frozen:
            self._signal(signal.SIGCONT)
            self.frozen = False

    def _signal(self, sig: int) -> bool:
        try:
            os.killpg(self.pid, sig)
            return True
        except (ProcessLookupError, PermissionError):
            return False

    def exit_status(self, grace_s: float) -> tuple[int | None, int]:
        """Wait up to `grace_s` for the process to exit by itself, then reap it; returns (wait status or None if it
        is still running, max RSS in KB). The group is killed before reaping, while the zombie still holds its id."""
        end = time.monotonic() + grace_s
        while True:
            try:
                if hasattr(os, "waitid"):
                    exited = os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
                else:  # macOS: no waitid; reap at once (the group may outlive its leader's id, a small risk)
                    pid, status, usage = os.wait4(self.pid, os.WNOHANG)
                    if pid:
                        self._signal(signal.SIGKILL)
                        return status, usage.ru_maxrss
                    exited = False
            except ChildProcessError:
                return None, 0
            if exited:
                return self.kill()
            if time.monotonic() >= end:
                return None, 0
            time.sleep(0.001)

    def kill(self) -> tuple[int | None, int]:
        """SIGKILL the process group (grandchildren and a frozen leader too) and reap the leader; returns (wait
        status, max RSS in KB)."""
        self._signal(signal.SIGKILL)
        if self.layout.own_uid:
            self._kill_every_process_of_the_uid()
        try:
            _, status, usage = os.wait4(self.pid, 0)
        except ChildProcessError:
            return None, 0
        if self.proc is not None and self.proc.returncode is None:
            self.proc.returncode = os.waitstatus_to_exitcode(status)
        return status, usage.ru_maxrss

    def _kill_every_process_of_the_uid(self) -> None:
        """A handler's child that left the process group (setsid) would outlive the environment and share its uid
        with the next environment of this slot: `kill -KILL -1` as that uid ends every process it owns."""
        if _KILL is None:
            return
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                [_KILL, "-KILL", "-1"],
                user=self.layout.uid,
                group=self.layout.gid,
                extra_groups=[],
                env={},
                cwd="/",
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=5,
            )

    def close_fds(self) -> None:
        for name in ("req_w", "resp_r", "out_r", "exit_fd"):
            fd = getattr(self, name)
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
                setattr(self, name, -1)
