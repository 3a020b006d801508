"""The in-flight record of one invocation attempt: what executors read and what the engine completes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .async_invoke import AsyncItem
    from .config import VersionConfig
    from .environments import Environment
    from .executors import ExecutionReport
    from .outcomes import InvokeResult
    from .routing import Route, VersionTarget
    from .store import Grant


@dataclass(slots=True)
class Attempt:
    """What one caller asked for, carried through admission: the request, not the slot or environment it gets.
    Slotted: one per attempt on the hot path."""

    request_id: str
    payload: Any
    source: str
    invocation_type: str
    attempt: int = 1  # 0 marks an async duplicate delivery (semantics §2)
    on_complete: Callable[[InvokeResult], None] | None = None
    item: AsyncItem | None = None
    client_context: dict[str, Any] | None = None


class Invocation:
    """Mutable and slotted (one per attempt, on the hot path). Executors read request_id, payload, function,
    version, config, env, cold and client_context (a sync invoke's decoded ClientContext, else None); the rest is
    the engine's bookkeeping until completion."""

    __slots__ = (
        "request_id",
        "payload",
        "config",
        "env",
        "cold",
        "route",
        "target",
        "started_at",
        "grant",
        "pc_key",
        "report",
        "client_context",
        "request",
    )

    def __init__(
        self,
        attempt: Attempt,
        route: Route,
        target: VersionTarget,
        env: Environment,
        grant: Grant,
        pc_key: str | None,
        started_at: float,
    ) -> None:
        self.request_id = attempt.request_id
        self.payload = attempt.payload
        self.config: VersionConfig = env.config
        self.env = env
        self.cold: bool = env.needs_init
        self.route = route
        self.target = target
        self.started_at = started_at
        self.grant = grant
        self.pc_key = pc_key
        self.client_context = attempt.client_context
        self.request = attempt  # the rest (source, type, attempt number, callback) is read only at completion
        self.report: ExecutionReport  # set by Engine._executed before anything reads it

    @property
    def function(self) -> str:
        return self.target.function

    @property
    def version(self) -> str:
        return self.target.version


# Keyword constructors for the hot path: calling a class with keywords builds a dict per call, a function does not.
def new_attempt(
    *,
    request_id: str,
    payload: Any,
    source: str,
    invocation_type: str,
    attempt: int = 1,
    on_complete: Callable[[InvokeResult], None] | None = None,
    item: AsyncItem | None = None,
    client_context: dict[str, Any] | None = None,
) -> Attempt:
    return Attempt(request_id, payload, source, invocation_type, attempt, on_complete, item, client_context)


def new_invocation(
    *,
    attempt: Attempt,
    route: Route,
    target: VersionTarget,
    env: Environment,
    grant: Grant,
    pc_key: str | None,
    started_at: float,
) -> Invocation:
    return Invocation(attempt, route, target, env, grant, pc_key, started_at)
