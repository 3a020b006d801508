"""The records CodeDeploy answers with (ApplicationInfo, DeploymentGroupInfo, DeploymentConfigInfo,
DeploymentInfo), from the
services' objects; timestamps as epoch seconds (the wire turns them into each protocol's own)."""

from __future__ import annotations

from typing import Any

from ...models import CodeDeployApplication, Deployment, DeploymentGroup, DeploymentStatus
from ...services.codedeploy_configs import ConfigInfo
from ...services.codedeploy_run import LIFECYCLE_EVENTS, target_weight
from ...services.codedeploy_targets import target_id_of


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
    body: dict[str, Any] = {
        "applicationName": group.application.name,
        "deploymentGroupName": group.name,
        "deploymentConfigName": deployment.deployment_config_name,
        "deploymentId": deployment.deployment_id,
        "revision": deployment.revision,
        "status": deployment.status,
        "createTime": deployment.created_at.timestamp(),
        "creator": deployment.creator,
        "description": deployment.description,
        "deploymentOverview": deployment_overview(deployment),
        "autoRollbackConfiguration": deployment.auto_rollback_configuration,
        "deploymentStyle": {"deploymentType": group.deployment_type, "deploymentOption": group.deployment_option},
        "computePlatform": group.application.compute_platform,
    }
    # Simulated seconds, like CloudWatch's timestamps: the simulation clock is on the epoch.
    if deployment.started_at is not None:
        body["startTime"] = deployment.started_at
    if deployment.completed_at is not None:
        body["completeTime"] = deployment.completed_at
    if deployment.error_information:
        body["errorInformation"] = deployment.error_information
    if deployment.rollback_info:
        body["rollbackInfo"] = deployment.rollback_info
    return body


def deployment_overview(deployment: Deployment) -> dict[str, int]:
    """The one Lambda target, counted under its status."""
    overview = {"Pending": 0, "InProgress": 0, "Succeeded": 0, "Failed": 0, "Skipped": 0, "Ready": 0}
    overview[target_status(deployment)] += 1
    return overview


def target_status(deployment: Deployment) -> str:
    """The Lambda target's status: Pending until the run starts, then the deployment's (Stopped counts as Failed)."""
    status = deployment.status
    if status in (DeploymentStatus.CREATED, DeploymentStatus.QUEUED):
        return "Pending"
    if status == DeploymentStatus.STOPPED:
        return "Failed"
    return status if status in ("InProgress", "Succeeded", "Failed") else "Pending"


def lambda_target(deployment: Deployment, *, function_arn: str) -> dict[str, Any]:
    """DeploymentTarget for Lambda: the alias with its lifecycle events, AWS's event names and statuses."""
    events = []
    for name in LIFECYCLE_EVENTS:
        event = deployment.lifecycle_events.get(name, {})
        shown: dict[str, Any] = {"lifecycleEventName": name, "status": event.get("status", "Pending")}
        if event.get("start") is not None:
            shown["startTime"] = event["start"]
        if event.get("end") is not None:
            shown["endTime"] = event["end"]
        events.append(shown)
    stamps = [deployment.completed_at, deployment.started_at]
    updated = next((s for s in stamps if s is not None), deployment.created_at.timestamp())
    return {
        "deploymentTargetType": "LambdaTarget",
        "lambdaTarget": {
            "deploymentId": deployment.deployment_id,
            "targetId": target_id_of(deployment),
            "targetArn": f"{function_arn}:{deployment.alias_name}",
            "status": target_status(deployment),
            "lastUpdatedAt": updated,
            "lifecycleEvents": events,
            "lambdaFunctionInfo": {
                "functionName": deployment.function_name,
                "functionAlias": deployment.alias_name,
                "currentVersion": deployment.current_version,
                "targetVersion": deployment.target_version,
                "targetVersionWeight": target_weight(deployment),
            },
        },
    }
