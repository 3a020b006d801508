"""The host's one way into the engine: a batch of invocations, whatever brought them (inbox, traffic)."""

from __future__ import annotations

import logging

from ...engine.simulator import Engine, InvokeRequest
from .inbox import InboxReader

log = logging.getLogger(__name__)


class BatchInvoker:
    """The engine's batch path: one concurrency round trip for the whole batch (Engine.invoke_many). A failure is
    logged, and the API callers waiting on the failed invocations are answered (InboxReader.refuse)."""

    def __init__(self, engine: Engine, inbox: InboxReader) -> None:
        self.engine = engine
        self.inbox = inbox

    def __call__(self, requests: list[InvokeRequest], origin: str) -> None:
        if not requests:
            return
        try:
            results = self.engine.invoke_many(requests)
        except Exception:  # an executor or a sink failed: report it, keep the simulation running
            log.exception("%s: a batch of %d invocations failed", origin, len(requests))
            for request in requests:
                self.inbox.refuse(request, "The simulator failed to run this invocation (see the server log).")
            return
        for request, result in zip(requests, results, strict=True):
            if not isinstance(result, str):
                log.warning("%s: invoke %s failed: %s", origin, request.target, result)
                self.inbox.refuse(request, str(getattr(result, "message", result)))
