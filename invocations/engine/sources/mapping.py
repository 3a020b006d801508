"""One entry point: build the right poller for a mapping's source kind."""

from __future__ import annotations

from typing import Protocol

from .context import MappingSpec, PollerContext
from .kinds import SourceKind
from .mq_poller import MqPoller
from .queue_poller import SqsFifoPoller, SqsPoller
from .queue_store import QueueStore
from .stream_poller import StreamPoller
from .stream_store import StreamStore


class Poller(Protocol):
    running: bool

    def start(self) -> None: ...

    def stop(self) -> None: ...


def create_poller(
    spec: MappingSpec,
    ctx: PollerContext,
    *,
    queues: QueueStore | None = None,
    streams: StreamStore | None = None,
) -> Poller:
    """A stopped poller for `spec`; call `.start()` when the mapping is Enabled and `.stop()` when Disabled."""
    kind = spec.kind
    if kind.is_stream:
        if streams is None:
            raise ValueError("a stream mapping needs a StreamStore")
        return StreamPoller(spec, streams, ctx)
    if queues is None:
        raise ValueError("a queue mapping needs a QueueStore")
    if kind is SourceKind.SQS:
        return SqsPoller(spec, queues, ctx)
    if kind is SourceKind.SQS_FIFO:
        return SqsFifoPoller(spec, queues, ctx)
    return MqPoller(spec, queues, ctx)
