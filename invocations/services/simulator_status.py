"""Is the simulator running, what would a restart of its Redis lose, and what can its sandbox not isolate? (for
terminal commands and the top bar)"""

from __future__ import annotations

from django.conf import settings

from ..runtime.liveness import sandbox_warning as _sandbox_warning
from ..runtime.liveness import simulator_unreachable as _unreachable
from ..runtime.persistence import persistence_warning


def simulator_unreachable() -> str | None:
    """Why no running simulator can be reached (its Redis does not answer, or no engine host holds the lease);
    None when one runs. Terminal commands check this first: they must not write into the void."""
    return _unreachable()


def redis_durability_warning() -> str | None:
    """What a Redis restart would lose with the configured Redis's persistence settings, or None."""
    return persistence_warning(settings.REDIS_URL)


def sandbox_warning() -> str | None:
    """What the engine host's sandbox cannot isolate here (handlers refused, or run partly isolated), or None."""
    return _sandbox_warning()
