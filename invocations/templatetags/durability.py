"""The top bar's warnings (simulator_status.py): what a Redis restart would lose (`{% redis_persistence_warning %}`)
and what the handler sandbox cannot isolate here (`{% sandbox_warning %}`)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django import template

from ..services.simulator_status import redis_durability_warning
from ..services.simulator_status import sandbox_warning as _sandbox_warning

register = template.Library()

CACHE_SECONDS = 30.0  # a page view must not cost Redis round trips; a changed setting or host shows within 30 s
_cached: dict[str, tuple[float, str | None]] = {}


def _checked(name: str, check: Callable[[], str | None]) -> str | None:
    checked, warning = _cached.get(name, (float("-inf"), None))
    now = time.monotonic()
    if now - checked >= CACHE_SECONDS:
        warning = check()
        _cached[name] = (now, warning)
    return warning


@register.simple_tag
def redis_persistence_warning() -> str | None:
    return _checked("persistence", redis_durability_warning)


@register.simple_tag
def sandbox_warning() -> str | None:
    return _checked("sandbox", _sandbox_warning)
