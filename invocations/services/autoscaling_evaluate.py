"""Application Auto Scaling in simulated time (the engine host calls `autoscaling_evaluate` right after the
CloudWatch alarms): due scheduled actions run, target-tracking policies whose alarm is in ALARM are invoked once a
minute (within cooldowns and Min/MaxCapacity), and InProgress activities settle once the config is READY."""

from __future__ import annotations

import math

from django.db import transaction

from ..engine.autoscaling import target_tracking
from ..engine.metrics.series import series_key
from ..models import MetricAlarm, ScalingPolicy, ScheduledAction
from ..runtime.metrics.reader import MetricReader, Query
from . import cloudwatch
from .autoscaling import next_run_of
from .autoscaling_capacity import (
    current_capacity,
    hold_within_bounds,
    in_progress,
    record_activity,
    scale_to,
    settle_activities,
    split_resource_id,
)

INVOKE_EVERY_S = 60  # an alarm in ALARM invokes its policy once a minute


def autoscaling_evaluate(at: float, *, metric_reader: MetricReader | None = None) -> int:
    """Returns the activities started."""
    started = 0
    with transaction.atomic():
        settle_activities(at)
        started += _run_scheduled(at)
        started += _invoke_policies(at, metric_reader or cloudwatch.reader())
    return started


def _run_scheduled(at: float) -> int:
    started = 0
    for action in ScheduledAction.objects.select_related("target").filter(next_run_at__lte=at):
        target = action.target
        action.next_run_at = next_run_of(action, after=at)
        action.save(update_fields=["next_run_at"])
        if target.suspended_state.get("ScheduledScalingSuspended"):
            continue
        parts = []
        if action.min_capacity is not None:
            target.min_capacity = action.min_capacity
            parts.append(f"min capacity to {action.min_capacity}")
        if action.max_capacity is not None:
            target.max_capacity = action.max_capacity
            parts.append(f"max capacity to {action.max_capacity}")
        target.min_capacity = min(target.min_capacity, target.max_capacity)
        target.save(update_fields=["min_capacity", "max_capacity"])
        what = " and ".join(parts)
        record_activity(
            target,
            at=at,
            description=f"Setting {what}",
            cause=f"scheduled action name {action.name} was triggered",
            status_code="Successful",
            status_message=f"Successfully set {what}",
        )
        started += 1 + (hold_within_bounds(target, at=at) is not None)
    return started


def _invoke_policies(at: float, reader: MetricReader) -> int:
    started = 0
    for policy in ScalingPolicy.objects.select_related("target"):
        if policy.invoked_at is not None and at - policy.invoked_at < INVOKE_EVERY_S:
            continue
        names = [a["AlarmName"] for a in policy.alarms]
        firing = [a for a in MetricAlarm.objects.filter(name__in=names, state_value="ALARM")]
        if not firing:
            continue
        policy.invoked_at = at
        policy.save(update_fields=["invoked_at"])
        target = policy.target
        if in_progress(target):
            continue  # the last change is still being allocated
        metric = _latest_utilization(target.resource_id, at, reader)
        if metric is None:
            continue
        config = policy.configuration
        current = current_capacity(target)
        desired = target_tracking.desired_capacity(
            current=current,
            metric=metric,
            target=float(config["TargetValue"]),
            minimum=target.min_capacity,
            maximum=target.max_capacity,
        )
        alarm = firing[0]
        scale_out = "-AlarmHigh-" in alarm.name
        if scale_out and desired > current:
            if target.suspended_state.get("DynamicScalingOutSuspended"):
                continue
            last, cooldown = target.last_scale_out_at, config.get("ScaleOutCooldown", 0)
        elif not scale_out and desired < current and not config.get("DisableScaleIn"):
            if target.suspended_state.get("DynamicScalingInSuspended"):
                continue
            last, cooldown = target.last_scale_in_at, config.get("ScaleInCooldown", 0)
        else:
            continue
        if last is not None and at - last < cooldown:
            continue
        cause = f"monitor alarm {alarm.name} in state ALARM triggered policy {policy.name}"
        if scale_to(target, desired=desired, cause=cause, at=at) is not None:
            if scale_out:
                target.last_scale_out_at = at
            else:
                target.last_scale_in_at = at
            target.save(update_fields=["last_scale_out_at", "last_scale_in_at"])
            started += 1
    return started


def _latest_utilization(resource_id: str, at: float, reader: MetricReader) -> float | None:
    """The Average of the last whole minute's ProvisionedConcurrencyUtilization (what the alarm last saw)."""
    function, qualifier = split_resource_id(resource_id)
    key = series_key(target_tracking.METRIC_NAME, (("FunctionName", function), ("Resource", f"{function}:{qualifier}")))
    end = math.floor(at / 60) * 60
    (periods,) = reader.periods([Query(key, end - 180, end, 60)], now=at)
    if not periods:
        return None
    return periods[max(periods)].value("Average")
