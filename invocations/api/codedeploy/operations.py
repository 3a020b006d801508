"""One function per CodeDeploy operation: the decoded input (botocore's member names) in, the output shape out;
the services validate and write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...services import codedeploy_applications as applications
from ...services import codedeploy_configs as configs
from ...services import codedeploy_deployments as deployments
from ...services import codedeploy_groups as groups
from ...services import codedeploy_run as run
from ...services import codedeploy_targets as targets
from .render import application_info, config_info, deployment_info, group_info, lambda_target

Params = dict[str, Any]


def _with_token(body: dict[str, Any], token: str | None) -> dict[str, Any]:
    return {**body, "nextToken": token} if token else body


# --- applications ----------------------------------------------------------------------------------------------


def create_application(params: Params) -> dict[str, Any]:
    application = applications.application_create(
        name=params.get("applicationName"), compute_platform=params.get("computePlatform")
    )
    return {"applicationId": str(application.application_id)}


def get_application(params: Params) -> dict[str, Any]:
    return {"application": application_info(applications.application_get(name=params.get("applicationName")))}


def batch_get_applications(params: Params) -> dict[str, Any]:
    found = applications.applications_batch_get(names=params.get("applicationNames"))
    return {"applicationsInfo": [application_info(a) for a in found]}


def list_applications(params: Params) -> dict[str, Any]:
    names, token = applications.application_list(next_token=params.get("nextToken"))
    return _with_token({"applications": names}, token)


def delete_application(params: Params) -> dict[str, Any]:
    applications.application_delete(name=params.get("applicationName"))
    return {}


# --- deployment groups -----------------------------------------------------------------------------------------


def create_deployment_group(params: Params) -> dict[str, Any]:
    group = groups.deployment_group_create(
        application_name=params.get("applicationName"),
        name=params.get("deploymentGroupName"),
        service_role_arn=params.get("serviceRoleArn"),
        deployment_config_name=params.get("deploymentConfigName"),
        deployment_style=params.get("deploymentStyle"),
        alarm_configuration=params.get("alarmConfiguration"),
        auto_rollback_configuration=params.get("autoRollbackConfiguration"),
    )
    return {"deploymentGroupId": str(group.group_id)}


def get_deployment_group(params: Params) -> dict[str, Any]:
    group = groups.deployment_group_get(
        application_name=params.get("applicationName"), name=params.get("deploymentGroupName")
    )
    return {"deploymentGroupInfo": group_info(group)}


def update_deployment_group(params: Params) -> dict[str, Any]:
    groups.deployment_group_update(
        application_name=params.get("applicationName"),
        current_name=params.get("currentDeploymentGroupName"),
        new_name=params.get("newDeploymentGroupName"),
        service_role_arn=params.get("serviceRoleArn"),
        deployment_config_name=params.get("deploymentConfigName"),
        deployment_style=params.get("deploymentStyle"),
        alarm_configuration=params.get("alarmConfiguration"),
        auto_rollback_configuration=params.get("autoRollbackConfiguration"),
    )
    return {"hooksNotCleanedUp": []}


def delete_deployment_group(params: Params) -> dict[str, Any]:
    groups.deployment_group_delete(
        application_name=params.get("applicationName"), name=params.get("deploymentGroupName")
    )
    return {"hooksNotCleanedUp": []}


def list_deployment_groups(params: Params) -> dict[str, Any]:
    application_name = params.get("applicationName")
    names, token = groups.deployment_group_list(application_name=application_name, next_token=params.get("nextToken"))
    return _with_token({"applicationName": application_name, "deploymentGroups": names}, token)


# --- deployment configs ----------------------------------------------------------------------------------------


def create_deployment_config(params: Params) -> dict[str, Any]:
    config = configs.deployment_config_create(
        name=params.get("deploymentConfigName"),
        compute_platform=params.get("computePlatform"),
        traffic_routing_config=params.get("trafficRoutingConfig"),
        minimum_healthy_hosts=params.get("minimumHealthyHosts"),
    )
    return {"deploymentConfigId": str(config.config_id)}


def get_deployment_config(params: Params) -> dict[str, Any]:
    return {"deploymentConfigInfo": config_info(configs.deployment_config_get(name=params.get("deploymentConfigName")))}


def list_deployment_configs(params: Params) -> dict[str, Any]:
    names, token = configs.deployment_config_list(next_token=params.get("nextToken"))
    return _with_token({"deploymentConfigsList": names}, token)


def delete_deployment_config(params: Params) -> dict[str, Any]:
    configs.deployment_config_delete(name=params.get("deploymentConfigName"))
    return {}


# --- deployments ---------------------------------------------------------------------------


def create_deployment(params: Params) -> dict[str, Any]:
    deployment = deployments.deployment_create(
        application_name=params.get("applicationName"),
        group=params.get("deploymentGroupName"),
        revision=params.get("revision"),
        deployment_config_name=params.get("deploymentConfigName"),
        description=params.get("description"),
        auto_rollback_configuration=params.get("autoRollbackConfiguration"),
    )
    return {"deploymentId": deployment.deployment_id}


def get_deployment(params: Params) -> dict[str, Any]:
    return {"deploymentInfo": deployment_info(deployments.deployment_get(deployment_id=params.get("deploymentId")))}


def list_deployments(params: Params) -> dict[str, Any]:
    ids, token = deployments.deployment_list(
        application_name=params.get("applicationName"),
        group=params.get("deploymentGroupName"),
        statuses=params.get("includeOnlyStatuses"),
        next_token=params.get("nextToken"),
    )
    return _with_token({"deployments": ids}, token)


def batch_get_deployments(params: Params) -> dict[str, Any]:
    found = deployments.deployments_batch_get(ids=params.get("deploymentIds"))
    return {"deploymentsInfo": [deployment_info(d) for d in found]}


def stop_deployment(params: Params) -> dict[str, Any]:
    status, message = run.deployment_stop(
        deployment_id=params.get("deploymentId"), auto_rollback_enabled=params.get("autoRollbackEnabled")
    )
    return {"status": status, "statusMessage": message}


def put_lifecycle_event_hook_execution_status(params: Params) -> dict[str, Any]:
    execution_id = run.hook_status_put(
        deployment_id=params.get("deploymentId"),
        execution_id=params.get("lifecycleEventHookExecutionId"),
        status=params.get("status"),
    )
    return {"lifecycleEventHookExecutionId": execution_id}


def list_deployment_targets(params: Params) -> dict[str, Any]:
    return {"targetIds": targets.deployment_targets(deployment_id=params.get("deploymentId"))}


def get_deployment_target(params: Params) -> dict[str, Any]:
    deployment, arn = targets.deployment_target_get(
        deployment_id=params.get("deploymentId"), target_id=params.get("targetId")
    )
    return {"deploymentTarget": lambda_target(deployment, function_arn=arn)}


OPERATIONS: dict[str, Callable[[Params], dict[str, Any]]] = {
    "CreateApplication": create_application,
    "GetApplication": get_application,
    "BatchGetApplications": batch_get_applications,
    "ListApplications": list_applications,
    "DeleteApplication": delete_application,
    "CreateDeploymentGroup": create_deployment_group,
    "GetDeploymentGroup": get_deployment_group,
    "UpdateDeploymentGroup": update_deployment_group,
    "DeleteDeploymentGroup": delete_deployment_group,
    "ListDeploymentGroups": list_deployment_groups,
    "CreateDeploymentConfig": create_deployment_config,
    "GetDeploymentConfig": get_deployment_config,
    "ListDeploymentConfigs": list_deployment_configs,
    "DeleteDeploymentConfig": delete_deployment_config,
    "CreateDeployment": create_deployment,
    "GetDeployment": get_deployment,
    "ListDeployments": list_deployments,
    "BatchGetDeployments": batch_get_deployments,
    "StopDeployment": stop_deployment,
    "PutLifecycleEventHookExecutionStatus": put_lifecycle_event_hook_execution_status,
    "ListDeploymentTargets": list_deployment_targets,
    "GetDeploymentTarget": get_deployment_target,
}
