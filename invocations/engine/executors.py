"""Executors run an invocation's code: the Executor protocol, its report, and the modelled executor.

A real-handler executor (later issue) implements the same protocol: it runs `def handler(event, context)` in a
subprocess and calls `done(job, report)` when it finishes, possibly much later; the engine then completes the
invocation at `started_at + init + duration` on its clock (or now, if that has already passed).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from .matching import matches_any
from .outcomes import Outcome
from .profile import BehaviourProfile

if TYPE_CHECKING:
    from .invocation import Attempt


@dataclass(slots=True)
class ExecutionReport:
    """What running the code produced. `outcome` is SUCCESS, FUNCTION_ERROR or TIMEOUT; `init_ms` is the Init phase
    actually run (None when the environment was warm); `response` is the return value or the error body (None for a
    timeout: the engine writes Sandbox.Timedout); `reset` marks a crash (Runtime.ExitError) that resets the env."""

    outcome: Outcome
    duration_ms: float
    init_ms: float | None
    response: Any
    memory_used_mb: int
    logs: tuple[str, ...] = ()
    reset: bool = False


class Executor(Protocol):
    def execute(self, job: Attempt, done: Callable[[Attempt, ExecutionReport], None]) -> None:
        """Run `job` (read: request_id, payload, function, version, config, env, cold); call `done` exactly once."""
        ...


_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)\s*\}\}")


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A profile prepared once: the per-invocation path reads plain attributes only."""

    mean: float
    stddev: float
    init_ms: float
    error_rate: float
    error_or_timeout: float
    timeout_rate: float
    memory_used_mb: int
    rules: tuple
    response: Any
    templated: bool
    error_type: str
    error_message: str
    stack: tuple[str, ...]


class ModelledExecutor:
    """Runs a BehaviourProfile: draws a duration, decides success/error/timeout, renders the response.

    Order of rules: a matching fail_when rule fails the invocation; otherwise one uniform draw picks timeout
    (timeout_rate), error (error_rate) or success; a drawn duration at or beyond the function timeout is a timeout
    too. Durations are normal(mean, stddev) clipped at 0.1 ms (approximation: real latency is skewed).

    The response template may contain {{requestId}}, {{functionName}}, {{version}}, {{event}} or {{event.a.b}};
    a string that is exactly one placeholder takes the value's type. A template without placeholders is returned
    as the same object every time: callers must not mutate responses.
    """

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._cache: dict[int, tuple[BehaviourProfile, _Compiled]] = {}

    def _compile(self, p: BehaviourProfile) -> _Compiled:
        hit = self._cache.get(id(p))
        if hit is not None and hit[0] is p:
            return hit[1]
        compiled = _Compiled(
            mean=p.duration_mean_ms,
            stddev=p.duration_stddev_ms,
            init_ms=p.init_ms,
            error_rate=p.error_rate,
            error_or_timeout=p.error_rate + p.timeout_rate,
            timeout_rate=p.timeout_rate,
            memory_used_mb=p.memory_used_mb,
            rules=p.fail_when,
            response=p.response,
            templated=_has_placeholder(p.response),
            error_type=p.error_type,
            error_message=p.error_message,
            stack=(
                '  File "/var/task/lambda_function.py", line 12, in lambda_handler\n'
                f"    raise {p.error_type}({p.error_message!r})\n",
            ),
        )
        self._cache[id(p)] = (p, compiled)  # the profile is kept alive, so its id cannot be reused
        return compiled

    def execute(self, job: Attempt, done: Callable[[Attempt, ExecutionReport], None]) -> None:
        config = job.config
        profile = config.profile
        hit = self._cache.get(id(profile))
        c = hit[1] if hit is not None and hit[0] is profile else self._compile(profile)
        rng = self._rng
        duration = rng.gauss(c.mean, c.stddev) if c.stddev else c.mean
        if duration < 0.1:
            duration = 0.1
        timeout_ms = config.timeout_s * 1000.0
        outcome = Outcome.SUCCESS
        if c.rules and matches_any(c.rules, job.payload):
            outcome = Outcome.FUNCTION_ERROR
        elif c.error_or_timeout:
            u = rng.random()
            if u < c.timeout_rate:
                outcome = Outcome.TIMEOUT
            elif u < c.error_or_timeout:
                outcome = Outcome.FUNCTION_ERROR
        if outcome is Outcome.TIMEOUT or duration >= timeout_ms:
            outcome, duration, response = Outcome.TIMEOUT, timeout_ms, None
        elif outcome is Outcome.FUNCTION_ERROR:
            response = {
                "errorMessage": c.error_message,
                "errorType": c.error_type,
                "requestId": job.request_id,
                "stackTrace": list(c.stack),
            }
        elif c.templated:
            response = _render(c.response, job)
        else:
            response = c.response
        memory = c.memory_used_mb if c.memory_used_mb < config.memory_mb else config.memory_mb
        done(job, ExecutionReport(outcome, duration, c.init_ms if job.cold else None, response, memory))


def _has_placeholder(value: Any) -> bool:
    if isinstance(value, str):
        return _PLACEHOLDER.search(value) is not None
    if isinstance(value, dict):
        return any(_has_placeholder(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_placeholder(v) for v in value)
    return False


def _lookup(name: str, job: Attempt) -> Any:
    if name == "requestId":
        return job.request_id
    if name == "functionName":
        return job.function
    if name == "version":
        return job.version
    head, _, rest = name.partition(".")
    if head != "event":
        return None
    value = job.payload
    for part in rest.split(".") if rest else ():
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _render(value: Any, job: Attempt) -> Any:
    if isinstance(value, str):
        whole = _PLACEHOLDER.fullmatch(value)
        if whole:
            return _lookup(whole.group(1), job)
        return _PLACEHOLDER.sub(lambda m: str(_lookup(m.group(1), job)), value)
    if isinstance(value, dict):
        return {k: _render(v, job) for k, v in value.items()}
    if isinstance(value, list):
        return [_render(v, job) for v in value]
    return value
