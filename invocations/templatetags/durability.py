"""`{% redis_persistence_warning %}`: the top bar says what a Redis restart would lose (simulator_status.py)."""

from __future__ import annotations

import time

from django import template

from ..services.simulator_status import redis_durability_warning

register = template.Library()

CACHE_SECONDS = 30.0  # a page view must not cost two Redis round trips; a changed setting shows within 30 s
_cached: tuple[float, str | None] = (float("-inf"), None)


@register.simple_tag
def redis_persistence_warning() -> str | None:
    global _cached
    checked, warning = _cached
    now = time.monotonic()
    if now - checked >= CACHE_SECONDS:
        warning = redis_durability_warning()
        _cached = (now, warning)
    return warning
