"""Invoke's X-Amz-Client-Context header: up to 3,583 bytes of base64-encoded JSON about the calling client, handed
to the function as context.client_context (sync invokes only) — semantics §1."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from invocations.errors import InvalidRequestContentException
from invocations.rules.json_input import parse_json

CLIENT_CONTEXT_MAX = 3583  # bytes of base64 (botocore's Invoke documentation)
INVALID = "Client context must be a valid Base64-encoded JSON object."


def client_context_from_header(value: str | None) -> dict[str, Any] | None:
    """The decoded object, None without the header; AWS's InvalidRequestContentException for anything else.
    ⚠ AWS's answer to an over-long header is unconfirmed: it is refused here with the same error type."""
    if not value:
        return None
    if len(value) > CLIENT_CONTEXT_MAX:
        raise InvalidRequestContentException(
            f"Client context must be at most {CLIENT_CONTEXT_MAX} bytes of Base64-encoded data ({len(value)} given)."
        )
    try:
        context = parse_json(base64.b64decode(value, validate=True))
    except (binascii.Error, InvalidRequestContentException):
        raise InvalidRequestContentException(INVALID) from None
    if not isinstance(context, dict):
        raise InvalidRequestContentException(INVALID)
    return context
