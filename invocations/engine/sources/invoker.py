"""The two things a poller needs from the rest of the engine, as Protocols (shape, not class)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ..outcomes import InvokeResult


class SyncInvoker(Protocol):
    """Engine.invoke_sync's shape: the result arrives via `on_complete` (immediately for a throttle)."""

    def invoke_sync(
        self,
        target: str,
        payload: Any,
        *,
        source: str = "sdk",
        on_complete: Callable[[InvokeResult], None],
    ) -> None: ...


class Timer(Protocol):
    def cancel(self) -> None: ...


class Clock(Protocol):
    """VirtualClock and RealtimeClock both fit."""

    def now(self) -> float: ...

    def schedule(self, delay: float, callback: Callable[[], None], priority: int = 0) -> Timer: ...
