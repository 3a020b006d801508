"""CodeDeploy deployment configs: AWS's predefined Lambda configs (the engine's PREDEFINED) beside the custom ones
CreateDeploymentConfig stores; GetDeploymentConfig, ListDeploymentConfigs and DeleteDeploymentConfig see both."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..engine.deployments.traffic_shift import (
    ALL_AT_ONCE,
    PREDEFINED,
    TIME_BASED_CANARY,
    TIME_BASED_LINEAR,
    TrafficRouting,
    problem,
)
from ..models import ComputePlatform, DeploymentConfig, DeploymentGroup
from . import codedeploy_errors as errors
from .codedeploy_common import checked_name, codedeploy_write, page

PREDEFINED_PREFIX = "CodeDeployDefault."
# The predefined configs exist before any account does; a fixed creation time and a stable id stand for AWS's.
PREDEFINED_CREATED = datetime(2017, 11, 28, tzinfo=UTC)
HOST_TYPES = ("HOST_COUNT", "FLEET_PERCENT")


@dataclass(frozen=True)
class ConfigInfo:
    """One deployment config as GetDeploymentConfig describes it, predefined or custom."""

    name: str
    config_id: str
    compute_platform: str
    created_at: datetime
    traffic_routing_config: dict[str, Any] = field(default_factory=dict)
    minimum_healthy_hosts: dict[str, Any] = field(default_factory=dict)


def config_name(value: object) -> str:
    return checked_name(
        value,
        required=errors.DeploymentConfigNameRequiredException,
        invalid=errors.InvalidDeploymentConfigNameException,
    )


def wire_routing(routing: TrafficRouting) -> dict[str, Any]:
    """The engine's TrafficRouting as AWS's TrafficRoutingConfig."""
    if routing.type == TIME_BASED_CANARY:
        detail = {"canaryPercentage": routing.percentage, "canaryInterval": routing.interval_minutes}
        return {"type": routing.type, "timeBasedCanary": detail}
    if routing.type == TIME_BASED_LINEAR:
        detail = {"linearPercentage": routing.percentage, "linearInterval": routing.interval_minutes}
        return {"type": routing.type, "timeBasedLinear": detail}
    return {"type": ALL_AT_ONCE}


def routing_from(config: object) -> TrafficRouting:
    """AWS's TrafficRoutingConfig as the engine's, refused as CodeDeploy refuses it."""
    invalid = errors.InvalidTrafficRoutingConfigurationException
    if not isinstance(config, dict):
        raise invalid()
    kind = config.get("type")
    if kind == ALL_AT_ONCE:
        return TrafficRouting.all_at_once()
    keys = {
        TIME_BASED_CANARY: ("timeBasedCanary", "canaryPercentage", "canaryInterval"),
        TIME_BASED_LINEAR: ("timeBasedLinear", "linearPercentage", "linearInterval"),
    }
    if kind not in keys:
        raise invalid()
    member, percentage_key, interval_key = keys[kind]
    detail = config.get(member)
    if not isinstance(detail, dict):
        raise invalid()
    percentage, interval = detail.get(percentage_key), detail.get(interval_key)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (percentage, interval)):
        raise invalid()
    routing = TrafficRouting(kind, percentage, interval)
    if problem(routing) is not None:
        raise invalid()
    return routing


def _checked_hosts(hosts: object) -> dict[str, Any]:
    invalid = errors.InvalidMinimumHealthyHostValueException
    if not isinstance(hosts, dict) or hosts.get("type") not in HOST_TYPES:
        raise invalid()
    value = hosts.get("value")
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise invalid()
    if hosts["type"] == "FLEET_PERCENT" and value > 100:
        raise invalid()
    return {"type": hosts["type"], "value": value}


@codedeploy_write(conflict=errors.DeploymentConfigAlreadyExistsException)
def deployment_config_create(
    *,
    name: object,
    compute_platform: object = None,
    traffic_routing_config: object = None,
    minimum_healthy_hosts: object = None,
) -> DeploymentConfig:
    name = config_name(name)
    platform = ComputePlatform.SERVER if compute_platform is None else compute_platform
    if platform not in ComputePlatform.values:
        raise errors.InvalidComputePlatformException()
    if name in PREDEFINED or DeploymentConfig.objects.filter(name=name).exists():
        raise errors.DeploymentConfigAlreadyExistsException()
    if name.startswith(PREDEFINED_PREFIX):
        raise errors.InvalidDeploymentConfigNameException()  # the prefix belongs to AWS's own configs
    routing, hosts = {}, {}
    if platform == ComputePlatform.SERVER:
        hosts = _checked_hosts(minimum_healthy_hosts)
    else:
        # Lambda and ECS shift traffic; without a routing config a custom config would be AllAtOnce under a name.
        routing = wire_routing(routing_from(traffic_routing_config))
    return DeploymentConfig.objects.create(
        name=name, compute_platform=platform, traffic_routing_config=routing, minimum_healthy_hosts=hosts
    )


def deployment_config_get(*, name: object) -> ConfigInfo:
    name = config_name(name)
    if name in PREDEFINED:
        return ConfigInfo(
            name=name,
            config_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"codedeploy:{name}")),
            compute_platform=ComputePlatform.LAMBDA,
            created_at=PREDEFINED_CREATED,
            traffic_routing_config=wire_routing(PREDEFINED[name]),
        )
    try:
        row = DeploymentConfig.objects.get(name=name)
    except DeploymentConfig.DoesNotExist:
        raise errors.DeploymentConfigDoesNotExistException() from None
    return ConfigInfo(
        name=row.name,
        config_id=str(row.config_id),
        compute_platform=row.compute_platform,
        created_at=row.created_at,
        traffic_routing_config=row.traffic_routing_config,
        minimum_healthy_hosts=row.minimum_healthy_hosts,
    )


def deployment_config_routing(*, name: str) -> TrafficRouting:
    """The steps a deployment under this config takes (its platform must shift traffic: Lambda or ECS)."""
    info = deployment_config_get(name=name)
    return routing_from(info.traffic_routing_config)


def deployment_config_list(*, next_token: str | None = None) -> tuple[list[str], str | None]:
    names = sorted([*PREDEFINED, *DeploymentConfig.objects.values_list("name", flat=True)])
    return page(names, next_token=next_token)


@codedeploy_write(conflict=errors.DeploymentConfigInUseException)
def deployment_config_delete(*, name: object) -> None:
    """AWS's configs cannot be deleted, nor one a deployment group uses; an unknown name is no error."""
    name = config_name(name)
    if name in PREDEFINED or name.startswith(PREDEFINED_PREFIX):
        raise errors.InvalidOperationException()
    if DeploymentGroup.objects.filter(deployment_config_name=name).exists():
        raise errors.DeploymentConfigInUseException()
    DeploymentConfig.objects.filter(name=name).delete()
