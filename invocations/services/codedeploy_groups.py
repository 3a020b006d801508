"""CodeDeploy deployment groups: CreateDeploymentGroup, GetDeploymentGroup, UpdateDeploymentGroup,
DeleteDeploymentGroup and ListDeploymentGroups, with the settings a Lambda deployment reads (service role,
deployment config, style, alarms, automatic rollback)."""

from __future__ import annotations

from typing import Any

from ..models import CodeDeployApplication, ComputePlatform, DeploymentGroup
from ..rules.functions import ROLE_RE
from . import codedeploy_errors as errors
from .codedeploy_applications import application_get
from .codedeploy_applications import application_name as checked_application_name
from .codedeploy_common import checked_name, codedeploy_write, page
from .codedeploy_configs import config_name, deployment_config_get

ALARMS_MAX = 10
ALARM_NAME_MAX = 255
ROLLBACK_EVENTS = ("DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST")
DEPLOYMENT_TYPES = ("IN_PLACE", "BLUE_GREEN")
DEPLOYMENT_OPTIONS = ("WITH_TRAFFIC_CONTROL", "WITHOUT_TRAFFIC_CONTROL")
# What a group gets when CreateDeploymentGroup names no config: AWS's default per platform.
DEFAULT_CONFIGS = {
    ComputePlatform.LAMBDA: "CodeDeployDefault.LambdaAllAtOnce",
    ComputePlatform.SERVER: "CodeDeployDefault.OneAtATime",
    ComputePlatform.ECS: "CodeDeployDefault.ECSAllAtOnce",
}
# Lambda deployments are always blue/green with traffic control (the alias is the traffic control).
TRAFFIC_SHIFTING = {ComputePlatform.LAMBDA, ComputePlatform.ECS}


def group_name(value: object) -> str:
    return checked_name(
        value,
        required=errors.DeploymentGroupNameRequiredException,
        invalid=errors.InvalidDeploymentGroupNameException,
    )


def _flag(value: object, *, error: type[errors.CodeDeployError]) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise error()
    return value


def checked_alarms(config: object) -> dict[str, Any]:
    """AWS's AlarmConfiguration, refused for each cause InvalidAlarmConfigException lists."""
    invalid = errors.InvalidAlarmConfigException
    if not isinstance(config, dict):
        raise invalid()
    alarms = config.get("alarms", [])
    if not isinstance(alarms, list):
        raise invalid("The format of the alarm configuration is invalid: the alarm list is null.")
    names = []
    for alarm in alarms:
        name = alarm.get("name") if isinstance(alarm, dict) else None
        if not isinstance(name, str) or not 1 <= len(name) <= ALARM_NAME_MAX:
            raise invalid(
                "The format of the alarm configuration is invalid: the alarm name is empty or null or exceeds the "
                "limit of 255 characters."
            )
        if name in names:
            raise invalid(
                "The format of the alarm configuration is invalid: two alarms with the same name have been specified."
            )
        names.append(name)
    if len(names) > ALARMS_MAX:
        raise errors.AlarmsLimitExceededException()
    enabled = _flag(config.get("enabled"), error=invalid)
    if enabled and not names:
        raise invalid(
            "The format of the alarm configuration is invalid: the alarm configuration is enabled, but the alarm "
            "list is empty."
        )
    ignore = _flag(config.get("ignorePollAlarmFailure"), error=invalid)
    return {"enabled": enabled, "ignorePollAlarmFailure": ignore, "alarms": [{"name": n} for n in names]}


def checked_rollback(config: object) -> dict[str, Any]:
    invalid = errors.InvalidAutoRollbackConfigException
    if not isinstance(config, dict):
        raise invalid()
    enabled = _flag(config.get("enabled"), error=invalid)
    events = config.get("events", [])
    if not isinstance(events, list) or any(event not in ROLLBACK_EVENTS for event in events):
        raise invalid()
    if enabled and not events:
        raise invalid()
    return {"enabled": enabled, "events": list(dict.fromkeys(events))}


def checked_style(style: object, *, platform: str) -> tuple[str, str]:
    invalid = errors.InvalidDeploymentStyleException
    shifting = platform in TRAFFIC_SHIFTING
    defaults = ("BLUE_GREEN", "WITH_TRAFFIC_CONTROL") if shifting else ("IN_PLACE", "WITHOUT_TRAFFIC_CONTROL")
    if style is None:
        return defaults
    if not isinstance(style, dict):
        raise invalid()
    kind = style.get("deploymentType", defaults[0])
    option = style.get("deploymentOption", defaults[1])
    if kind not in DEPLOYMENT_TYPES or option not in DEPLOYMENT_OPTIONS:
        raise invalid()
    if shifting and (kind, option) != defaults:
        raise invalid()
    return kind, option


