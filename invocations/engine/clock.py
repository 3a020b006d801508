"""Simulation clocks: a virtual event heap for tests and fast-forward, and a paced real-time clock for demos."""

from __future__ import annotations

import heapq
import itertools
import time as _time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(order=True)
class Scheduled:
    """One pending callback; ordered by (time, priority, seq) so runs are deterministic."""

    at: float
    priority: int
    seq: int
    callback: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class VirtualClock:
    """A deterministic clock: time moves only when the heap is run (SimPy's Environment, in spirit)."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)
        self._heap: list[Scheduled] = []
        self._seq = itertools.count()

    def now(self) -> float:
        return self._now

    def schedule(self, delay: float, callback: Callable[[], None], priority: int = 0) -> Scheduled:
        if delay < 0:
            raise ValueError("delay must be >= 0")
        item = Scheduled(self._now + delay, priority, next(self._seq), callback)
        heapq.heappush(self._heap, item)
        return item

    def schedule_at(self, at: float, callback: Callable[[], None], priority: int = 0) -> Scheduled:
        return self.schedule(max(0.0, at - self._now), callback, priority)

    def peek(self) -> float | None:
        """Time of the next live callback, or None when nothing is pending."""
        while self._heap and self._heap[0].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0].at if self._heap else None

    def pending(self) -> int:
        return sum(1 for item in self._heap if not item.cancelled)

    def step(self) -> bool:
        """Run the next callback; False when nothing is pending."""
        if self.peek() is None:
            return False
        item = heapq.heappop(self._heap)
        self._now = max(self._now, item.at)
        item.callback()
        return True

    def run(self, until: float | None = None) -> None:
        """Run callbacks in order; with `until`, stop before later ones and leave the clock at `until`."""
        while True:
            nxt = self.peek()
            if nxt is None or (until is not None and nxt > until):
                break
            self.step()
        if until is not None and until > self._now:
            self._now = until

    def advance(self, seconds: float) -> None:
        self.run(until=self._now + seconds)


class RealtimeClock(VirtualClock):
    """Simulated time paced against the wall clock with a speed factor that can change on the fly.

    Simulated time = anchor_sim + (wall - anchor_wall) * factor; pausing sets factor 0 without losing time.
    """

    def __init__(self, factor: float = 1.0, start: float = 0.0, wall: Callable[[], float] = _time.monotonic) -> None:
        super().__init__(start)
        self._wall = wall
        self._anchor_wall = wall()
        self._anchor_sim = float(start)
        self._factor = float(factor)
        self._paused = False

    @property
    def factor(self) -> float:
        return self._factor

    @property
    def paused(self) -> bool:
        return self._paused

    def now(self) -> float:
        if self._paused:
            return self._anchor_sim
        return self._anchor_sim + (self._wall() - self._anchor_wall) * self._factor

    def _rebase(self) -> None:
        self._anchor_sim = self.now()
        self._anchor_wall = self._wall()

    def set_speed(self, factor: float) -> None:
        if factor <= 0:
            raise ValueError("speed factor must be > 0; use pause() to stop time")
        self._rebase()
        self._factor = float(factor)

    def pause(self) -> None:
        self._rebase()
        self._paused = True

    def resume(self) -> None:
        self._anchor_wall = self._wall()
        self._paused = False

    def schedule(self, delay: float, callback: Callable[[], None], priority: int = 0) -> Scheduled:
        self._now = self.now()
        return super().schedule(delay, callback, priority)

    def run_due(self) -> int:
        """Run every callback whose simulated time has come; returns how many ran."""
        ran = 0
        target = self.now()
        while (nxt := self.peek()) is not None and nxt <= target:
            self.step()
            ran += 1
        self._now = max(self._now, target)
        return ran

    def seconds_until_next(self) -> float | None:
        """Wall seconds until the next callback is due (None if nothing pending or paused)."""
        nxt = self.peek()
        if nxt is None or self._paused:
            return None
        return max(0.0, (nxt - self.now()) / self._factor)
