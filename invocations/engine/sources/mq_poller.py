"""Amazon MQ mapping: a fixed set of consumers (ActiveMQ 5, RabbitMQ 1) with stream-like blocking (semantics §3).

A failed batch goes straight back to the broker (redelivered, ApproximateReceiveCount + 1) and its consumer
pauses `retry_pause` before taking the head of the queue again, so with RabbitMQ's single consumer a poison
message blocks the queue until the broker queue's redrive policy (the broker's redelivery limit, e.g.
ActiveMQ's default of 6 redeliveries) moves it to the DLQ. Approximation: AWS hands redelivery to the broker's
own policy; we model that policy as the queue's RedrivePolicy and a 1 s redelivery delay.
"""

from __future__ import annotations

from typing import Any

from .context import MappingSpec, PollerContext
from .kinds import MQ_CONCURRENCY
from .payloads import filter_view, mq_event
from .queue_poller import QueuePoller
from .queue_store import QueueMessage, QueueStore
from .scaling import PollerScaler


class MqPoller(QueuePoller):
    partition_prefix = "consumer"
    retry_pause = 1.0

    def __init__(
        self, spec: MappingSpec, store: QueueStore, ctx: PollerContext, *, queue_name: str = "queue", **options: float
    ) -> None:
        if not spec.kind.is_mq:
            raise ValueError(f"{spec.kind} is not an Amazon MQ source")
        super().__init__(spec, store, ctx, PollerScaler.fixed_at(MQ_CONCURRENCY[spec.kind]), **options)
        self.queue_name = queue_name

    def _release_failed(self, failed: list[QueueMessage]) -> None:
        now = self.ctx.clock.now()
        for message in failed:
            self.store.change_visibility(self.spec.source_arn, message.receipt_handle, 0, now=now)

    def _payload(self, batch: list[QueueMessage]) -> dict[str, Any]:
        return mq_event(
            batch, kind=self.spec.kind, broker_arn=self.spec.source_arn, queue=self.queue_name, epoch=self.ctx.epoch
        )

    def _filter_view(self, message: QueueMessage) -> dict:
        return filter_view(self.spec.kind, message)
