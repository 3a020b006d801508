"""How Application Auto Scaling changes a Lambda target's capacity: through the provisioned-concurrency config
(PutProvisionedConcurrencyConfig's service, with its allocation delay and IN_PROGRESS → READY status), recorded
as a scaling activity in AWS's words. Used by the API operations (RegisterScalableTarget's Min/Max) and by the
evaluation in simulated time (autoscaling_evaluate.py)."""

from __future__ import annotations

import uuid

from ..errors import LambdaError
from ..models import Function, ProvisionedConcurrencyConfig, ScalableTarget, ScalingActivity
from .concurrency import provisioned_concurrency_delete, provisioned_concurrency_put

FULFILLED = "Change successfully fulfilled by lambda."


def split_resource_id(resource_id: str) -> tuple[str, str]:
    """function:<name>:<qualifier> -> (name, qualifier); the caller has validated the form."""
    _, name, qualifier = resource_id.split(":", 2)
    return name, qualifier


def config_for(target: ScalableTarget) -> ProvisionedConcurrencyConfig | None:
    name, qualifier = split_resource_id(target.resource_id)
    configs = ProvisionedConcurrencyConfig.objects.select_related("version", "alias").filter(function__name=name)
    return next((config for config in configs if config.qualifier == qualifier), None)


def current_capacity(target: ScalableTarget) -> int:
    """The target's capacity is the config's requested provisioned concurrency (0 without a config)."""
    config = config_for(target)
    return 0 if config is None else config.requested


def record_activity(
    target: ScalableTarget,
    *,
    at: float,
    description: str,
    cause: str,
    status_code: str,
    status_message: str = "",
    desired: int | None = None,
) -> ScalingActivity:
    return ScalingActivity.objects.create(
        activity_id=str(uuid.uuid4()),
        service_namespace=target.service_namespace,
        resource_id=target.resource_id,
        scalable_dimension=target.scalable_dimension,
        description=description,
        cause=cause,
        start_time=at,
        end_time=None if status_code in ("Pending", "InProgress") else at,
        status_code=status_code,
        status_message=status_message,
        desired_capacity=desired,
    )


def scale_to(target: ScalableTarget, *, desired: int, cause: str, at: float) -> ScalingActivity | None:
    """Set the config's provisioned concurrency to `desired` (0 deletes the config); None when it already is.

    The activity stays InProgress until the runtime reports the config READY (settle_activities)."""
    if desired == current_capacity(target):
        return None
    name, qualifier = split_resource_id(target.resource_id)
    description = f"Setting desired concurrency to {desired}."
    try:
        function = Function.objects.get(name=name)
        if desired == 0:
            provisioned_concurrency_delete(function=function, qualifier=qualifier)
        else:
            provisioned_concurrency_put(
                function=function, qualifier=qualifier, provisioned_concurrent_executions=desired
            )
    except (LambdaError, Function.DoesNotExist) as error:
        reason = getattr(error, "message", None) or f"Function not found: {name}"
        return record_activity(
            target,
            at=at,
            description=description,
            cause=cause,
            status_code="Failed",
            status_message=f"Failed to set desired concurrency to {desired}. {reason}",
            desired=desired,
        )
    if desired == 0:
        return record_activity(
            target,
            at=at,
            description=description,
            cause=cause,
            status_code="Successful",
            status_message=f"Successfully set desired concurrency to 0. {FULFILLED}",
            desired=0,
        )
    return record_activity(
        target, at=at, description=description, cause=cause, status_code="InProgress", desired=desired
    )


def settle_activities(at: float) -> int:
    """Finish the InProgress activities whose config is READY (or FAILED, or changed since); returns how many."""
    settled = 0
    for activity in ScalingActivity.objects.filter(status_code="InProgress"):
        target = ScalableTarget.objects.filter(
            service_namespace=activity.service_namespace,
            resource_id=activity.resource_id,
            scalable_dimension=activity.scalable_dimension,
        ).first()
        config = config_for(target) if target is not None else None
        desired = activity.desired_capacity
        if config is None or config.requested != desired:
            activity.status_code = "Overridden"
            activity.status_message = f"Desired concurrency {desired} was overridden by a later change."
        elif config.status == "READY":
            activity.status_code = "Successful"
            activity.status_message = f"Successfully set desired concurrency to {desired}. {FULFILLED}"
        elif config.status == "FAILED":
            activity.status_code = "Failed"
            activity.status_message = (
                f"Failed to set desired concurrency to {desired}. Provisioned concurrency allocation failed: "
                f"{config.status_reason or 'FUNCTION_ERROR_INIT_FAILURE'}."
            )
        else:
            continue
        activity.end_time = at
        activity.save(update_fields=["status_code", "status_message", "end_time"])
        settled += 1
    return settled


def in_progress(target: ScalableTarget) -> bool:
    return ScalingActivity.objects.filter(
        service_namespace=target.service_namespace,
        resource_id=target.resource_id,
        scalable_dimension=target.scalable_dimension,
        status_code="InProgress",
    ).exists()


def hold_within_bounds(target: ScalableTarget, *, at: float) -> ScalingActivity | None:
    """After Min/Max change: below the minimum scales out to it, above the maximum scales in to it (AWS's causes)."""
    current = current_capacity(target)
    if current < target.min_capacity:
        return scale_to(
            target, desired=target.min_capacity, cause=f"minimum capacity was set to {target.min_capacity}", at=at
        )
    if current > target.max_capacity:
        return scale_to(
            target, desired=target.max_capacity, cause=f"maximum capacity was set to {target.max_capacity}", at=at
        )
    return None
