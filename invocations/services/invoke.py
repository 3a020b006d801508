"""Invoke's door to the runtime: the inbox client and the shared clock the Invoke route uses, named here so the
API reaches the runtime only through the services (issue 12).

Invoke is the hot path (the lean ASGI route answers in about moto's time), so these are the runtime's own calls,
not wrapped: a wrapper would add a Python call per request for nothing."""

from __future__ import annotations

from ..runtime.connection import read_config_version
from ..runtime.invoke_client import (
    AsyncInbox,
    Queued,
    SyncInvokeResult,
    invoke_async,
    invoke_request,
    invoke_sync,
    new_reply_key,
    sync_result,
)
from ..runtime.shared_clock import ClockState, SharedClock, state_of

__all__ = [
    "AsyncInbox",
    "ClockState",
    "Queued",
    "SharedClock",
    "SyncInvokeResult",
    "invoke_async",
    "invoke_request",
    "invoke_sync",
    "new_reply_key",
    "read_config_version",
    "state_of",
    "sync_result",
]
