"""Application Auto Scaling for Lambda provisioned concurrency (issue 13 point 4): the API's ten operations.

Each operation takes the request's parameters as botocore's application-autoscaling model names them (timestamps
as epoch seconds) and returns the output shape; the API (invocations/api/autoscaling/) only decodes and encodes
awsJson1_1. Bad input raises an AutoScalingError before anything is written, and each write is one transaction.
A target-tracking policy's two alarms are CloudWatch alarms (services/cloudwatch.py), listed by DescribeAlarms."""

from __future__ import annotations

import functools
import re
import uuid
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import botocore.session
from django.conf import settings
from django.db import transaction

from ..arns import LATEST
from ..engine.autoscaling import schedule as schedules
from ..engine.autoscaling import target_tracking
from ..models import Function, MetricAlarm, ScalableTarget, ScalingActivity, ScalingPolicy, ScheduledAction
from . import cloudwatch
from .autoscaling_capacity import hold_within_bounds, split_resource_id
from .autoscaling_errors import InvalidNextTokenException, ObjectNotFoundException, ValidationException

NAMESPACE = "lambda"
DIMENSION = "lambda:function:ProvisionedConcurrency"
TARGET_TRACKING = "TargetTrackingScaling"
RESOURCE_ID = re.compile(r"function:([A-Za-z0-9_-]{1,140}):([^:]+)")
UNSUPPORTED = "Unsupported service namespace, resource type or scalable dimension"
ROLE = (
    "arn:aws:iam::{account}:role/aws-service-role/lambda.application-autoscaling.amazonaws.com/"
    "AWSServiceRoleForApplicationAutoScaling_LambdaConcurrency"
)


def now() -> float:
    return cloudwatch.now()  # the simulation clock, as CloudWatch reads it


@functools.cache
def _enum(shape: str) -> list[str]:
    model = botocore.session.get_session().get_service_model("application-autoscaling")
    return list(model.shape_for(shape).enum)


# --- validation ------------------------------------------------------------------------------------------------


def _required(params: dict, name: str) -> Any:
    value = params.get(name)
    if value is None or value == "":
        raise ValidationException(
            f"1 validation error detected: Value null at '{name[0].lower() + name[1:]}' failed to satisfy "
            "constraint: Member must not be null"
        )
    return value


def _namespace(params: dict) -> str:
    value = _required(params, "ServiceNamespace")
    if value not in _enum("ServiceNamespace"):
        raise ValidationException(
            f"1 validation error detected: Value '{value}' at 'serviceNamespace' failed to satisfy constraint: "
            f"Member must satisfy enum value set: [{', '.join(_enum('ServiceNamespace'))}]"
        )
    if value != NAMESPACE:
        raise ValidationException(UNSUPPORTED)
    return value


def _dimension(params: dict, *, required: bool = True) -> str | None:
    value = _required(params, "ScalableDimension") if required else params.get("ScalableDimension")
    if value is None:
        return None
    if value not in _enum("ScalableDimension"):
        raise ValidationException(
            f"1 validation error detected: Value '{value}' at 'scalableDimension' failed to satisfy constraint: "
            f"Member must satisfy enum value set: [{', '.join(_enum('ScalableDimension'))}]"
        )
    if value != DIMENSION:
        raise ValidationException(UNSUPPORTED)
    return value


def _resource_id(params: dict) -> str:
    """function:<name>:<alias or version>; $LATEST is refused, as Lambda refuses provisioned concurrency there."""
    value = _required(params, "ResourceId")
    match = RESOURCE_ID.fullmatch(value)
    if match is None:
        raise ValidationException(UNSUPPORTED)
    if match.group(2) == LATEST:
        raise ValidationException("Provisioned Concurrency Configs cannot be applied to unpublished function versions.")
    return value


def _target_key(params: dict) -> tuple[str, str, str]:
    return _namespace(params), _resource_id(params), _dimension(params)


def _target(namespace: str, resource_id: str, dimension: str, *, lock: bool = False) -> ScalableTarget:
    targets = ScalableTarget.objects.select_for_update() if lock else ScalableTarget.objects
    target = targets.filter(service_namespace=namespace, resource_id=resource_id, scalable_dimension=dimension).first()
    if target is None:
        raise ObjectNotFoundException(
            f"No scalable target registered for service namespace: {namespace}, resource ID: {resource_id}, "
            f"scalable dimension: {dimension}"
        )
    return target


