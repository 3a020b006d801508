"""One simulation clock for every process, kept in Redis: speed and pause change in one place (issue 4, point 7).

Simulated time = anchor_sim + (wall - anchor_wall) * factor, with wall = Unix time so all processes agree.
A change re-anchors atomically (Lua), so no process ever sees time jump backwards.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import redis

KEY = "lv:clock"

# Re-anchor at the current simulated time, then apply the new factor / pause flag. Returns the new state.
_REANCHOR = """
local wall = tonumber(ARGV[1])
local s = redis.call('HMGET', KEYS[1], 'anchor_sim', 'anchor_wall', 'factor', 'paused')
local anchor_sim, anchor_wall, factor, paused = tonumber(s[1]), tonumber(s[2]), tonumber(s[3]), s[4]
if anchor_sim == nil then anchor_sim = wall; anchor_wall = wall; factor = 1; paused = '0' end
local now = anchor_sim
if paused ~= '1' then now = anchor_sim + (wall - anchor_wall) * factor end
if ARGV[2] ~= '' then factor = tonumber(ARGV[2]) end
if ARGV[3] ~= '' then paused = ARGV[3] end
redis.call('HSET', KEYS[1], 'anchor_sim', tostring(now), 'anchor_wall', tostring(wall),
           'factor', tostring(factor), 'paused', paused)
return {tostring(now), tostring(wall), tostring(factor), paused}
"""


@dataclass(frozen=True, slots=True)
class ClockState:
    anchor_sim: float
    anchor_wall: float
    factor: float
    paused: bool

    def now(self, wall: float | None = None) -> float:
        if self.paused:
            return self.anchor_sim
        return self.anchor_sim + ((time.time() if wall is None else wall) - self.anchor_wall) * self.factor


def state_of(values: dict[bytes, bytes]) -> ClockState | None:
    """The clock from HGETALL of KEY (for callers that read it themselves); None if it was never set."""
    if not values:
        return None
    return ClockState(
        float(values[b"anchor_sim"]),
        float(values[b"anchor_wall"]),
        float(values[b"factor"]),
        values[b"paused"] == b"1",
    )


class SharedClock:
    """Reads and changes the one simulation clock. Reads are cached briefly; changes take effect everywhere."""

    def __init__(self, client: redis.Redis, cache_seconds: float = 0.25) -> None:
        self._client = client
        self._script = client.register_script(_REANCHOR)
        self._cache_seconds = cache_seconds
        self._cached: ClockState | None = None
        self._cached_at = 0.0

    def _apply(self, factor: float | None = None, paused: bool | None = None) -> ClockState:
        raw = self._script(
            keys=[KEY],
            args=[
                repr(time.time()),
                "" if factor is None else repr(float(factor)),
                "" if paused is None else ("1" if paused else "0"),
            ],
        )
        state = ClockState(float(raw[0]), float(raw[1]), float(raw[2]), raw[3] in (b"1", "1"))
        self._cached, self._cached_at = state, time.monotonic()
        return state

    def state(self, fresh: bool = False) -> ClockState:
        if not fresh and self._cached and time.monotonic() - self._cached_at < self._cache_seconds:
            return self._cached
        state = state_of(self._client.hgetall(KEY))
        if state is None:
            return self._apply()
        self._cached, self._cached_at = state, time.monotonic()
        return state

    def now(self) -> float:
        return self.state().now()

    def set_speed(self, factor: float) -> ClockState:
        if not factor > 0:
            raise ValueError("The speed factor must be greater than 0; pause the clock to stop time.")
        return self._apply(factor=factor)

    def pause(self) -> ClockState:
        return self._apply(paused=True)

    def resume(self) -> ClockState:
        return self._apply(paused=False)
