"""Loads the Lua scripts under lua/ and registers them on a client (shared helpers are prepended)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import redis
from redis.commands.core import Script

LUA_DIR = Path(__file__).resolve().parent / "lua"


@cache
def source(*names: str) -> str:
    """The concatenated text of the named files, e.g. source("queue_common", "queue_send")."""
    return "\n".join((LUA_DIR / f"{name}.lua").read_text() for name in names)


def register(client: redis.Redis, *names: str) -> Script:
    return client.register_script(source(*names))
