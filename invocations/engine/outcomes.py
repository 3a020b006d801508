"""What one invocation ended as, and its START/END/REPORT log lines, derived lazily (semantics §1, §9)."""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from .fastinit import fast_frozen_init, keyword_constructor


class Outcome(StrEnum):
    SUCCESS = "Success"
    FUNCTION_ERROR = "FunctionError"
    TIMEOUT = "Timeout"
    THROTTLED = "Throttled"
    # Lambda itself failed (5xx); only from a real executor's failure or EngineOptions.service_error_rate.
    SERVICE_ERROR = "ServiceError"


# The runtime version INIT_START prints; a fixed, plausible value (the simulator has no runtime releases).
RUNTIME_VERSIONS = {"python3.13": "python:3.13.v31", "python3.12": "python:3.12.v61", "python3.11": "python:3.11.v71"}
_RUNTIME_ARN_ID = "0d1b2c3a4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"


def billed_duration_ms(duration_ms: float, init_ms: float | None, *, bill_init: bool) -> int:
    """Billed Duration: rounded UP to 1 ms since Dec 2020 (semantics §9), never below 1 ms.

    `bill_init` adds the on-demand Init phase, as AWS has done for every runtime since 1 Aug 2025 (semantics §9,
    marked ⚠: the exact REPORT arithmetic is unverified). EngineOptions.bill_init_phase chooses; default True.
    """
    total = duration_ms + init_ms if (bill_init and init_ms is not None) else duration_ms
    # Engine._finish inlines this same rule (hot path); a test holds the two together.
    billed = int(total)
    if total - billed > 1e-6 or billed == 0:  # float noise (3.0000000001) bills 3 ms, not 4
        billed += 1
    return billed


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class InvokeResult:
    """The caller-facing result. `payload` is the response body: the return value, an error body, or the 429 body.

    `executed_version` is the version routing chose; on a throttle it is still set (the version it would have run)
    although AWS sends no X-Amz-Executed-Version header with a 429. `init_ms` is set only on a cold start.
    """

    request_id: str
    outcome: Outcome
    status_code: int
    executed_version: str | None
    payload: Any
    function_error: str | None = None
    throttle_reason: str | None = None
    cold_start: bool = False
    duration_ms: float = 0.0
    billed_ms: int = 0
    init_ms: float | None = None
    memory_size_mb: int = 128
    max_memory_used_mb: int = 0
    function_arn: str = ""
    logs: tuple[str, ...] = ()
    runtime: str = "python3.13"

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.SUCCESS

    def log_lines(self) -> list[str]:
        """The CloudWatch lines of this invocation, in AWS's format (REPORT is tab-separated with a trailing tab)."""
        if self.outcome is Outcome.THROTTLED or self.outcome is Outcome.SERVICE_ERROR:
            return []
        rid = self.request_id
        lines: list[str] = []
        if self.init_ms is not None:
            region = self.function_arn.split(":")[3] if self.function_arn.count(":") >= 3 else "us-east-1"
            version = RUNTIME_VERSIONS.get(self.runtime, self.runtime)
            lines.append(
                f"INIT_START Runtime Version: {version}\tRuntime Version ARN: arn:aws:lambda:{region}::runtime:"
                f"{_RUNTIME_ARN_ID}"
            )
        lines.append(f"START RequestId: {rid} Version: {self.executed_version}")
        lines.extend(self.logs)
        body = self.payload if isinstance(self.payload, dict) else {}
        if self.outcome is Outcome.TIMEOUT:
            message = str(body.get("errorMessage", ""))
            lines.append(f"{rid} {message.partition(' Error: ')[2] or message}")
        elif self.outcome is Outcome.FUNCTION_ERROR and not self.logs:
            # A modelled function has no stdout; print what the Python runtime prints for an uncaught exception.
            lines.append(f"[ERROR] {body.get('errorType', 'Exception')}: {body.get('errorMessage', '')}")
        lines.append(f"END RequestId: {rid}")
        report = (
            f"REPORT RequestId: {rid}\tDuration: {self.duration_ms:.2f} ms\tBilled Duration: {self.billed_ms} ms\t"
            f"Memory Size: {self.memory_size_mb} MB\tMax Memory Used: {self.max_memory_used_mb} MB\t"
        )
        if self.init_ms is not None:
            report += f"Init Duration: {self.init_ms:.2f} ms\t"
        lines.append(report)
        return lines

    def log_result(self) -> str:
        """X-Amz-Log-Result for LogType=Tail: the last 4 KB of the log, base64 (semantics §1)."""
        raw = ("\n".join(self.log_lines()) + "\n").encode()
        return base64.b64encode(raw[-4096:]).decode()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


new_result = keyword_constructor(InvokeResult)  # InvokeResult by keyword on the hot path (see fastinit)
