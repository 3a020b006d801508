"""ExecutionReports for each way a real invocation can end, with AWS's error bodies (semantics §1, §9, §11)."""

from __future__ import annotations

import json
import math
import os
import signal
from typing import Any

from ...engine.executors import ExecutionReport
from ...engine.outcomes import Outcome

MAX_RESPONSE_BYTES = 6291556  # semantics §1: Function.ResponseSizeTooLarge above this

# Lambda's runtime manager is written in Go and prints signals its way.
_SIGNAL_NAMES = {
    signal.SIGKILL: "killed",
    signal.SIGSEGV: "segmentation fault",
    signal.SIGABRT: "aborted",
    signal.SIGTERM: "terminated",
    signal.SIGXCPU: "CPU time limit exceeded",
    signal.SIGXFSZ: "file size limit exceeded",
}


def memory_used_mb(rss_kb: int, memory_mb: int) -> int:
    """Max Memory Used: the worker's peak resident set (ru_maxrss, interpreter included, as on AWS), capped at the
    configured memory."""
    used = max(1, math.ceil(rss_kb / 1024))
    return used if used < memory_mb else memory_mb


def success(
    body: str, ms: float, init_ms: float | None, rss_kb: int, memory_mb: int, logs: tuple[str, ...]
) -> ExecutionReport:
    memory = memory_used_mb(rss_kb, memory_mb)
    if len(body.encode()) > MAX_RESPONSE_BYTES:
        message = f"Response payload size exceeded maximum allowed payload size ({MAX_RESPONSE_BYTES} bytes)."
        error = {
            "errorMessage": message,
            "errorType": "Function.ResponseSizeTooLarge",
        }
        return ExecutionReport(Outcome.FUNCTION_ERROR, ms, init_ms, error, memory, logs)
    return ExecutionReport(Outcome.SUCCESS, ms, init_ms, json.loads(body), memory, logs)


def function_error(
    error: dict[str, Any],
    ms: float,
    init_ms: float | None,
    rss_kb: int,
    memory_mb: int,
    logs: tuple[str, ...],
    request_id: str,
    reset: bool = False,
) -> ExecutionReport:
    body = dict(error)
    body["requestId"] = request_id  # Init errors are raised before any request: they carry "" from the worker
    return ExecutionReport(Outcome.FUNCTION_ERROR, ms, init_ms, body, memory_used_mb(rss_kb, memory_mb), logs, reset)


def timeout(
    timeout_s: float, init_ms: float | None, rss_kb: int, memory_mb: int, logs: tuple[str, ...]
) -> ExecutionReport:
    """The engine writes the Sandbox.Timedout body and the "Task timed out" line; the environment is reset."""
    return ExecutionReport(Outcome.TIMEOUT, timeout_s * 1000.0, init_ms, None, memory_used_mb(rss_kb, memory_mb), logs)


def exit_reason(status: int | None) -> str:
    if status is None:
        return "Runtime exited without providing a reason"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = _SIGNAL_NAMES.get(sig) or (signal.strsignal(sig) or f"signal {sig}").lower()
        return f"Runtime exited with error: signal: {name}"
    code = os.waitstatus_to_exitcode(status)
    if code == 0:
        return "Runtime exited without providing a reason"
    return f"Runtime exited with error: exit status {code}"


def exit_error(
    request_id: str,
    status: int | None,
    ms: float,
    init_ms: float | None,
    rss_kb: int,
    memory_mb: int,
    logs: tuple[str, ...],
) -> ExecutionReport:
    """semantics §1: the runtime process died during the invoke: Runtime.ExitError, and the environment resets."""
    message = f"RequestId: {request_id} Error: {exit_reason(status)}"
    body = {"errorType": "Runtime.ExitError", "errorMessage": message}
    logs = (*logs, message, "Runtime.ExitError")
    return ExecutionReport(Outcome.FUNCTION_ERROR, ms, init_ms, body, memory_used_mb(rss_kb, memory_mb), logs, True)


def init_report_line(init_ms: float, status: str, error_type: str | None = None) -> str:
    """semantics §9: INIT_REPORT for a failed Init (status "error" or "timeout")."""
    line = f"INIT_REPORT Init Duration: {init_ms:.2f} ms\tPhase: init\tStatus: {status}"
    return line + (f"\tError Type: {error_type}" if error_type else "")
