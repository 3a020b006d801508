"""An SQS or Amazon MQ mapping wired to a scripted invoker, for the queue poller tests."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from invocations.engine.clock import VirtualClock
from invocations.engine.sources import (
    InMemoryQueueStore,
    MqPoller,
    PollerContext,
    QueueConfig,
    RedrivePolicy,
    SqsFifoPoller,
    SqsPoller,
)

from .esm_helpers import ScriptedInvoker, error, make_ctx, ok, spec_for

QUEUE = "arn:aws:sqs:us-east-1:123456789012:orders"
FIFO_QUEUE = "arn:aws:sqs:us-east-1:123456789012:orders.fifo"
BROKER = "arn:aws:mq:us-east-1:123456789012:broker:orders:b-1234"


@dataclass
class QueueRig:
    clock: VirtualClock
    invoker: ScriptedInvoker
    ctx: PollerContext
    store: InMemoryQueueStore
    poller: SqsPoller | SqsFifoPoller | MqPoller
    arn: str
    dlq: str

    def send(self, body: Any, group: str | None = None) -> str:
        text = body if isinstance(body, str) else json.dumps(body)
        dedup = f"{group}-{text}-{self.clock.now()}" if group else None
        return self.store.send_message(self.arn, text, now=self.clock.now(), group_id=group, dedup_id=dedup)

    @property
    def events(self) -> list:
        return self.ctx.sink.events

    def of(self, *types: type) -> list:
        return [e for e in self.events if isinstance(e, types)]

    def bodies(self) -> list[list[Any]]:
        """Decoded bodies per invocation."""
        return [[json.loads(r["body"]) for r in call.payload["Records"]] for call in self.invoker.calls]

    def left(self, arn: str | None = None) -> list[str]:
        return [m.body for m in self.store.messages(arn or self.arn)]


def poison_decider(payload: dict) -> tuple:
    """Fail the whole batch when any message body has poison: true."""
    return error() if any(json.loads(r["body"]).get("poison") for r in payload["Records"]) else ok()


def queue_rig(
    kind: str = "sqs",
    *,
    visibility: float = 30.0,
    max_receive: int | None = None,
    decide: Any = poison_decider,
    duration: float = 0.25,
    start: bool = True,
    **fields: Any,
) -> QueueRig:
    clock = VirtualClock()
    invoker = ScriptedInvoker(clock, decide, duration)
    ctx = make_ctx(clock, invoker)
    store = InMemoryQueueStore(random.Random(3))
    fifo = kind == "sqs-fifo"
    arn = FIFO_QUEUE if fifo else BROKER if kind.startswith("mq") else QUEUE
    dlq = arn.replace("orders", "orders-dlq")
    store.create_queue(QueueConfig(dlq, fifo=fifo))
    redrive = RedrivePolicy(dlq, max_receive) if max_receive else None
    store.create_queue(QueueConfig(arn, fifo=fifo, visibility_timeout=visibility, redrive=redrive))
    spec = spec_for(kind, arn, **fields)
    if kind == "sqs":
        poller: Any = SqsPoller(spec, store, ctx)
    elif fifo:
        poller = SqsFifoPoller(spec, store, ctx)
    else:
        poller = MqPoller(spec, store, ctx, queue_name="orders")
    rig = QueueRig(clock, invoker, ctx, store, poller, arn, dlq)
    if start:
        poller.start()
    return rig
