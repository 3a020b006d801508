"""One attempt at an invocation: the one object the engine passes from the caller through admission to completion."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .fastinit import keyword_constructor

if TYPE_CHECKING:
    from .async_invoke import AsyncItem
    from .config import VersionConfig
    from .environments import Environment
    from .events import InvocationType
    from .executors import ExecutionReport
    from .outcomes import InvokeResult
    from .routing import Route, VersionTarget
    from .store import Grant


@dataclass(slots=True, eq=False)
class Attempt:
    """A sync invoke, or one delivery of an async event. Its maker sets what was asked (new_attempt, by keyword);
    the engine then fills in what admission gave it, and hands this same object to the executor and to completion
    instead of passing its fields one by one. Slotted and built once per attempt: it is the hot path's record.

    Executors read request_id, payload, function, version, config, env, cold and client_context (a sync invoke's
    decoded ClientContext, else None); the rest is the engine's bookkeeping until completion."""

    # What was asked.
    request_id: str
    payload: Any
    route: Route = field(repr=False)  # resolved by the maker (Router.route_for)
    source: str
    invocation_type: InvocationType
    number: int = 1  # InvocationCompleted.attempt: 1, 2, 3 for async retries; 0 marks a duplicate (semantics §2)
    on_complete: Callable[[InvokeResult], None] | None = None  # a sync caller's; async results go to `item`
    item: AsyncItem | None = None
    client_context: dict[str, Any] | None = None
    # What the engine gave it: Engine._start the version and time, Engine._admit the slot and environment (before
    # an executor sees the attempt), Engine._executed the report.
    target: VersionTarget = field(init=False, repr=False)
    started_at: float = field(init=False, repr=False)  # when admitted or refused (admission takes no simulated time)
    pc_key: str | None = field(init=False, repr=False)  # the provisioned pool asked for, None for on-demand only
    grant: Grant = field(init=False, repr=False)
    env: Environment = field(init=False, repr=False)
    config: VersionConfig = field(init=False, repr=False)
    cold: bool = field(init=False, repr=False)
    report: ExecutionReport = field(init=False, repr=False)

    @property
    def function(self) -> str:
        return self.target.function

    @property
    def version(self) -> str:
        return self.target.version


new_attempt = keyword_constructor(Attempt)
