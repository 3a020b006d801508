"""What every poller lane shares: one wake-up pending on the engine clock, one batch in flight, a throttle backoff
and a batching window (semantics §3). A stream shard's lanes, SQS pollers and MQ consumers are all lanes.

Approximation: AWS documents no event source mapping throttle backoff; ours starts at 1 s and doubles to 60 s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .invoker import Clock, Timer

MAX_THROTTLE_BACKOFF = 60.0
_EPSILON = 1e-9  # a window this close to its end counts as ended (float sums of simulated times)


@dataclass(slots=True, eq=False)
class Backoff:
    """Throttle backoff: 1 s after the first throttle, doubling to MAX_THROTTLE_BACKOFF; 0 once one gets through."""

    delay: float = 0.0

    def grow(self) -> float:
        self.delay = min(MAX_THROTTLE_BACKOFF, max(1.0, self.delay * 2))
        return self.delay

    def reset(self) -> None:
        self.delay = 0.0


@dataclass(slots=True, eq=False)
class BatchingWindow:
    """MaximumBatchingWindowInSeconds: a batch that is not full waits up to this long after its first record."""

    seconds: float
    opened: float | None = None

    def left(self, now: float, *, full: bool) -> float:
        """Seconds the batch should still wait (0.0: invoke now); the first call for a batch opens the window."""
        if full or self.seconds <= 0:
            return 0.0
        if self.opened is None:
            self.opened = now
        remaining = self.opened + self.seconds - now
        return remaining if remaining > _EPSILON else 0.0

    def close(self) -> None:
        """The batch was taken; the next one opens a new window."""
        self.opened = None


@dataclass(slots=True, eq=False, kw_only=True)
class Lane:
    """One lane's timing: `on_tick(lane)` runs when its wake-up fires. Pollers subclass it with their own state."""

    clock: Clock
    on_tick: Callable[[Any], None]
    window: BatchingWindow
    backoff: Backoff = field(default_factory=Backoff)
    timer: Timer | None = None
    in_flight: object | None = None  # token of the invocation this lane waits for

    def wake(self, delay: float) -> None:
        """Tick after `delay`, replacing any wake-up already pending: a lane waits on one timer at most."""
        if self.timer is not None:
            self.timer.cancel()
        self.timer = self.clock.schedule(delay, self._fire)

    def sleep(self) -> None:
        """Cancel the pending wake-up (the mapping was disabled or the poller retired)."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _fire(self) -> None:
        self.timer = None
        self.on_tick(self)

    @property
    def busy(self) -> bool:
        return self.in_flight is not None

    def send(self) -> object:
        """Mark a batch in flight; pass the token to its completion so `settle` can tell a stale one."""
        token = object()
        self.in_flight = token
        return token

    def settle(self, token: object) -> bool:
        """True, and the lane is free again, if `token` is the invocation this lane waits for."""
        if self.in_flight is not token:
            return False
        self.in_flight = None
        return True