def checked_role(role: object) -> str:
    if role is None or role == "":
        raise errors.RoleRequiredException()
    if not isinstance(role, str) or not ROLE_RE.match(role):
        raise errors.InvalidRoleException()
    return role


def checked_config(name: object, *, platform: str) -> str:
    """A config the group's platform can use: the default when none is named."""
    if name is None:
        return DEFAULT_CONFIGS[platform]
    info = deployment_config_get(name=config_name(name))
    if info.compute_platform != platform:
        raise errors.InvalidDeploymentConfigNameException(
            f"The deployment configuration {info.name} is for the {info.compute_platform} compute platform, not "
            f"{platform}."
        )
    return info.name


def _group(application_name: object, name: object) -> DeploymentGroup:
    application = application_get(name=application_name)
    try:
        return DeploymentGroup.objects.select_related("application").get(application=application, name=group_name(name))
    except DeploymentGroup.DoesNotExist:
        raise errors.DeploymentGroupDoesNotExistException() from None


@codedeploy_write(conflict=errors.DeploymentGroupAlreadyExistsException)
def deployment_group_create(
    *,
    application_name: object,
    name: object,
    service_role_arn: object,
    deployment_config_name: object = None,
    deployment_style: object = None,
    alarm_configuration: object = None,
    auto_rollback_configuration: object = None,
) -> DeploymentGroup:
    application = application_get(name=application_name)
    name = group_name(name)
    if DeploymentGroup.objects.filter(application=application, name=name).exists():
        raise errors.DeploymentGroupAlreadyExistsException()
    platform = application.compute_platform
    kind, option = checked_style(deployment_style, platform=platform)
    return DeploymentGroup.objects.create(
        application=application,
        name=name,
        deployment_config_name=checked_config(deployment_config_name, platform=platform),
        service_role_arn=checked_role(service_role_arn),
        deployment_type=kind,
        deployment_option=option,
        alarm_configuration=checked_alarms({} if alarm_configuration is None else alarm_configuration),
        auto_rollback_configuration=checked_rollback(
            {} if auto_rollback_configuration is None else auto_rollback_configuration
        ),
    )


def deployment_group_get(*, application_name: object, name: object) -> DeploymentGroup:
    return _group(application_name, name)


@codedeploy_write(conflict=errors.DeploymentGroupAlreadyExistsException)
def deployment_group_update(
    *,
    application_name: object,
    current_name: object,
    new_name: object = None,
    service_role_arn: object = None,
    deployment_config_name: object = None,
    deployment_style: object = None,
    alarm_configuration: object = None,
    auto_rollback_configuration: object = None,
) -> DeploymentGroup:
    """Change what is given; None leaves a setting as it is."""
    group = _group(application_name, current_name)
    platform = group.application.compute_platform
    if new_name is not None and new_name != group.name:
        new_name = group_name(new_name)
        if DeploymentGroup.objects.filter(application=group.application, name=new_name).exists():
            raise errors.DeploymentGroupAlreadyExistsException()
        group.name = new_name
    if service_role_arn is not None:
        group.service_role_arn = checked_role(service_role_arn)
    if deployment_config_name is not None:
        group.deployment_config_name = checked_config(deployment_config_name, platform=platform)
    if deployment_style is not None:
        group.deployment_type, group.deployment_option = checked_style(deployment_style, platform=platform)
    if alarm_configuration is not None:
        group.alarm_configuration = checked_alarms(alarm_configuration)
    if auto_rollback_configuration is not None:
        group.auto_rollback_configuration = checked_rollback(auto_rollback_configuration)
    group.save()
    return group


@codedeploy_write(conflict=errors.InvalidOperationException)
def deployment_group_delete(*, application_name: object, name: object) -> None:
    """An unknown application or group is no error (DeleteDeploymentGroup names neither)."""
    application = CodeDeployApplication.objects.filter(name=checked_application_name(application_name)).first()
    if application is not None:
        DeploymentGroup.objects.filter(application=application, name=group_name(name)).delete()


def deployment_group_list(*, application_name: object, next_token: str | None = None) -> tuple[list[str], str | None]:
    application = application_get(name=application_name)
    names = list(application.groups.order_by("name").values_list("name", flat=True))
    return page(names, next_token=next_token)
