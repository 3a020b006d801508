"""Live announcements: what a committed change tells every open dashboard, sent once the transaction commits."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from ..arns import parse_function_ref
from ..runtime.publisher import Publisher

log = logging.getLogger(__name__)


def announce_on_commit(kind: str, function: str | None = None, **data: Any) -> None:
    """Send `kind` to the account's and the function's pages once the change is committed (never for a rollback)."""

    def send() -> None:
        try:
            Publisher().announce(kind, function, **data)
        except Exception:  # noqa: BLE001 (no channel layer: the change itself still stands)
            log.warning("could not announce %s", kind)

    transaction.on_commit(send)


def api_call_announce(*, operation: str, function: str | None, status: int) -> None:
    """A change made through the Lambda API (issue 5): `function` may be a name, a partial or a full ARN."""
    ref = parse_function_ref(function or "")
    announce_on_commit("ApiCall", ref.name if ref else None, operation=operation, status=status)
