"""A Lambda deployment's one target (ListDeploymentTargets, GetDeploymentTarget): the alias, named
`function:alias`, with the lifecycle events of the run (codedeploy_run.py)."""

from __future__ import annotations

from ..models import Deployment, Function
from . import codedeploy_errors as errors
from .codedeploy_deployments import deployment_get


def target_id_of(deployment: Deployment) -> str:
    return f"{deployment.function_name}:{deployment.alias_name}"


def deployment_targets(*, deployment_id: object) -> list[str]:
    return [target_id_of(deployment_get(deployment_id=deployment_id))]


def deployment_target_get(*, deployment_id: object, target_id: object) -> tuple[Deployment, str]:
    """The deployment and its function's ARN (the target's is the alias's)."""
    deployment = deployment_get(deployment_id=deployment_id)
    if target_id is None or target_id == "":
        raise errors.DeploymentTargetIdRequiredException()
    if target_id != target_id_of(deployment):
        raise errors.DeploymentTargetDoesNotExistException()
    function = Function.objects.filter(name=deployment.function_name).first()
    arn = function.arn if function is not None else deployment.function_name
    return deployment, arn
