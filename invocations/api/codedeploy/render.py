"""The records CodeDeploy answers with (ApplicationInfo, DeploymentGroupInfo, DeploymentConfigInfo,
DeploymentInfo), from the
services' objects; timestamps as epoch seconds (the wire turns them into each protocol's own)."""

from __future__ import annotations

from typing import Any

from ...models import CodeDeployApplication, Deployment, DeploymentGroup
from ...services.codedeploy_configs import ConfigInfo


def application_info(application: CodeDeployApplication) -> dict[str, Any]:
    return {
        "applicationId": str(application.application_id),
        "applicationName": application.name,
        "createTime": application.created_at.timestamp(),
        "linkedToGitHub": False,
        "computePlatform": application.compute_platform,
    }


def group_info(group: DeploymentGroup) -> dict[str, Any]:
    return {
        "applicationName": group.application.name,
        "deploymentGroupId": str(group.group_id),
        "deploymentGroupName": group.name,
        "deploymentConfigName": group.deployment_config_name,
        "ec2TagFilters": [],
        "onPremisesInstanceTagFilters": [],
        "autoScalingGroups": [],
        "serviceRoleArn": group.service_role_arn,
        "triggerConfigurations": [],
        "alarmConfiguration": group.alarm_configuration,
        "autoRollbackConfiguration": group.auto_rollback_configuration,
        "deploymentStyle": {"deploymentType": group.deployment_type, "deploymentOption": group.deployment_option},
        "computePlatform": group.application.compute_platform,
    }


def config_info(info: ConfigInfo) -> dict[str, Any]:
    body: dict[str, Any] = {
        "deploymentConfigId": info.config_id,
        "deploymentConfigName": info.name,
        "createTime": info.created_at.timestamp(),
        "computePlatform": info.compute_platform,
    }
    if info.traffic_routing_config:
        body["trafficRoutingConfig"] = info.traffic_routing_config
    if info.minimum_healthy_hosts:
        body["minimumHealthyHosts"] = info.minimum_healthy_hosts
    return body


def deployment_info(deployment: Deployment) -> dict[str, Any]:
    group = deployment.group
    # Nothing runs yet: the one Lambda target is still pending.
    overview = {"Pending": 1, "InProgress": 0, "Succeeded": 0, "Failed": 0, "Skipped": 0, "Ready": 0}
    return {
        "applicationName": group.application.name,
        "deploymentGroupName": group.name,
        "deploymentConfigName": deployment.deployment_config_name,
        "deploymentId": deployment.deployment_id,
        "revision": deployment.revision,
        "status": deployment.status,
        "createTime": deployment.created_at.timestamp(),
        "creator": "user",
        "description": deployment.description,
        "deploymentOverview": overview,
        "autoRollbackConfiguration": deployment.auto_rollback_configuration,
        "deploymentStyle": {"deploymentType": group.deployment_type, "deploymentOption": group.deployment_option},
        "computePlatform": group.application.compute_platform,
    }
