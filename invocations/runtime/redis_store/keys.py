"""Key naming for the Redis state store: one configurable prefix, engine keys turned into stable strings."""

from __future__ import annotations

from collections.abc import Hashable

DEFAULT_PREFIX = "lv:"


def key_part(key: Hashable) -> str:
    """A Redis-safe string for an engine key: strings as they are, anything else (tuples, ints) by repr."""
    return key if isinstance(key, str) else repr(key)


def text(value: bytes | str) -> str:
    """Replies are bytes unless the client was built with decode_responses=True; accept both."""
    return value.decode() if isinstance(value, bytes) else value
