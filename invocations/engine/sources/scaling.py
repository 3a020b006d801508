"""How many batches a queue mapping polls at once: Lambda's SQS scaling, approximated (semantics §3).

Documented: start at 5 concurrent batches, add up to 300 per minute while there is a backlog, never above
ScalingConfig.MaximumConcurrency (2-1000) or 1,000; scale down on function errors (not with
ReportBatchItemFailures), back off on throttles, and drift back down to 5 when the queue is idle.
Approximated: we look once per second and add up to 5 (= 300/min) when no poller came back empty from its
last receive and there is a visible backlog; each function error or throttle removes one poller and pauses
growth until the next look; a poller that finds the queue empty retires while more than 5 run. AWS does not
publish its exact rules.
"""

from __future__ import annotations

from dataclasses import dataclass

SQS_INITIAL = 5
SQS_MAX = 1000
SCALE_UP_PER_MINUTE = 300


@dataclass(slots=True)
class PollerScaler:
    cap: int
    floor: int
    target: int
    step: int  # pollers added per look
    fixed: bool = False  # Amazon MQ: a fixed consumer count
    _setback: bool = False  # an error or throttle since the last look

    @classmethod
    def for_sqs(cls, maximum_concurrency: int | None, look_interval: float = 1.0) -> PollerScaler:
        cap = min(maximum_concurrency or SQS_MAX, SQS_MAX)
        start = min(SQS_INITIAL, cap)
        step = max(1, round(SCALE_UP_PER_MINUTE * look_interval / 60))
        return cls(cap=cap, floor=start, target=start, step=step)

    @classmethod
    def fixed_at(cls, count: int) -> PollerScaler:
        return cls(cap=count, floor=count, target=count, step=0, fixed=True)

    def look(self, *, backlog: int, idle_pollers: int) -> int | None:
        """Once per interval: the new target if it grows, else None."""
        setback, self._setback = self._setback, False
        if self.fixed or setback or backlog <= 0 or idle_pollers > 0 or self.target >= self.cap:
            return None
        self.target = min(self.cap, self.target + self.step)
        return self.target

    def setback(self) -> int | None:
        """A function error or throttle: one poller fewer (not below the floor). The new target, or None."""
        if self.fixed:
            return None
        self._setback = True
        if self.target <= self.floor:
            return None
        self.target -= 1
        return self.target

    def idle(self) -> int | None:
        """A poller found the queue empty: it may retire while more than `floor` run."""
        if self.fixed or self.target <= self.floor:
            return None
        self.target -= 1
        return self.target
