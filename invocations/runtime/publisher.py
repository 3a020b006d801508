"""The one publisher: engine events become aggregated frames on the channel layer; other facts go out at once.

Groups: `lv.account` sees everything; `lv.fn.<name>` sees one function's share. Frames leave at most every
`interval` seconds (10 Hz by default), so a burst of 10,000 invocations costs a handful of group_send calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from ..engine.events import Event
from .frame_sender import FrameSender
from .frames import FrameAggregator, add_delivered, frame_for_function

ACCOUNT_GROUP = "lv.account"
IDLE_FRAME_SECONDS = 1.0


def function_group(name: str) -> str:
    return f"lv.fn.{name}"


class Publisher:
    """An engine EventSink; call `tick()` often (it flushes when the interval has passed) and `flush()` at the end.

    By default every send happens on the caller's thread (an API process announcing a change). The engine host
    calls `send_in_background()`: sends then go through a FrameSender thread and never hold up the host's loop."""

    def __init__(self, interval: float = 0.1, channel_layer: Any = None) -> None:
        self.interval = interval
        # The engine host sets these: `gauges` reads engine state (concurrency, environments, shards) on the host's
        # thread; `gauges_io` completes them with what needs Redis (queue depths, the snapshot copy) on the thread
        # that sends, so those round trips stay off the host's loop too.
        self.gauges: Callable[[], dict[str, Any]] | None = None
        self.gauges_io: Callable[[dict[str, Any]], None] | None = None
        # Adds the frame's tallies to the totals since the start and puts the sums in the frame (totals.py).
        self.totals_io: Callable[[dict[str, Any]], None] | None = None
        self._layer = channel_layer or get_channel_layer()
        self.aggregator = FrameAggregator()
        self._sender: FrameSender | None = None
        self._last_flush = time.monotonic()
        self._last_gauges = 0.0
        self._last_everyone = 0.0

    def send_in_background(self, *, max_pending: int = 100) -> None:
        """From now on, send from a FrameSender thread (at most `max_pending` announcements waiting)."""
        if self._sender is None:
            self._sender = FrameSender(max_pending=max_pending)

    def drain(self, timeout: float = 5.0) -> bool:
        """Wait until everything handed to the sending thread is sent; True if nothing is left in flight."""
        return self._sender.wait(timeout) if self._sender is not None else True

    @property
    def dropped(self) -> int:
        """Announcements dropped because the sending thread was too far behind."""
        return self._sender.dropped if self._sender is not None else 0

    def emit(self, event: Event) -> None:
        self.aggregator.emit(event)

    def tick(self) -> bool:
        if time.monotonic() - self._last_flush < self.interval:
            return False
        return self.flush()

    def flush(self, *, wait: bool = False) -> bool:
        """Send the pending frame. In the background, a frame still in flight makes this one wait for the next
        tick (its counts carry on into the next frame) unless `wait`, which also waits until it is sent."""
        sender = self._sender
        if sender is not None and sender.frame_busy():
            if not wait:
                return False
            sender.wait()
        now = time.monotonic()
        idle = self.aggregator.empty()
        # With nothing new, a frame still goes out once a second so gauges (idle environments, queues) stay fresh.
        if idle and (self.gauges is None or now - self._last_gauges < IDLE_FRAME_SECONDS):
            self._last_flush = now
            return False
        self._last_flush = now
        frame = self.aggregator.flush()
        frame["published_at"] = time.time()
        touched = set(frame["functions"])
        if self.gauges is not None:
            gauges = frame["gauges"] = self.gauges()
            self._last_gauges = now
            if now - self._last_everyone >= IDLE_FRAME_SECONDS:
                # Pages of quiet functions get fresh gauges once a second; busy ones get every frame anyway.
                touched |= set(gauges.get("reserved", {}))
                self._last_everyone = now
            # Poller events name their mapping; the function page needs them too.
            owners = {uuid: _function_name(m["function"]) for uuid, m in gauges.get("mappings", {}).items()}
            for event in frame["events"]:
                if not event.get("function") and event.get("esm") in owners:
                    event["function"] = owners[event["esm"]]
            # A stream's on-failure records and a queue's redrives count as the mapping function's deliveries.
            readers = {m["source"]: owners[uuid] for uuid, m in gauges.get("mappings", {}).items()}
            for esm, arn, n in frame.pop("mapping_delivered", ()):
                if esm in owners:
                    add_delivered(frame, owners[esm], arn, n)
            for queue, arn, n in frame.pop("queue_delivered", ()):
                if queue in readers:
                    add_delivered(frame, readers[queue], arn, n)
        frame.pop("mapping_delivered", None)
        frame.pop("queue_delivered", None)
        touched |= {e["function"] for e in frame["events"] if e.get("function")} | set(frame["functions"])
        gauges_io = self.gauges_io if "gauges" in frame else None
        totals_io = self.totals_io

        async def send() -> None:
            if gauges_io is not None:
                gauges_io(frame["gauges"])  # blocking Redis reads: fine on the sender's own loop (or a one-off one)
            if totals_io is not None:
                totals_io(frame)
            await self._layer.group_send(ACCOUNT_GROUP, {"type": "lv.frame", "frame": frame})
            for name in touched:
                await self._layer.group_send(
                    function_group(name), {"type": "lv.frame", "frame": frame_for_function(frame, name)}
                )

        if sender is None:
            async_to_sync(send)()
        else:
            sender.send_frame(send)
            if wait:
                sender.wait()
        return True

    def announce(self, kind: str, function: str | None = None, **data: Any) -> None:
        """A fact from outside the engine (alias weights changed, clock changed, deployment step), sent now."""
        message = {"type": "lv.event", "event": {"type": kind, "function": function, "at": time.time(), **data}}

        async def send() -> None:
            await self._layer.group_send(ACCOUNT_GROUP, message)
            if function:
                await self._layer.group_send(function_group(function), message)

        if self._sender is None:
            async_to_sync(send)()
        else:
            self._sender.send(send)

    def close(self) -> None:
        """Stop the sending thread (after what was handed over is sent); a no-op when sending in place."""
        if self._sender is not None:
            sender, self._sender = self._sender, None
            sender.close()


def _function_name(target: str) -> str:
    """A mapping's function as a name: its target may be a name, `name:qualifier` or an ARN."""
    parts = target.split(":")
    return parts[6] if target.startswith("arn:") and len(parts) > 6 else parts[0]
