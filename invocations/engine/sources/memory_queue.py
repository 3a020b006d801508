"""InMemoryQueueStore: the QueueStore Protocol on plain dicts, deterministic with a seeded RNG."""

from __future__ import annotations

import hashlib
import heapq
import itertools
import random
import uuid
from dataclasses import dataclass, field, replace

from .queue_store import QueueConfig, QueueCounts, QueueMessage, ReceiveResult


@dataclass(slots=True)
class _Stored:
    message: QueueMessage
    visible_at: float  # delay or visibility timeout ends here
    seq: int  # send order
    in_flight: bool = False
    ready: bool = False  # in the ready heap (standard queues)


@dataclass(slots=True)
class _Queue:
    config: QueueConfig
    order: dict[str, _Stored] = field(default_factory=dict)  # message_id -> stored, in send order
    handles: dict[str, str] = field(default_factory=dict)  # receipt handle -> message_id (latest only)
    dedup: dict[str, tuple[str, float]] = field(default_factory=dict)  # dedup id -> (message id, sent at)
    next_sequence: int = 1
    sent: itertools.count = field(default_factory=itertools.count)
    # Standard queues keep two heaps so a receive is O(k log n): hidden/delayed messages by the time they show
    # up, and visible ones by send order (best-effort ordering). Stale entries are skipped when popped.
    waiting: list[tuple[float, int, str]] = field(default_factory=list)
    ready: list[tuple[int, str]] = field(default_factory=list)
    counter: itertools.count = field(default_factory=itertools.count)

    def push(self, visible_at: float, message_id: str) -> None:
        if not self.config.fifo:  # FIFO receives scan in send order instead
            heapq.heappush(self.waiting, (visible_at, next(self.counter), message_id))


