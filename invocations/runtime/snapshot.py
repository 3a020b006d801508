"""What a websocket client gets on connect: the whole current picture, so late joiners and reconnects are whole."""

from __future__ import annotations

import time
from typing import Any

import redis

from .. import selectors
from ..models import Function
from . import gauges
from .connection import redis_client
from .traffic import traffic_list


def function_summary(function: Function) -> dict[str, Any]:
    """One function as the diagram draws it: versions, aliases with their configured weights, reserved concurrency."""
    return {
        "name": function.name,
        "arn": function.arn,
        "code_kind": function.code_kind,
        "reserved_concurrency": function.reserved_concurrency,
        "versions": ["$LATEST", *(str(v.number) for v in selectors.version_list(function=function))],
        "aliases": [
            {
                "name": alias.name,
                "function_version": alias.function_version,
                "additional_version_weights": alias.additional_version_weights,
            }
            for alias in selectors.alias_list(function=function)
        ],
    }


def live_snapshot(function: str | None = None) -> dict[str, Any]:
    """The account, or one function, as it is now (configuration from the database)."""
    account = selectors.account_settings_get()
    functions = selectors.function_list()
    if function is not None:
        functions = functions.filter(name=function)
    return {
        "function": function,
        "generated_at": time.time(),
        "account": {
            "region": account.region,
            "account_id": account.account_id,
            "concurrency_limit": account.concurrency_limit,
            "unreserved_minimum": account.unreserved_minimum,
            "clock_factor": account.clock_factor,
            "clock_paused": account.clock_paused,
        },
        "functions": [function_summary(fn) for fn in functions],
        **_live(),
    }


def _live() -> dict[str, Any]:
    """Redis-held live state: the host's latest gauges and the running traffic streams (empty without Redis)."""
    try:
        client = redis_client()
        return {
            "gauges": gauges.latest(client),
            "traffic": [stream.__dict__ for stream in traffic_list(client)],
        }
    except redis.RedisError:
        return {"gauges": None, "traffic": []}
