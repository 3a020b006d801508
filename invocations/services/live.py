"""What a websocket follows: the publisher's group for the account or one function, and the snapshot it starts from."""

from __future__ import annotations

from typing import Any

from ..runtime.publisher import ACCOUNT_GROUP, function_group
from ..runtime.snapshot import live_snapshot as _snapshot
from .host_adapter import DatabaseConfig


def live_group(function: str | None) -> str:
    """The channel-layer group whose frames and events a page follows (None: the whole account)."""
    return function_group(function) if function else ACCOUNT_GROUP


def live_snapshot(function: str | None = None) -> dict[str, Any]:
    """Configuration, gauges and pending retries now, sent before the first live frame."""
    return _snapshot(function, config=DatabaseConfig())
