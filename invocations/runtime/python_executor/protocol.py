"""The executor side of the worker protocol: 4-byte big-endian length + UTF-8 JSON frames (see bootstrap.py)."""

from __future__ import annotations

import json
from typing import Any

MAX_FRAME = 64 << 20  # a reply bigger than this is a broken (or hostile) worker: the executor kills it


class ProtocolError(Exception):
    """The worker sent something that is not a frame."""


def encode(message: dict[str, Any]) -> bytes:
    data = json.dumps(message).encode()
    return len(data).to_bytes(4, "big") + data


class FrameReader:
    """Accumulates bytes read from a worker and yields whole frames."""

    __slots__ = ("_buffer",)

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[dict[str, Any]]:
        buffer = self._buffer
        buffer += data
        frames: list[dict[str, Any]] = []
        while len(buffer) >= 4:
            size = int.from_bytes(buffer[:4], "big")
            if size > MAX_FRAME:
                raise ProtocolError(f"frame of {size} bytes")
            if len(buffer) < 4 + size:
                break
            try:
                message = json.loads(bytes(buffer[4 : 4 + size]))
            except ValueError as exc:
                raise ProtocolError(str(exc)) from None
            if not isinstance(message, dict):
                raise ProtocolError("frame is not an object")
            frames.append(message)
            del buffer[: 4 + size]
        return frames
