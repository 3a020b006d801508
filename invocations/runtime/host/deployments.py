"""The engine host's part in CodeDeploy (issue 14 point 2): drive the active deployments once per simulated
second. The deployments live in the database behind the reporter (services/codedeploy_run.py); the decisions are
the engine's (engine/deployments/lifecycle.py). Each drive reads the stored progress, so a new host (failover,
restart) simply carries on from it at the current simulated time."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

DRIVE_EVERY_S = 1.0  # simulated seconds between drives: a shift lands within 1 s of its scheduled time
DRIVE_MIN_WALL_S = 0.1  # and never more often than this in wall time (a fast clock)


class DeploymentDriver:
    def __init__(self, *, advance: Callable[[float], object], wall: Callable[[], float] = time.monotonic) -> None:
        self._advance = advance
        self._wall = wall
        self._driven_at = -math.inf
        self._driven_wall = -math.inf

    def step(self, now: float) -> bool:
        """Drive if a simulated second has passed since the last drive; True if it drove."""
        wall = self._wall()
        if now - self._driven_at < DRIVE_EVERY_S or wall - self._driven_wall < DRIVE_MIN_WALL_S:
            return False
        self._driven_at, self._driven_wall = now, wall
        self._advance(now)
        return True
