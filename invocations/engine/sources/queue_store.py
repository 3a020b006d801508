"""QueueStore: the narrow, atomic-friendly interface over simulated SQS (and Amazon MQ) queues.

In-memory here (`memory_queue.InMemoryQueueStore`); the runtime implements the same Protocol on Redis, where
each method is one Lua script, so two pollers never receive the same message. Times are simulated seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class RedrivePolicy:
    """SQS RedrivePolicy: after `max_receive_count` receives, the next receive moves the message to the DLQ."""

    dead_letter_target_arn: str
    max_receive_count: int


@dataclass(frozen=True, slots=True)
class QueueConfig:
    arn: str
    fifo: bool = False
    visibility_timeout: float = 30.0
    redrive: RedrivePolicy | None = None
    content_based_deduplication: bool = False
    dedup_window: float = 300.0  # FIFO deduplication interval: 5 minutes


@dataclass(frozen=True, slots=True)
class QueueMessage:
    """A message as one receive saw it; `receipt_handle` is valid until the next receive of the same message."""

    message_id: str
    receipt_handle: str
    body: str
    sent_at: float
    receive_count: int
    first_received_at: float | None
    group_id: str | None = None
    dedup_id: str | None = None
    sequence_number: str | None = None
    message_attributes: dict = field(default_factory=dict)
    sender_id: str = "AIDAIENQZJOLO23YVJ4VO"

    @property
    def size(self) -> int:
        return len(self.body.encode())


@dataclass(frozen=True, slots=True)
class ReceiveResult:
    messages: list[QueueMessage]
    # Messages the receive moved to the dead-letter queue instead of returning (SQS does this lazily, on receive).
    redriven: list[QueueMessage] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class QueueCounts:
    visible: int
    in_flight: int
    delayed: int

    @property
    def total(self) -> int:
        return self.visible + self.in_flight + self.delayed


class QueueStore(Protocol):
    def create_queue(self, config: QueueConfig) -> None: ...

    def queue_config(self, arn: str) -> QueueConfig: ...

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
        """Enqueue; returns the MessageId (a FIFO duplicate within 5 minutes returns the first one's id)."""
        ...

    def receive(
        self, arn: str, max_messages: int, *, now: float, visibility_timeout: float | None = None
    ) -> ReceiveResult:
        """Atomically take up to `max_messages` visible messages, hide them, bump ApproximateReceiveCount.

        FIFO: messages in order per MessageGroupId, never from a group that has a message in flight.
        """
        ...

    def delete(self, arn: str, receipt_handle: str) -> bool: ...

    def change_visibility(self, arn: str, receipt_handle: str, timeout: float, *, now: float) -> bool: ...

    def counts(self, arn: str, *, now: float) -> QueueCounts: ...

    def messages(self, arn: str) -> list[QueueMessage]:
        """Every message still in the queue, in send order (inspection and tests)."""
        ...
