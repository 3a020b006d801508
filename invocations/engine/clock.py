"""Simulation clocks: a virtual event heap for tests and fast-forward, and a paced real-time clock for demos."""

from __future__ import annotations

import heapq
import itertools
import time as _time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_NO_ARG = object()


@dataclass(slots=True)
class Scheduled:
    """A handle on one pending callback; the heap orders entries by (time, priority, seq), so runs are deterministic."""

    at: float
    priority: int
    seq: int
    callback: Callable[[], None]
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True


class VirtualClock:
    """A deterministic clock: time moves only when the heap is run (SimPy's Environment, in spirit).

    Heap entries are plain tuples `(at, priority, seq, callback, arg, handle)`: tuple comparison runs in C and never
    looks past the unique seq. `call_later` skips the handle for hot-path callbacks that are never cancelled.
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)
        self._heap: list[tuple] = []
        self._seq = itertools.count()

    def now(self) -> float:
        return self._now

    def schedule(self, delay: float, callback: Callable[[], None], priority: int = 0) -> Scheduled:
        if delay < 0:
            raise ValueError("delay must be >= 0")
        at = self._now + delay
        seq = next(self._seq)
        handle = Scheduled(at, priority, seq, callback)
        heapq.heappush(self._heap, (at, priority, seq, callback, _NO_ARG, handle))
        return handle

    def schedule_at(self, at: float, callback: Callable[[], None], priority: int = 0) -> Scheduled:
        return self.schedule(max(0.0, at - self._now), callback, priority)

    def call_later(self, delay: float, callback: Callable[[Any], None], arg: Any, priority: int = 0) -> None:
        """Run `callback(arg)` after `delay`; no handle (cannot be cancelled), one tuple allocated."""
        heapq.heappush(self._heap, (self._now + delay, priority, next(self._seq), callback, arg, None))

    def peek(self) -> float | None:
        """Time of the next live callback, or None when nothing is pending."""
        heap = self._heap
        while heap:
            handle = heap[0][5]
            if handle is None or not handle.cancelled:
                return heap[0][0]
            heapq.heappop(heap)
        return None

    def pending(self) -> int:
        return sum(1 for entry in self._heap if entry[5] is None or not entry[5].cancelled)

    def step(self) -> bool:
        """Run the next callback; False when nothing is pending."""
        if self.peek() is None:
            return False
        at, _, _, callback, arg, _ = heapq.heappop(self._heap)
        if at > self._now:
            self._now = at
        if arg is _NO_ARG:
            callback()
        else:
            callback(arg)
        return True

    def run(self, until: float | None = None) -> None:
        """Run callbacks in order; with `until`, stop before later ones and leave the clock at `until`."""
        heap, pop = self._heap, heapq.heappop
        limit = float("inf") if until is None else until
        while heap:
            at, _, _, callback, arg, handle = heap[0]
            if at > limit:
                break
            pop(heap)
            if handle is not None and handle.cancelled:
                continue
            if at > self._now:
                self._now = at
            if arg is _NO_ARG:
                callback()
            else:
                callback(arg)
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

    def follow(self, anchor_sim: float, anchor_wall: float, factor: float, paused: bool) -> None:
        """Adopt another clock's anchors (the runtime's shared clock, which only ever re-anchors forwards), so
        every process reads the same time."""
        self._anchor_sim, self._anchor_wall, self._factor, self._paused = anchor_sim, anchor_wall, factor, paused

    def schedule(self, delay: float, callback: Callable[[], None], priority: int = 0) -> Scheduled:
        self._now = max(self._now, self.now())
        return super().schedule(delay, callback, priority)

    def schedule_at(self, at: float, callback: Callable[[], None], priority: int = 0) -> Scheduled:
        self._now = max(self._now, self.now())
        return super().schedule_at(at, callback, priority)

    def call_later(self, delay: float, callback: Callable[[Any], None], arg: Any, priority: int = 0) -> None:
        self._now = max(self._now, self.now())
        super().call_later(delay, callback, arg, priority)

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
