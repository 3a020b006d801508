"""Target tracking on LambdaProvisionedConcurrencyUtilization (Application Auto Scaling User Guide, "Target tracking
scaling policies"; Lambda DG, "Configuring provisioned concurrency": "Application Auto Scaling creates two alarms").

- AlarmHigh: Average of ProvisionedConcurrencyUtilization above TargetValue for 3 of 3 one-minute periods;
- AlarmLow: below 90% of TargetValue for 15 of 15 (scale in is deliberately slower than scale out).
While an alarm is in ALARM, the policy is invoked once a minute; the new capacity keeps the metric at the target:
ceil(current × metric / target), held within Min/MaxCapacity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

PREDEFINED_METRIC = "LambdaProvisionedConcurrencyUtilization"
METRIC_NAME = "ProvisionedConcurrencyUtilization"
PERIOD = 60
SCALE_IN_FRACTION = 0.9


@dataclass(frozen=True, slots=True)
class AlarmSpec:
    kind: str  # "AlarmHigh" | "AlarmLow"
    comparison_operator: str
    threshold: float
    evaluation_periods: int


def alarm_specs(target_value: float, *, disable_scale_in: bool = False) -> list[AlarmSpec]:
    specs = [AlarmSpec("AlarmHigh", "GreaterThanThreshold", target_value, 3)]
    if not disable_scale_in:  # AWS creates no scale-in alarm when scale in is disabled
        specs.append(AlarmSpec("AlarmLow", "LessThanThreshold", target_value * SCALE_IN_FRACTION, 15))
    return specs


def alarm_name(resource_id: str, kind: str, uuid: str) -> str:
    """AWS's naming: TargetTracking-<resource id>-AlarmHigh-<uuid>."""
    return f"TargetTracking-{resource_id}-{kind}-{uuid}"


def desired_capacity(*, current: int, metric: float, target: float, minimum: int, maximum: int) -> int:
    """The capacity that brings `metric` back to `target`, within [minimum, maximum]."""
    wanted = math.ceil(round(current * metric / target, 9)) if target > 0 else current
    return max(minimum, min(maximum, wanted))