def _capacity(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or value < 0:
        raise ValidationException(f"{name} must be a non-negative integer.")
    return value


def _page(items: list, params: dict) -> tuple[list, str | None]:
    limit = params.get("MaxResults") or 50
    if not 1 <= limit <= 50:
        raise ValidationException("MaxResults must be between 1 and 50.")
    token = params.get("NextToken")
    if token and not token.isdigit():
        raise InvalidNextTokenException("Invalid token")
    offset = int(token or 0)
    nxt = str(offset + limit) if offset + limit < len(items) else None
    return items[offset : offset + limit], nxt


def _arn(kind: str, identifier: str, resource_id: str, name_kind: str, name: str) -> str:
    return (
        f"arn:aws:autoscaling:{settings.LAMBDAVIZ_REGION}:{settings.LAMBDAVIZ_ACCOUNT_ID}:{kind}:{identifier}:"
        f"resource/{NAMESPACE}/{resource_id}:{name_kind}/{name}"
    )


# --- scalable targets ------------------------------------------------------------------------------------------


def _target_arn(target: ScalableTarget) -> str:
    return (
        f"arn:aws:application-autoscaling:{settings.LAMBDAVIZ_REGION}:{settings.LAMBDAVIZ_ACCOUNT_ID}:"
        f"scalable-target/{uuid.uuid5(uuid.NAMESPACE_URL, target.resource_id).hex}"
    )


def register_scalable_target(params: dict) -> dict:
    namespace, resource_id, dimension = _target_key(params)
    minimum = _capacity(params.get("MinCapacity"), "MinCapacity")
    maximum = _capacity(params.get("MaxCapacity"), "MaxCapacity")
    name, qualifier = split_resource_id(resource_id)
    function = Function.objects.filter(name=name).first()
    if function is None or not (
        function.aliases.filter(name=qualifier).exists()
        or (qualifier.isdigit() and function.versions.filter(number=int(qualifier)).exists())
    ):
        raise ValidationException(f"Function not found: {function_arn(name, qualifier)}")
    at = now()
    with transaction.atomic():
        target = (
            ScalableTarget.objects.select_for_update()
            .filter(service_namespace=namespace, resource_id=resource_id, scalable_dimension=dimension)
            .first()
        )
        if target is None:
            if minimum is None or maximum is None:
                raise ValidationException(
                    "The scalable target does not exist yet: MinCapacity and MaxCapacity are both required to "
                    "register it."
                )
            target = ScalableTarget(
                service_namespace=namespace,
                resource_id=resource_id,
                scalable_dimension=dimension,
                created_at=at,
                role_arn=params.get("RoleARN") or ROLE.format(account=settings.LAMBDAVIZ_ACCOUNT_ID),
                tags=params.get("Tags") or {},
            )
        new_min = target.min_capacity if minimum is None else minimum
        new_max = target.max_capacity if maximum is None else maximum
        if new_min > new_max:
            raise ValidationException("Minimum capacity cannot be greater than maximum capacity")
        target.min_capacity, target.max_capacity = new_min, new_max
        if params.get("SuspendedState") is not None:
            target.suspended_state = {**target.suspended_state, **params["SuspendedState"]}
        target.save()
        hold_within_bounds(target, at=at)
    return {"ScalableTargetARN": _target_arn(target)}


def function_arn(name: str, qualifier: str) -> str:
    return f"arn:aws:lambda:{settings.LAMBDAVIZ_REGION}:{settings.LAMBDAVIZ_ACCOUNT_ID}:function:{name}:{qualifier}"


def deregister_scalable_target(params: dict) -> dict:
    key = _target_key(params)
    with transaction.atomic():
        target = _target(*key, lock=True)
        for policy in target.policies.all():
            _delete_policy_alarms(policy)
        target.delete()  # its policies and scheduled actions go with it; the activities stay
    return {}


def _describe_target(target: ScalableTarget) -> dict:
    suspended = {
        name: bool(target.suspended_state.get(name, False))
        for name in ("DynamicScalingInSuspended", "DynamicScalingOutSuspended", "ScheduledScalingSuspended")
    }
    return {
        "ServiceNamespace": target.service_namespace,
        "ResourceId": target.resource_id,
        "ScalableDimension": target.scalable_dimension,
        "MinCapacity": target.min_capacity,
        "MaxCapacity": target.max_capacity,
        "RoleARN": target.role_arn,
        "CreationTime": target.created_at,
        "SuspendedState": suspended,
        "ScalableTargetARN": _target_arn(target),
    }


def describe_scalable_targets(params: dict) -> dict:
    _namespace(params)
    dimension = _dimension(params, required=False)
    targets = ScalableTarget.objects.filter(service_namespace=NAMESPACE)
    if params.get("ResourceIds"):
        targets = targets.filter(resource_id__in=params["ResourceIds"])
    if dimension:
        targets = targets.filter(scalable_dimension=dimension)
    page, token = _page([_describe_target(t) for t in targets], params)
    return {"ScalableTargets": page, **({"NextToken": token} if token else {})}


# --- scaling policies ------------------------------------------------------------------------------------------


def _policy_arn(policy: ScalingPolicy) -> str:
    return _arn("scalingPolicy", policy.uuid, policy.target.resource_id, "policyName", policy.name)


def _tracking_configuration(params: dict) -> dict:
    policy_type = params.get("PolicyType") or "StepScaling"  # AWS's default when PolicyType is left out
    if policy_type != TARGET_TRACKING:
        raise ValidationException(f"Unsupported policy type {policy_type} for service namespace {NAMESPACE}")
    config = params.get("TargetTrackingScalingPolicyConfiguration")
    if not config:
        raise ValidationException("TargetTrackingScalingPolicyConfiguration is required for TargetTrackingScaling")
    target_value = config.get("TargetValue")
    if target_value is None:
        raise ValidationException(
            "1 validation error detected: Value null at 'targetTrackingScalingPolicyConfiguration.targetValue' "
            "failed to satisfy constraint: Member must not be null"
        )
    if config.get("CustomizedMetricSpecification") is not None:
        raise ValidationException(
            "CustomizedMetricSpecification is not supported by this simulator: use PredefinedMetricSpecification "
            f"{target_tracking.PREDEFINED_METRIC}."
        )
    metric = (config.get("PredefinedMetricSpecification") or {}).get("PredefinedMetricType")
    if metric is None:
        raise ValidationException("Either PredefinedMetricSpecification or CustomizedMetricSpecification is required")
    if metric != target_tracking.PREDEFINED_METRIC:
        raise ValidationException(f"Unsupported metric type {metric} for scalable dimension {DIMENSION}")
    if not 0 < float(target_value) <= 1:
        raise ValidationException(
            f"The target value {target_value} is out of range: provisioned concurrency utilization is a fraction "
            "between 0 and 1 (0.7 for 70%)."
        )
    for name in ("ScaleOutCooldown", "ScaleInCooldown"):
        if config.get(name) is not None and not 0 <= config[name] <= 86400 * 365:
            raise ValidationException(f"{name} must be between 0 and 31536000 seconds.")
    return config


def put_scaling_policy(params: dict) -> dict:
    name = _required(params, "PolicyName")
    key = _target_key(params)
    config = _tracking_configuration(params)
    at = now()
    with transaction.atomic():
        target = _target(*key, lock=True)
        policy = ScalingPolicy.objects.filter(target=target, name=name).first()
        if policy is None:
            policy = ScalingPolicy(target=target, name=name, uuid=str(uuid.uuid4()), created_at=at)
        policy.policy_type, policy.configuration = TARGET_TRACKING, config
        policy.save()
        policy.alarms = _put_policy_alarms(policy, config)
        policy.save(update_fields=["alarms"])
    return {"PolicyARN": _policy_arn(policy), "Alarms": policy.alarms}


def _put_policy_alarms(policy: ScalingPolicy, config: dict) -> list[dict]:
    """AWS's two alarms (AlarmHigh, AlarmLow): kept by name across updates, the unwanted one deleted."""
    resource_id = policy.target.resource_id
    function, qualifier = split_resource_id(resource_id)
    specs = target_tracking.alarm_specs(
        float(config["TargetValue"]), disable_scale_in=bool(config.get("DisableScaleIn"))
    )
    wanted = {target_tracking.alarm_name(resource_id, spec.kind, policy.uuid): spec for spec in specs}
    stale = [a["AlarmName"] for a in policy.alarms if a["AlarmName"] not in wanted]
    if stale:
        cloudwatch.delete_alarms({"AlarmNames": stale})
    for alarm_name, spec in wanted.items():
        cloudwatch.put_metric_alarm(
            {
                "AlarmName": alarm_name,
                "AlarmDescription": f"DO NOT EDIT OR DELETE. For TargetTrackingScaling policy {_policy_arn(policy)}.",
                "ActionsEnabled": True,
                "AlarmActions": [_policy_arn(policy)],
                "Namespace": "AWS/Lambda",
                "MetricName": target_tracking.METRIC_NAME,
                "Dimensions": [
                    {"Name": "FunctionName", "Value": function},
                    {"Name": "Resource", "Value": f"{function}:{qualifier}"},
                ],
                "Statistic": "Average",
                "Period": target_tracking.PERIOD,
                "EvaluationPeriods": spec.evaluation_periods,
                "DatapointsToAlarm": spec.evaluation_periods,
                "Threshold": spec.threshold,
                "ComparisonOperator": spec.comparison_operator,
            }
        )
    return [{"AlarmName": name, "AlarmARN": cloudwatch.alarm_arn(name)} for name in wanted]


def _delete_policy_alarms(policy: ScalingPolicy) -> None:
    names = [a["AlarmName"] for a in policy.alarms]
    existing = list(MetricAlarm.objects.filter(name__in=names).values_list("name", flat=True))
    if existing:
        cloudwatch.delete_alarms({"AlarmNames": existing})


def _describe_policy(policy: ScalingPolicy) -> dict:
    return {
        "PolicyARN": _policy_arn(policy),
        "PolicyName": policy.name,
        "ServiceNamespace": policy.target.service_namespace,
        "ResourceId": policy.target.resource_id,
        "ScalableDimension": policy.target.scalable_dimension,
        "PolicyType": policy.policy_type,
        "TargetTrackingScalingPolicyConfiguration": policy.configuration,
        "Alarms": policy.alarms,
        "CreationTime": policy.created_at,
    }


def describe_scaling_policies(params: dict) -> dict:
    _namespace(params)
    dimension = _dimension(params, required=False)
    policies = ScalingPolicy.objects.select_related("target").filter(target__service_namespace=NAMESPACE)
    if params.get("ResourceId"):
        policies = policies.filter(target__resource_id=params["ResourceId"])
    if dimension:
        policies = policies.filter(target__scalable_dimension=dimension)
    if params.get("PolicyNames"):
        policies = policies.filter(name__in=params["PolicyNames"])
    page, token = _page([_describe_policy(p) for p in policies], params)
    return {"ScalingPolicies": page, **({"NextToken": token} if token else {})}


def delete_scaling_policy(params: dict) -> dict:
    name = _required(params, "PolicyName")
    namespace, resource_id, dimension = _target_key(params)
    with transaction.atomic():
        policy = ScalingPolicy.objects.filter(
            target__service_namespace=namespace,
            target__resource_id=resource_id,
            target__scalable_dimension=dimension,
            name=name,
        ).first()
        if policy is None:
            raise ObjectNotFoundException(
                f"No scaling policy found for service namespace: {namespace}, resource ID: {resource_id}, "
                f"scalable dimension: {dimension}, policy name: {name}"
            )
        _delete_policy_alarms(policy)  # a target-tracking policy's alarms go with it
        policy.delete()
    return {}


# --- scheduled actions -----------------------------------------------------------------------------------------


def _timezone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationException(f"Time zone {name} is not a valid IANA time zone name") from None


def _parsed_schedule(expression: str) -> schedules.Schedule:
    try:
        return schedules.parse(expression)
    except schedules.ScheduleError:
        raise ValidationException(f"Invalid schedule expression: {expression}") from None


def next_run_of(action: ScheduledAction, *, after: float) -> float | None:
    """The action's next run strictly after `after`, within its StartTime and EndTime."""
    parsed = schedules.parse(action.schedule)
    anchor = action.start_time if action.start_time is not None else action.created_at
    after = max(after, action.start_time - 1e-6) if action.start_time is not None else after
    run = schedules.next_run(parsed, after=after, tz=ZoneInfo(action.timezone or "UTC"), start=anchor)
    if run is None or (action.end_time is not None and run > action.end_time):
        return None
    return run


def put_scheduled_action(params: dict) -> dict:
    name = _required(params, "ScheduledActionName")
    key = _target_key(params)
    expression = params.get("Schedule")
    capacity = params.get("ScalableTargetAction")
    with transaction.atomic():
        target = _target(*key, lock=True)
        action = ScheduledAction.objects.filter(target=target, name=name).first()
        if action is None:
            if not expression:
                raise ValidationException("Schedule is required when creating a scheduled action")
            action = ScheduledAction(target=target, name=name, uuid=str(uuid.uuid4()), created_at=now())
        if expression:
            _parsed_schedule(expression)
            action.schedule = expression
        if params.get("Timezone"):
            _timezone(params["Timezone"])
            action.timezone = params["Timezone"]
        for field, value in (("start_time", params.get("StartTime")), ("end_time", params.get("EndTime"))):
            if value is not None:
                setattr(action, field, float(value))
        if action.start_time is not None and action.end_time is not None and action.start_time >= action.end_time:
            raise ValidationException("EndTime must be after StartTime")
        if capacity is not None:
            minimum = _capacity(capacity.get("MinCapacity"), "MinCapacity")
            maximum = _capacity(capacity.get("MaxCapacity"), "MaxCapacity")
            if minimum is None and maximum is None:
                raise ValidationException("At least one of minimum capacity and maximum capacity should be provided")
            if minimum is not None and maximum is not None and minimum > maximum:
                raise ValidationException("Minimum capacity cannot be greater than maximum capacity")
            action.min_capacity, action.max_capacity = minimum, maximum
        elif action.pk is None:
            raise ValidationException("At least one of minimum capacity and maximum capacity should be provided")
        action.next_run_at = next_run_of(action, after=now())
        action.save()
    return {}


def _action_arn(action: ScheduledAction) -> str:
    return _arn("scheduledAction", action.uuid, action.target.resource_id, "scheduledActionName", action.name)


def _describe_action(action: ScheduledAction) -> dict:
    out: dict[str, Any] = {
        "ScheduledActionName": action.name,
        "ScheduledActionARN": _action_arn(action),
        "ServiceNamespace": action.target.service_namespace,
        "Schedule": action.schedule,
        "Timezone": action.timezone,
        "ResourceId": action.target.resource_id,
        "ScalableDimension": action.target.scalable_dimension,
        "ScalableTargetAction": {
            k: v
            for k, v in (("MinCapacity", action.min_capacity), ("MaxCapacity", action.max_capacity))
            if v is not None
        },
        "CreationTime": action.created_at,
    }
    if action.start_time is not None:
        out["StartTime"] = action.start_time
    if action.end_time is not None:
        out["EndTime"] = action.end_time
    return out


def describe_scheduled_actions(params: dict) -> dict:
    _namespace(params)
    dimension = _dimension(params, required=False)
    actions = ScheduledAction.objects.select_related("target").filter(target__service_namespace=NAMESPACE)
    if params.get("ResourceId"):
        actions = actions.filter(target__resource_id=params["ResourceId"])
    if dimension:
        actions = actions.filter(target__scalable_dimension=dimension)
    if params.get("ScheduledActionNames"):
        actions = actions.filter(name__in=params["ScheduledActionNames"])
    page, token = _page([_describe_action(a) for a in actions], params)
    return {"ScheduledActions": page, **({"NextToken": token} if token else {})}


def delete_scheduled_action(params: dict) -> dict:
    name = _required(params, "ScheduledActionName")
    namespace, resource_id, dimension = _target_key(params)
    deleted, _ = ScheduledAction.objects.filter(
        target__service_namespace=namespace,
        target__resource_id=resource_id,
        target__scalable_dimension=dimension,
        name=name,
    ).delete()
    if not deleted:
        raise ObjectNotFoundException(
            f"No scheduled action found for service namespace: {namespace}, resource ID: {resource_id}, "
            f"scalable dimension: {dimension}, scheduled action name: {name}"
        )
    return {}


# --- activities ------------------------------------------------------------------------------------------------


def describe_scaling_activities(params: dict) -> dict:
    _namespace(params)
    dimension = _dimension(params, required=False)
    activities = ScalingActivity.objects.filter(service_namespace=NAMESPACE)
    if params.get("ResourceId"):
        activities = activities.filter(resource_id=params["ResourceId"])
    if dimension:
        activities = activities.filter(scalable_dimension=dimension)
    rows = []
    for activity in activities:
        row: dict[str, Any] = {
            "ActivityId": activity.activity_id,
            "ServiceNamespace": activity.service_namespace,
            "ResourceId": activity.resource_id,
            "ScalableDimension": activity.scalable_dimension,
            "Description": activity.description,
            "Cause": activity.cause,
            "StartTime": activity.start_time,
            "StatusCode": activity.status_code,
        }
        if activity.end_time is not None:
            row["EndTime"] = activity.end_time
        if activity.status_message:
            row["StatusMessage"] = activity.status_message
        rows.append(row)
    page, token = _page(rows, params)
    return {"ScalingActivities": page, **({"NextToken": token} if token else {})}
