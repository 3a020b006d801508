"""PythonExecutor: real `def handler(event, context)` code in sandboxed worker processes (DESIGN "Function
behaviour"; semantics §1, §7, §9, §11).

One worker process per execution environment (env_id), from a bounded pool. A cold job starts a process (its
Init is the module import, measured as Init Duration); a warm job reuses the live process, whose globals and
TMPDIR persist; a timeout kills the process (the engine resets the environment, the next invoke is cold); a
crash reports Runtime.ExitError and resets. When the pool is full, the least recently used idle process is
stopped; when every process is busy, jobs wait in FIFO order for one (their Duration starts when they run).

Threads. The engine is single-threaded and `done` must run on its loop, so:
- execute(), retire() and emit() only queue a command for the executor's I/O thread (they never block);
- the I/O thread spawns processes, writes requests, reads replies and output, and kills on timeouts;
- poll() runs on the host's loop: it calls `done` for every finished job. Call it every step.

Host wiring (invocations/runtime/host/wiring.py):
    python = PythonExecutor(max_processes=N, policy=SandboxPolicy(private_paths=(str(settings.VAR_DIR),)))
    Engine(..., sink=Fanout(publisher, records, provisioned, python), executors={"python": python})
    every step:   work += python.poll()          (calls `done` for finished jobs, on the host's thread)
    on shutdown:  python.close()
The executor's emit() (its EventSink side) turns EnvironmentStateChanged(RECLAIMED) into retire(env_id); a host
that does not route events through it calls retire(env_id) itself.

Time. Handlers run in real (wall) time and report real durations; the engine is on a simulated clock. The engine
completes a job at started_at + Init + Duration on its clock, or at once if that moment has passed: at speed
factor f > 1 the simulated span of an invocation is about f x its real time (REPORT still shows the real
figures); at f < 1, or paused, completion waits for the clock. Timeouts (timeout_s, and the 10 s Init limit) are
enforced in wall seconds. Idle expiry stays the engine's (simulated keep-alive): it reclaims the environment and
the host forwards that here (emit or retire), which stops the process.

Provisioned environments (semantics §9): initialize() runs Init (process start and module import) when the engine
allocates the environment, with AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency and the longer Init limit
AWS gives them (max(130 s, function timeout)); its invokes then have no Init Duration. Idle on-demand processes
are evicted before provisioned ones.

Approximations, documented: a warm environment whose process was evicted from the pool really re-runs Init, so
its report carries Init Duration although the engine counted it warm; on-demand Init output is part of the first
invocation's log (AWS prints it before START), a provisioned environment's Init output is dropped (AWS writes it to
that environment's log stream at allocation); a MemoryError under RLIMIT_AS is an ordinary function error (AWS's
cgroup limit ends in Runtime.OutOfMemory).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import selectors
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ...engine.events import EnvironmentStateChanged, EnvState
from ...engine.executors import ExecutionReport
from ...engine.outcomes import Outcome
from . import reports
from .code import DEFAULT_HANDLER, PythonCode
from .environment import lambda_environment
from .identity import BLOCK
from .protocol import ProtocolError
from .sandbox import Sandbox, SandboxPolicy
from .worker import IDLE, RUNNING, STARTING, Worker

if TYPE_CHECKING:
    from ...engine.config import VersionConfig
    from ...engine.environments import Environment
    from ...engine.events import Event
    from ...engine.invocation import Attempt

log = logging.getLogger(__name__)

Done = Callable[["Attempt", ExecutionReport], None]
PROVISIONED_INIT_LIMIT_S = 130.0  # semantics §9: PC Init may take up to max(130 s, function timeout)
_READ, _WRITE = selectors.EVENT_READ, selectors.EVENT_WRITE


@dataclass(slots=True)
class _Request:
    """Everything the I/O thread needs from a job, read on the host thread (the job itself is only carried)."""

    job: Any
    done: Done
    request_id: str
    env_id: int
    cold: bool
    config: VersionConfig
    code: PythonCode
    function: str
    version: str
    init_type: str
    region: str
    arn: str
    event: str
    client_context: dict | None
    init_only: bool = False  # a provisioned environment's Init at allocation (no invoke follows)


class PythonExecutor:
    """The engine's Executor for VersionConfig(executor="python"). Use as a context manager, or call close()."""

    def __init__(
        self,
        *,
        max_processes: int = 8,
        policy: SandboxPolicy | None = None,
        default_handler: str = DEFAULT_HANDLER,
    ) -> None:
        if max_processes < 1:
            raise ValueError("max_processes must be at least 1")
        self.max_processes = max_processes
        self.policy = policy or SandboxPolicy()
        if self.policy.uid_base is not None and max_processes > BLOCK:
            raise ValueError(f"max_processes must be at most {BLOCK} (the uids of one instance's block)")
        self.default_handler = default_handler
        self.sandbox = Sandbox(self.policy)
        self._codes: dict[int, tuple[Any, PythonCode]] = {}
        self._commands: deque[tuple[str, Any]] = deque()
        self._finished: deque[tuple[Any, Done, ExecutionReport]] = deque()
        self._finished_signal = threading.Event()
        self._closed = False
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        # Owned by the I/O thread:
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._wake_r, _READ, None)
        self._workers: dict[int, Worker] = {}
        self._queue: deque[_Request] = deque()
        self._free_slots = list(range(max_processes - 1, -1, -1))
        self._provisioned: set[int] = set()  # env ids whose process was initialised at allocation
        self.counters = {"spawned": 0, "evicted": 0, "timeouts": 0, "crashes": 0, "completed": 0}
        self.last_sandbox_report: dict | None = None
        self._thread = threading.Thread(target=self._loop, name="python-executor-io", daemon=True)
        self._thread.start()
        atexit.register(self.close)  # a host that forgets close() still leaves no process or directory behind

    # --- the host's side (engine loop thread) ---------------------------------------------------------------------

    def execute(self, job: Attempt, done: Done) -> None:
        """Queue `job` for its environment's process; `done(job, report)` is called later, from poll()."""
        if self._closed:
            raise RuntimeError("the Python executor is closed")
        config = job.config
        code = self._code_for(config)
        if isinstance(code, dict):  # not a deployment package we can run: fail this invoke
            done(job, reports.function_error(code, 0.0, None, 0, config.memory_mb, (), job.request_id, True))
            return
        target = job.target
        request = _Request(
            job,
            done,
            job.request_id,
            job.env.env_id,
            job.cold,
            config,
            code,
            target.function,
            target.version,
            job.env.init_type,
            target.arn.split(":")[3],
            job.route.invoked_arn,  # context.invoked_function_arn: the ARN the caller used
            json.dumps(job.payload, default=str),
            job.client_context,
        )
        self._command("run", request)

    def initialize(self, env: Environment, region: str, done: Callable[[ExecutionReport], None]) -> None:
        """Run Init for provisioned environment `env` now (semantics §9); `done(report)` is called from poll() when
        the module is imported (outcome SUCCESS, init_ms set) or Init failed (any other outcome)."""
        if self._closed:
            raise RuntimeError("the Python executor is closed")
        config = env.config
        code = self._code_for(config)
        if isinstance(code, dict):
            done(reports.function_error(code, 0.0, 0.0, 0, config.memory_mb, (), "", True))
            return
        request = _Request(
            None,
            lambda _job, report: done(report),
            "",
            env.env_id,
            True,
            config,
            code,
            env.function,
            env.version,
            env.init_type,
            region,
            "",
            "",
            None,
            init_only=True,
        )
        self._command("run", request)

    def _code_for(self, config: VersionConfig) -> PythonCode | dict:
        """The config's code, checked once per config object; an error body when it cannot run."""
        hit = self._codes.get(id(config))
        if hit is None or hit[0] is not config:
            if len(self._codes) >= 1024:
                self._codes.clear()  # configs are replaced on every reload: do not keep old ones alive
            try:
                code = PythonCode.coerce(config.code, self.default_handler)
                code.checked_files()
            except (TypeError, ValueError) as exc:
                return {"errorMessage": f"Unable to import module: {exc}", "errorType": "Runtime.ImportModuleError"}
            hit = self._codes[id(config)] = (config, code)
        return hit[1]

    def poll(self, wait: float = 0.0) -> int:
        """Call `done` for every job that finished; returns how many. With `wait`, block up to that many seconds
        for at least one (tests and benchmarks; the host loop polls with the default 0)."""
        if wait > 0 and not self._finished:
            self._finished_signal.wait(wait)
        self._finished_signal.clear()
        finished = self._finished
        n = 0
        while finished:
            job, done, report = finished.popleft()
            done(job, report)
            n += 1
        return n

    def retire(self, env_id: int) -> None:
        """The engine reclaimed environment `env_id`: stop its process (now if idle, else after its invoke)."""
        self._command("retire", env_id)

    def emit(self, event: Event) -> None:
        """An EventSink: add the executor to the engine's sink and reclaimed environments stop their process."""
        if type(event) is EnvironmentStateChanged and event.state is EnvState.RECLAIMED:
            self._command("retire", event.env_id)

    def close(self, timeout: float = 10.0) -> None:
        """Stop every process and the I/O thread, remove the work directories. Jobs still running never finish."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.close)
        self._command("close", None)
        self._thread.join(timeout)

    def __enter__(self) -> PythonExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stats(self) -> dict[str, Any]:
        workers = list(self._workers.values())
        return {
            "processes": len(workers),
            "busy": sum(1 for w in workers if w.state != IDLE),
            "queued": len(self._queue),
            "env_ids": sorted(w.env_id for w in workers),
            **self.counters,
        }

    def describe(self) -> dict[str, Any]:
        """How handlers are isolated here: the policy as resolved, and what the last worker reported it applied."""
        return {**self.sandbox.describe(), "worker": self.last_sandbox_report}

    def _command(self, kind: str, arg: Any) -> None:
        if self._closed and kind != "close":
            return  # a late retire from the engine's sink
        self._commands.append((kind, arg))
        with contextlib.suppress(OSError):  # already awake (pipe full), or the I/O thread has gone
            os.write(self._wake_w, b"\0")

    # --- the I/O thread -----------------------------------------------------------------------------------------

    def _loop(self) -> None:
        failed = False
        try:
            while True:
                for key, _ in self._selector.select(self._select_timeout()):
                    if key.data is None:
                        self._drain_wake()
                        continue
                    worker, kind = key.data
                    if self._workers.get(worker.env_id) is not worker:
                        continue  # stopped earlier in this round
                    try:
                        if kind == "resp":
                            self._on_replies(worker)
                        elif kind == "exit":
                            self._on_exit(worker)
                        elif kind == "out":
                            if not worker.read_output():
                                self._selector.unregister(worker.out_r)
                        else:
                            self._flush(worker)
                    except Exception as exc:
                        log.exception("python worker %s failed", worker.env_id)
                        self._crashed(worker, note=f"[LambdaViz] worker protocol error: {exc}")
                if not self._run_commands():
                    return
                self._expire()
                self._dispatch()
        except Exception:
            failed = True
            log.exception("the Python executor's I/O thread failed")
        finally:
            self._shutdown(report_unfinished=failed)

    def _drain_wake(self) -> None:
        try:
            while os.read(self._wake_r, 4096):
                pass
        except BlockingIOError:
            pass

    def _select_timeout(self) -> float | None:
        deadlines = [w.deadline for w in self._workers.values() if w.deadline is not None]
        if not deadlines:
            return None
        return max(0.0, min(deadlines) - time.monotonic())

    def _run_commands(self) -> bool:
        commands = self._commands
        while commands:
            kind, arg = commands.popleft()
            if kind == "run":
                self._queue.append(arg)
            elif kind == "retire":
                worker = self._workers.get(arg)
                if worker is not None:
                    if worker.state == IDLE:
                        self._stop(worker)
                    else:
                        worker.retire_after = True
            elif kind == "close":
                return False
        return True

    def _dispatch(self) -> None:
        """Start queued jobs that can run now, oldest first; the rest keep their order."""
        if not self._queue:
            return
        waiting: deque[_Request] = deque()
        while self._queue:
            request = self._queue.popleft()
            try:
                placed = self._place(request)
            except Exception as exc:  # never lose a job: the engine holds a concurrency slot for it
                log.exception("python job %s failed to start", request.request_id)
                worker = self._workers.get(request.env_id)
                if worker is not None and worker.request is request:
                    self._crashed(worker, note=f"[LambdaViz] could not start the invoke: {exc}")
                else:
                    memory = request.config.memory_mb
                    logs = (f"[LambdaViz] could not start the invoke: {exc}",)
                    self._finish(request, reports.exit_error(request.request_id, None, 0.0, None, 0, memory, logs))
                placed = True
            if not placed:
                waiting.append(request)
        self._queue = waiting

    def _place(self, request: _Request) -> bool:
        worker = self._workers.get(request.env_id)
        if worker is not None and worker.state != IDLE:
            return False  # the engine runs one invoke per environment; wait for it
        if worker is not None and (request.cold or worker.config is not request.config):
            self._stop(worker)  # a cold job means a fresh Init (new or reset environment)
            worker = None
        if worker is None:
            if len(self._workers) >= self.max_processes:
                idle = [w for w in self._workers.values() if w.state == IDLE]
                if not idle:
                    return False
                # On-demand ones first: a provisioned process is what its environment's invokes count on.
                self._stop(min(idle, key=lambda w: (w.env_id in self._provisioned, w.last_used)))
                self.counters["evicted"] += 1
            try:
                worker = self._spawn(request)
            except Exception as exc:
                log.exception("could not start a Python worker for environment %s", request.env_id)
                logs = (f"[LambdaViz] could not start the Python runtime: {exc}",)
                report = reports.exit_error(request.request_id, None, 0.0, None, 0, request.config.memory_mb, logs)
                self._finish(request, report)
                return True
        if request.init_only:
            worker.request = request
            worker.deadline = worker.spawned_at + max(
                self.policy.init_timeout_s, PROVISIONED_INIT_LIMIT_S, request.config.timeout_s
            )
            self._flush(worker)
            return True
        self._start_invoke(worker, request)
        return True

    def _spawn(self, request: _Request) -> Worker:
        slot = self._free_slots.pop()
        try:
            layout = self.sandbox.prepare(request.env_id, request.code, slot)
        except BaseException:
            self._free_slots.append(slot)
            raise
        config = request.config
        worker = Worker(request.env_id, config, slot, layout, self.policy.max_log_bytes)
        stream = f"{datetime.now(UTC):%Y/%m/%d}/[{request.version}]{uuid.uuid4().hex}"
        task_root, runtime_dir, tmp_dir = layout.visible()
        env = lambda_environment(
            function=request.function,
            version=request.version,
            memory_mb=config.memory_mb,
            runtime=config.runtime,
            handler=request.code.handler,
            init_type=request.init_type,
            region=request.region,
            log_stream=stream,
            task_root=task_root,
            runtime_dir=runtime_dir,
            tmp_dir=tmp_dir,
            own={**self.policy.extra_env, **config.env},
        )
        try:
            worker.start(
                self.sandbox,
                env,
                self.sandbox.setup_frame(
                    request.code, layout, config.memory_mb, config.timeout_s, env, config.ephemeral_storage_mb
                ),
            )
        except BaseException:
            self._free_slots.append(slot)
            self.sandbox.remove(layout)
            raise
        self._workers[request.env_id] = worker
        self._selector.register(worker.resp_r, _READ, (worker, "resp"))
        self._selector.register(worker.out_r, _READ, (worker, "out"))
        if worker.exit_fd >= 0:
            self._selector.register(worker.exit_fd, _READ, (worker, "exit"))
        worker.deadline = worker.spawned_at + self.policy.init_timeout_s
        self.counters["spawned"] += 1
        return worker

    def _start_invoke(self, worker: Worker, request: _Request) -> None:
        worker.request = request
        worker.thaw()
        worker.send(
            {
                "t": "invoke",
                "id": request.request_id,
                "event": request.event,
                "arn": request.arn,
                "client_context": request.client_context,
            }
        )
        if worker.state == IDLE:
            worker.state = RUNNING
            worker.sent_at = time.monotonic()
            worker.deadline = worker.sent_at + request.config.timeout_s
        # STARTING: the Init deadline stands; the invoke's starts when the worker reports ready.
        self._flush(worker)

    def _flush(self, worker: Worker) -> None:
        writing = worker.pending and self._is_registered(worker.req_w)
        if worker.flush():
            if writing:
                self._selector.unregister(worker.req_w)
        elif not writing:
            self._selector.register(worker.req_w, _WRITE, (worker, "req"))

    def _is_registered(self, fd: int) -> bool:
        try:
            self._selector.get_key(fd)
            return True
        except KeyError:
            return False

    # --- replies -------------------------------------------------------------------------------------------------

    def _on_replies(self, worker: Worker) -> None:
        try:
            frames = worker.read_frames()
        except ProtocolError as exc:
            self._crashed(worker, note=f"[LambdaViz] worker protocol error: {exc}")
            return
        for frame in frames or ():
            if self._workers.get(worker.env_id) is not worker:
                return
            self._on_frame(worker, frame)
        if frames is None and self._workers.get(worker.env_id) is worker:
            self._crashed(worker)

    def _on_exit(self, worker: Worker) -> None:
        """The runtime process exited. Its children (a handler's forks) may still hold the reply pipe open, so its
        end of file may never come: read what it sent, then end it as a crash (which kills the whole group)."""
        self._on_replies(worker)
        if self._workers.get(worker.env_id) is worker:
            self._crashed(worker)

    def _on_frame(self, worker: Worker, frame: dict) -> None:
        kind = frame.get("t")
        request = worker.request
        now = time.monotonic()
        if kind == "ready" and worker.state == STARTING and request is not None and request.init_only:
            self._initialized(worker, request, frame, now)
        elif kind == "ready" and worker.state == STARTING:
            worker.ready_at = now
            worker.init_ms = (now - worker.spawned_at) * 1000.0
            worker.sandbox_report = self.last_sandbox_report = frame.get("sandbox")
            worker.state = RUNNING
            worker.sent_at = now
            worker.deadline = now + request.config.timeout_s
        elif kind == "init_error" and worker.state == STARTING:
            init_ms = (now - worker.spawned_at) * 1000.0
            worker.sandbox_report = self.last_sandbox_report = frame.get("sandbox")
            _, rss = self._reap(worker, 0.5)
            worker.read_output()
            error = frame.get("error") or {}
            logs = (*worker.take_logs(), reports.init_report_line(init_ms, "error", error.get("errorType")))
            memory = request.config.memory_mb
            self._remove(worker)
            self._finish(
                request, reports.function_error(error, 0.0, init_ms, rss, memory, logs, request.request_id, reset=True)
            )
        elif (
            kind == "result"
            and worker.state == RUNNING
            and request is not None
            and frame.get("id") == request.request_id
        ):
            self._completed(worker, request, frame)
        else:
            raise ProtocolError(f"unexpected {kind!r} frame")

    def _initialized(self, worker: Worker, request: _Request, frame: dict, now: float) -> None:
        """A provisioned environment's Init finished: the process waits, frozen, for its first invoke."""
        worker.ready_at = now
        worker.init_ms = (now - worker.spawned_at) * 1000.0
        worker.init_reported = True  # its invokes are warm: no Init Duration
        worker.sandbox_report = self.last_sandbox_report = frame.get("sandbox")
        worker.read_output()
        worker.take_logs()  # AWS writes Init output to the environment's log stream, not to an invocation's log
        worker.state = IDLE
        worker.request = None
        worker.deadline = None
        worker.last_used = now
        self._provisioned.add(worker.env_id)
        if worker.retire_after:
            self._stop(worker)
        elif self.policy.freeze_idle:
            worker.freeze()
        report = ExecutionReport(Outcome.SUCCESS, 0.0, worker.init_ms, None, 0)
        self._finish(request, report)

    def _completed(self, worker: Worker, request: _Request, frame: dict) -> None:
        worker.read_output()
        logs = worker.take_logs()
        init_ms = None if worker.init_reported else worker.init_ms
        worker.init_reported = True
        ms = float(frame.get("ms", 0.0))
        rss = int(frame.get("rss_kb", 0))
        memory = request.config.memory_mb
        if frame.get("ok"):
            report = reports.success(str(frame.get("body", "null")), ms, init_ms, rss, memory, logs)
        else:
            report = reports.function_error(
                frame.get("error") or {}, ms, init_ms, rss, memory, logs, request.request_id
            )
        worker.state = IDLE
        worker.request = None
        worker.deadline = None
        worker.last_used = time.monotonic()
        if worker.retire_after:
            self._stop(worker)
        elif self.policy.freeze_idle:
            worker.freeze()
        self._finish(request, report)

    # --- endings -------------------------------------------------------------------------------------------------

    def _expire(self) -> None:
        now = time.monotonic()
        for worker in [w for w in self._workers.values() if w.deadline is not None and now >= w.deadline]:
            request = worker.request
            _, rss = worker.kill()
            worker.read_output()
            logs = worker.take_logs()
            config = request.config
            self.counters["timeouts"] += 1
            if worker.state == STARTING:
                # semantics §9: Init is limited to 10 s; AWS then retries it inside the invoke, under the function
                # timeout, which such an Init cannot meet either. Reported as that invoke's timeout.
                init_ms = (now - worker.spawned_at) * 1000.0 if request.init_only else self.policy.init_timeout_s * 1e3
                logs = (*logs, reports.init_report_line(init_ms, "timeout"))
            else:
                init_ms = None if worker.init_reported else worker.init_ms
            self._remove(worker)
            self._finish(request, reports.timeout(config.timeout_s, init_ms, rss, config.memory_mb, logs))

    def _crashed(self, worker: Worker, note: str | None = None) -> None:
        """The worker closed its reply pipe (exited, or is misbehaving) or broke the protocol."""
        now = time.monotonic()
        status, rss = self._reap(worker, 0.0 if note else 0.2)
        worker.read_output()
        logs = worker.take_logs()
        if note:
            logs = (*logs, note)
        request = worker.request
        if request is not None:
            self.counters["crashes"] += 1
            if worker.state == STARTING:
                init_ms, ms = (now - worker.spawned_at) * 1000.0, 0.0
                logs = (*logs, reports.init_report_line(init_ms, "error", "Runtime.ExitError"))
            else:
                init_ms = None if worker.init_reported else worker.init_ms
                ms = (now - worker.sent_at) * 1000.0
            report = reports.exit_error(request.request_id, status, ms, init_ms, rss, request.config.memory_mb, logs)
            self._remove(worker)
            self._finish(request, report)
        else:
            self._remove(worker)

    @staticmethod
    def _reap(worker: Worker, grace_s: float) -> tuple[int | None, int]:
        """Let an exiting worker finish for up to `grace_s`, else kill it. The status is None when it had to be
        killed (it was still running: it shut its own reply pipe, or broke the protocol)."""
        status, rss = worker.exit_status(grace_s)
        if status is None:
            _, rss = worker.kill()
        return status, rss

    def _stop(self, worker: Worker) -> None:
        worker.kill()
        self._remove(worker)

    def _remove(self, worker: Worker) -> None:
        for fd in (worker.resp_r, worker.out_r, worker.req_w, worker.exit_fd):
            if fd >= 0 and self._is_registered(fd):
                self._selector.unregister(fd)
        worker.close_fds()
        if self._workers.get(worker.env_id) is worker:
            del self._workers[worker.env_id]
            self._provisioned.discard(worker.env_id)
        self._free_slots.append(worker.slot)
        self.sandbox.remove(worker.layout)

    def _finish(self, request: _Request, report: ExecutionReport) -> None:
        self.counters["completed"] += 1
        self._finished.append((request.job, request.done, report))
        self._finished_signal.set()

    def _shutdown(self, report_unfinished: bool) -> None:
        for worker in list(self._workers.values()):
            request = worker.request
            try:
                self._stop(worker)
            except Exception:
                log.exception("stopping python worker %s", worker.env_id)
            if report_unfinished and request is not None:
                report = reports.exit_error(request.request_id, None, 0.0, None, 0, request.config.memory_mb, ())
                self._finish(request, report)
        if report_unfinished:
            for request in self._queue:
                report = reports.exit_error(request.request_id, None, 0.0, None, 0, request.config.memory_mb, ())
                self._finish(request, report)
        self._queue.clear()
        self._closed = True
        self._selector.close()
        for fd in (self._wake_r, self._wake_w):
            os.close(fd)
        self.sandbox.close()
