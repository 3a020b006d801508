"""What one invocation attempt asks for (Attempt) and its in-flight record once admitted (Invocation)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .fastinit import keyword_new

if TYPE_CHECKING:
    from .async_invoke import AsyncItem
    from .config import VersionConfig
    from .environments import Environment
    from .events import InvocationType
    from .executors import ExecutionReport
    from .outcomes import InvokeResult
    from .routing import Route, VersionTarget
    from .store import Grant


@keyword_new
@dataclass(slots=True, eq=False)
class Attempt:
    """One attempt as the caller asked for it, passed whole along the invoke path (admit, refuse, execute, finish).

    `number` is InvocationCompleted.attempt (1 for a sync invoke, 1..3 for async, 0 for an at-least-once
    duplicate). A result goes to `item` (an async event's queue entry) if set, else to `on_complete`, if set.
    `client_context` is a sync invoke's decoded ClientContext, else None."""

    request_id: str
    payload: Any
    source: str
    invocation_type: InvocationType
    number: int = 1
    on_complete: Callable[[InvokeResult], None] | None = None
    item: AsyncItem | None = None
    client_context: dict[str, Any] | None = None


class Invocation:
    """Mutable and slotted (one per admitted attempt, on the hot path). Executors read request_id, payload,
    function, version, config, env, cold, target, route and client_context; the rest is the engine's bookkeeping
    until completion."""

    __slots__ = (
        "attempt",
        "config",
        "env",
        "cold",
        "route",
        "target",
        "started_at",
        "grant",
        "pc_key",
        "report",
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
        self.attempt = attempt
        self.config: VersionConfig = env.config
        self.env = env
        self.cold: bool = env.needs_init
        self.route = route
        self.target = target
        self.started_at = started_at
        self.grant = grant
        self.pc_key = pc_key
        self.report: ExecutionReport  # set by Engine._executed before anything reads it

    # The attempt's fields executors read, as properties: the modelled executor rarely reads them, so copying them
    # into every Invocation would cost more.
    @property
    def request_id(self) -> str:
        return self.attempt.request_id

    @property
    def payload(self) -> Any:
        return self.attempt.payload

    @property
    def client_context(self) -> dict[str, Any] | None:
        return self.attempt.client_context

    @property
    def function(self) -> str:
        return self.target.function

    @property
    def version(self) -> str:
        return self.target.version
