"""Due traffic becomes work: one handler per stream kind (invocations, S3 events, SQS messages, stream records)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from ...engine.registry import Registry
from ...engine.simulator import InvokeRequest
from ...engine.sources.async_payloads import s3_event
from ..traffic import TrafficRunner, TrafficStream
from .batches import BatchInvoker

log = logging.getLogger(__name__)

Payloads = list[dict[str, Any]]


class TrafficFeed:
    """Turns `count` of a traffic stream's invocations (or messages, or records) into work now."""

    def __init__(
        self,
        *,
        traffic: TrafficRunner,
        invoke: BatchInvoker,
        queues,
        streams,
        registry: Registry,
        now: Callable[[], float],
    ) -> None:
        self.traffic = traffic
        self._invoke = invoke
        self._queues = queues
        self._streams = streams
        self._registry = registry
        self._now = now
        self._handlers: dict[str, Callable[[TrafficStream, Payloads, float], None]] = {
            "sync": self._sync,
            "async": self._async,
            "s3": self._s3,
            "sqs": self._sqs,
            "kinesis": self._kinesis,
        }

    def generate(self, stream: TrafficStream, count: int) -> int:
        now = self._now()
        try:
            payloads = self.traffic.payloads(stream, count)
            handler = self._handlers.get(stream.kind)
            if handler is not None:
                handler(stream, payloads, now)
        except Exception:  # a stream aimed at something that no longer exists: report it, keep the rest running
            log.exception("traffic stream %s failed", stream.name)
        return count

    def _sync(self, stream: TrafficStream, payloads: Payloads, now: float) -> None:
        self._invoke([InvokeRequest(stream.target, p, "traffic") for p in payloads], stream.name)

    def _async(self, stream: TrafficStream, payloads: Payloads, now: float) -> None:
        self._invoke([InvokeRequest(stream.target, p, "traffic", event=True) for p in payloads], stream.name)

    def _s3(self, stream: TrafficStream, payloads: Payloads, now: float) -> None:
        region = self._registry.account.region
        requests = [
            InvokeRequest(
                stream.target,
                s3_event("lambdaviz-uploads", f"{stream.name}/{p['n']}.jpg", size=1024 + n, at=now, region=region),
                "s3",
                event=True,
            )
            for n, p in enumerate(payloads)
        ]
        self._invoke(requests, stream.name)

    def _sqs(self, stream: TrafficStream, payloads: Payloads, now: float) -> None:
        if stream.fifo:  # each message with its group and deduplication id
            entries = [(json.dumps(p), *stream.fifo_ids(p["n"], self.traffic.rng)) for p in payloads]
            self._queues.send_many_fifo(stream.target, entries, now=now)
        else:  # one round trip for the slice, not one per message
            self._queues.send_many(stream.target, [json.dumps(p) for p in payloads], now=now)

    def _kinesis(self, stream: TrafficStream, payloads: Payloads, now: float) -> None:
        entries = [(str(p["n"] % 64), json.dumps(p)) for p in payloads]
        self._streams.put_records(stream.target, entries, now=now)
