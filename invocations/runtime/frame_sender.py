"""FrameSender: the publisher's network sends on their own long-lived thread and event loop.

A `group_send` through `async_to_sync` costs ~7 ms (a fresh loop hop per call, then the Redis round trips); on the
engine host's thread that time is stolen from completing and admitting invocations. Here the host only hands a
job over (`call_soon_threadsafe`, microseconds) and goes on. The hand-off is bounded and never blocks:
- at most one frame is in flight; while it is, the publisher keeps counting into the next frame (frames merge at
  the source, so no count is ever lost);
- announcements queue up to `max_pending`; beyond that they are dropped and counted in `dropped`.
Jobs run one after another, in the order they were handed over, so a page sees facts in the order they happened.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class FrameSender:
    def __init__(self, *, max_pending: int = 100, name: str = "lv-frame-sender") -> None:
        self.max_pending = max_pending
        self.dropped = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=name, daemon=True)
        self._thread.start()
        self._frame: concurrent.futures.Future | None = None
        self._others: set[concurrent.futures.Future] = set()
        self._last: concurrent.futures.Future | None = None  # the job handed over last: the next one waits for it

    def frame_busy(self) -> bool:
        """True while the last frame handed over is still being sent."""
        return self._frame is not None and not self._frame.done()

    def send_frame(self, job: Callable[[], Awaitable[None]]) -> bool:
        """Hand a frame's sends over; False (nothing scheduled) if the previous frame is still in flight."""
        if self.frame_busy():
            return False
        self._frame = self._submit(job)
        return True

    def send(self, job: Callable[[], Awaitable[None]]) -> bool:
        """Hand any other message over; False (dropped and counted) when `max_pending` are already waiting."""
        self._others = {f for f in self._others if not f.done()}
        if len(self._others) >= self.max_pending:
            self.dropped += 1
            return False
        self._others.add(self._submit(job))
        return True

    def wait(self, timeout: float = 5.0) -> bool:
        """Block until everything handed over is sent (or `timeout`); True if nothing is left in flight."""
        pending = [f for f in (self._frame, *self._others) if f is not None]
        done, not_done = concurrent.futures.wait(pending, timeout=timeout)
        return not not_done

    def close(self, timeout: float = 5.0) -> None:
        if not self._thread.is_alive():
            return
        self.wait(timeout)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
        if not self._thread.is_alive():
            self._loop.close()

    def _submit(self, job: Callable[[], Awaitable[None]]) -> concurrent.futures.Future:
        self._last = asyncio.run_coroutine_threadsafe(self._in_turn(job, self._last), self._loop)
        return self._last

    @staticmethod
    async def _in_turn(job: Callable[[], Awaitable[None]], previous: concurrent.futures.Future | None) -> None:
        if previous is not None:
            await asyncio.wrap_future(previous)  # never raises: each job's failure is caught below
        try:
            await job()
        except Exception:  # a failed send costs that frame, never the sender thread
            log.exception("frame sender: a send failed")