class InMemoryQueueStore:
    def __init__(self, rng: random.Random | None = None) -> None:
        self._rng = rng or random.Random(0)
        self._queues: dict[str, _Queue] = {}
        self._handles = 0

    def create_queue(self, config: QueueConfig) -> None:
        if config.arn.endswith(".fifo") != config.fifo:
            raise ValueError("FIFO queue names end in .fifo")
        self._queues.setdefault(config.arn, _Queue(config))

    def queue_config(self, arn: str) -> QueueConfig:
        return self._queue(arn).config

    def send_message(
        self,
        arn: str,
        body: str,
        *,
        now: float,
        message_attributes: dict | None = None,
        group_id: str | None = None,
        dedup_id: str | None = None,
        delay: float = 0.0,
    ) -> str:
        queue = self._queue(arn)
        sequence = None
        if queue.config.fifo:
            if not group_id:
                raise ValueError("FIFO queues need a MessageGroupId")
            if dedup_id is None and queue.config.content_based_deduplication:
                dedup_id = hashlib.sha256(body.encode()).hexdigest()
            if dedup_id is None:
                raise ValueError("FIFO queues need a MessageDeduplicationId or content-based deduplication")
            seen = queue.dedup.get(dedup_id)
            if seen is not None and now - seen[1] < queue.config.dedup_window:
                return seen[0]
            sequence = f"{queue.next_sequence:020d}"
            queue.next_sequence += 1
        message_id = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
        message = QueueMessage(
            message_id=message_id,
            receipt_handle="",
            body=body,
            sent_at=now,
            receive_count=0,
            first_received_at=None,
            group_id=group_id,
            dedup_id=dedup_id,
            sequence_number=sequence,
            message_attributes=dict(message_attributes or {}),
        )
        queue.order[message_id] = _Stored(message, visible_at=now + delay, seq=next(queue.sent))
        queue.push(now + delay, message_id)
        if dedup_id is not None:
            queue.dedup[dedup_id] = (message_id, now)
        return message_id

    def receive(
        self, arn: str, max_messages: int, *, now: float, visibility_timeout: float | None = None
    ) -> ReceiveResult:
        queue = self._queue(arn)
        timeout = queue.config.visibility_timeout if visibility_timeout is None else visibility_timeout
        if not queue.config.fifo:
            return self._receive_standard(queue, max_messages, now, timeout)
        # FIFO (a scan in send order): a group with a message in flight is locked, and so is a group whose head
        # we had to pass over, so a group is only ever served from its head.
        redrive = queue.config.redrive
        locked = {s.message.group_id for s in queue.order.values() if s.in_flight and s.visible_at > now}
        taken: list[QueueMessage] = []
        redriven: list[QueueMessage] = []
        for message_id in list(queue.order):
            if len(taken) >= max_messages:
                break
            stored = queue.order[message_id]
            group = stored.message.group_id
            if group in locked:
                continue
            if stored.visible_at > now:
                locked.add(group)
                continue
            if redrive is not None and stored.message.receive_count >= redrive.max_receive_count:
                redriven.append(stored.message)
                self._move_to_dlq(queue, stored, now)
                continue
            taken.append(self._take(queue, stored, now, timeout))
        return ReceiveResult(taken, redriven)

    def _receive_standard(self, queue: _Queue, max_messages: int, now: float, timeout: float) -> ReceiveResult:
        while queue.waiting and queue.waiting[0][0] <= now:
            visible_at, _, message_id = heapq.heappop(queue.waiting)
            stored = queue.order.get(message_id)
            if stored is None or stored.visible_at != visible_at or stored.ready:
                continue  # deleted, hidden again since, or already ready
            stored.ready = True
            heapq.heappush(queue.ready, (stored.seq, message_id))
        redrive = queue.config.redrive
        taken: list[QueueMessage] = []
        redriven: list[QueueMessage] = []
        while queue.ready and len(taken) < max_messages:
            _, message_id = heapq.heappop(queue.ready)
            stored = queue.order.get(message_id)
            if stored is None or not stored.ready:
                continue
            stored.ready = False
            if stored.visible_at > now:
                continue  # hidden again (ChangeMessageVisibility); its waiting entry brings it back
            if redrive is not None and stored.message.receive_count >= redrive.max_receive_count:
                redriven.append(stored.message)
                self._move_to_dlq(queue, stored, now)
                continue
            taken.append(self._take(queue, stored, now, timeout))
        return ReceiveResult(taken, redriven)

    def _take(self, queue: _Queue, stored: _Stored, now: float, timeout: float) -> QueueMessage:
        self._handles += 1
        handle = f"{stored.message.message_id}#{self._handles}"
        queue.handles.pop(stored.message.receipt_handle, None)  # the previous handle goes stale
        message = replace(
            stored.message,
            receipt_handle=handle,
            receive_count=stored.message.receive_count + 1,
            first_received_at=stored.message.first_received_at if stored.message.receive_count else now,
        )
        stored.message = message
        stored.visible_at = now + timeout
        stored.in_flight = True
        queue.handles[handle] = message.message_id
        queue.push(stored.visible_at, message.message_id)
        return message

    def delete(self, arn: str, receipt_handle: str) -> bool:
        queue = self._queue(arn)
        message_id = queue.handles.pop(receipt_handle, None)
        stored = queue.order.get(message_id) if message_id else None
        if stored is None or stored.message.receipt_handle != receipt_handle:
            return False  # gone already, or received again since (stale handle)
        del queue.order[message_id]
        return True

    def change_visibility(self, arn: str, receipt_handle: str, timeout: float, *, now: float) -> bool:
        queue = self._queue(arn)
        message_id = queue.handles.get(receipt_handle)
        stored = queue.order.get(message_id) if message_id else None
        if stored is None or stored.message.receipt_handle != receipt_handle:
            return False
        stored.visible_at = now + timeout
        queue.push(stored.visible_at, message_id)
        return True

    def counts(self, arn: str, *, now: float) -> QueueCounts:
        visible = in_flight = delayed = 0
        for stored in self._queue(arn).order.values():
            if stored.visible_at <= now:
                visible += 1
            elif stored.in_flight:
                in_flight += 1
            else:
                delayed += 1
        return QueueCounts(visible, in_flight, delayed)

    def messages(self, arn: str) -> list[QueueMessage]:
        return [s.message for s in self._queue(arn).order.values()]

    def _move_to_dlq(self, queue: _Queue, stored: _Stored, now: float) -> None:
        del queue.order[stored.message.message_id]
        assert queue.config.redrive is not None
        dlq = self._queue(queue.config.redrive.dead_letter_target_arn)
        # The message keeps its id, body and attributes; the DLQ's receive count starts over.
        moved = replace(stored.message, receipt_handle="", receive_count=0, first_received_at=None)
        if dlq.config.fifo and moved.sequence_number is not None:
            moved = replace(moved, sequence_number=f"{dlq.next_sequence:020d}")
            dlq.next_sequence += 1
        dlq.order[moved.message_id] = _Stored(moved, visible_at=now, seq=next(dlq.sent))
        dlq.push(now, moved.message_id)

    def _queue(self, arn: str) -> _Queue:
        try:
            return self._queues[arn]
        except KeyError:
            raise KeyError(f"no such queue: {arn}") from None
