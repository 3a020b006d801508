"""A Lambda deployment config's traffic shifts: which weight the target version gets, and when (issue 14).

AWS's definitions (CodeDeploy API reference, TimeBasedCanary / TimeBasedLinear, and the predefined Lambda configs):
- TimeBasedCanary: two increments. `canaryPercentage` at the start, the rest `canaryInterval` minutes later.
- TimeBasedLinear: equal increments of `linearPercentage` "shifted at the start of each increment", with
  `linearInterval` minutes between them, until the target has all the traffic (the last increment may be smaller
  when the percentage does not divide 100).
- AllAtOnce: everything at the start.

`steps(config)` is the schedule; `TrafficShift` runs it on a clock (VirtualClock in tests, the host's clock live),
calling `apply(step)` at each step's time. Nothing here knows about aliases: the caller turns a step's weight into
the alias's routing config.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

ALL_AT_ONCE = "AllAtOnce"
TIME_BASED_CANARY = "TimeBasedCanary"
TIME_BASED_LINEAR = "TimeBasedLinear"
TYPES = (TIME_BASED_CANARY, TIME_BASED_LINEAR, ALL_AT_ONCE)
MINUTE_S = 60.0


@dataclass(frozen=True, slots=True)
class TrafficRouting:
    """CodeDeploy's TrafficRoutingConfig for Lambda: a type, and the percentage and interval (minutes) it uses."""

    type: str
    percentage: int = 100
    interval_minutes: int = 0

    @classmethod
    def canary(cls, *, percentage: int, interval_minutes: int) -> TrafficRouting:
        return cls(TIME_BASED_CANARY, percentage, interval_minutes)

    @classmethod
    def linear(cls, *, percentage: int, interval_minutes: int) -> TrafficRouting:
        return cls(TIME_BASED_LINEAR, percentage, interval_minutes)

    @classmethod
    def all_at_once(cls) -> TrafficRouting:
        return cls(ALL_AT_ONCE)


@dataclass(frozen=True, slots=True)
class Step:
    """At `offset_s` simulated seconds after AllowTraffic began, the target version gets `percent` of the traffic."""

    offset_s: float
    percent: int

    @property
    def weight(self) -> float:
        """The alias's AdditionalVersionWeights value for the target (0.0–1.0); 1.0 means the alias moves to it."""
        return self.percent / 100


def steps(routing: TrafficRouting) -> tuple[Step, ...]:
    """The exact schedule of one deployment config (its validity is the caller's: see `problem`)."""
    if routing.type == ALL_AT_ONCE:
        return (Step(0.0, 100),)
    interval_s = routing.interval_minutes * MINUTE_S
    if routing.type == TIME_BASED_CANARY:
        return (Step(0.0, routing.percentage), Step(interval_s, 100))
    count = math.ceil(100 / routing.percentage)
    return tuple(Step(i * interval_s, min(100, (i + 1) * routing.percentage)) for i in range(count))


def duration_s(routing: TrafficRouting) -> float:
    """Simulated seconds from the first shift to the last."""
    return steps(routing)[-1].offset_s


def problem(routing: TrafficRouting) -> str | None:
    """Why CodeDeploy would refuse this config (the percentage and interval bounds of its API), or None."""
    if routing.type not in TYPES:
        return f"The traffic routing type {routing.type} is not valid."
    if routing.type == ALL_AT_ONCE:
        return None
    if not 1 <= routing.percentage <= 99:
        return "The percentage must be between 1 and 99."
    if routing.interval_minutes < 1:
        return "The interval must be at least 1 minute."
    return None


# The predefined Lambda deployment configs, with AWS's names and timings.
PREDEFINED: dict[str, TrafficRouting] = {
    "CodeDeployDefault.LambdaCanary10Percent5Minutes": TrafficRouting.canary(percentage=10, interval_minutes=5),
    "CodeDeployDefault.LambdaCanary10Percent10Minutes": TrafficRouting.canary(percentage=10, interval_minutes=10),
    "CodeDeployDefault.LambdaCanary10Percent15Minutes": TrafficRouting.canary(percentage=10, interval_minutes=15),
    "CodeDeployDefault.LambdaCanary10Percent30Minutes": TrafficRouting.canary(percentage=10, interval_minutes=30),
    "CodeDeployDefault.LambdaLinear10PercentEvery1Minute": TrafficRouting.linear(percentage=10, interval_minutes=1),
    "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes": TrafficRouting.linear(percentage=10, interval_minutes=2),
    "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes": TrafficRouting.linear(percentage=10, interval_minutes=3),
    "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes": TrafficRouting.linear(percentage=10, interval_minutes=10),
    "CodeDeployDefault.LambdaAllAtOnce": TrafficRouting.all_at_once(),
}


class Clock(Protocol):
    def now(self) -> float: ...

    def schedule_at(self, at: float, callback: Callable[[], None], priority: int = 0) -> object: ...


class TrafficShift:
    """One AllowTraffic phase on a clock: `apply(step)` at each step's time; `stop()` cancels what is left.

    `started_at` is the simulated time AllowTraffic began, so a shift rebuilt after a restart (same `started_at`)
    resumes at the right step: steps already due are applied at once, in order, and only the last weight counts.
    """

    def __init__(
        self,
        *,
        routing: TrafficRouting,
        clock: Clock,
        started_at: float,
        apply: Callable[[Step], None],
        finished: Callable[[], None] | None = None,
    ) -> None:
        self._clock, self._apply, self._finished = clock, apply, finished
        self._steps = steps(routing)
        self._started_at = started_at
        self._next = 0
        self._handle: object | None = None
        self.stopped = False

    @property
    def done(self) -> bool:
        return self._next >= len(self._steps)

    @property
    def current(self) -> Step | None:
        """The last step applied, if any."""
        return self._steps[self._next - 1] if self._next else None

    def start(self) -> None:
        self._schedule_next()

    def stop(self) -> None:
        self.stopped = True
        cancel = getattr(self._handle, "cancel", None)
        if cancel is not None:
            cancel()

    def _schedule_next(self) -> None:
        if self.stopped or self.done:
            return
        self._handle = self._clock.schedule_at(self._started_at + self._steps[self._next].offset_s, self._fire)

    def _fire(self) -> None:
        if self.stopped:
            return
        now = self._clock.now()
        # Steps already due (a resumed shift) collapse into the latest one: the alias only ever takes one weight.
        while self._next + 1 < len(self._steps) and self._started_at + self._steps[self._next + 1].offset_s <= now:
            self._next += 1
        step = self._steps[self._next]
        self._next += 1
        self._apply(step)
        if self.done:
            if self._finished is not None:
                self._finished()
        else:
            self._schedule_next()
