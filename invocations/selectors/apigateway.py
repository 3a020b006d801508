"""Reads of API Gateway REST APIs: the API, resource or stage a call names (AWS's 404s), and what a request to a
stage needs to go through (its deployed routes, its variables, the target function's resource policy)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..models import AccountSettings, ApiResource, ApiStage, Function, ResourcePolicy, RestApi
from ..services import apigateway_errors as errors


def rest_api_get(api_id: str, *, for_update: bool = False) -> RestApi:
    apis = RestApi.objects.select_for_update() if for_update else RestApi.objects
    api = apis.filter(api_id=api_id).first()
    if api is None:
        raise errors.invalid_api(account_id=AccountSettings.load().account_id, api_id=api_id)
    return api


def resource_get(api: RestApi, resource_id: str, *, for_update: bool = False) -> ApiResource:
    resources = ApiResource.objects.select_for_update() if for_update else ApiResource.objects
    resource = resources.filter(rest_api=api, resource_id=resource_id).first()
    if resource is None:
        raise errors.NotFoundException(errors.INVALID_RESOURCE)
    return resource


def stage_get(api: RestApi, name: str, *, for_update: bool = False) -> ApiStage:
    stages = ApiStage.objects.select_for_update() if for_update else ApiStage.objects
    stage = stages.select_related("deployment", "rest_api").filter(rest_api=api, name=name).first()
    if stage is None:
        raise errors.NotFoundException(errors.INVALID_STAGE)
    return stage


def resources_of(api: RestApi) -> list[ApiResource]:
    return list(ApiResource.objects.filter(rest_api=api).select_related("parent").order_by("path", "id"))


@dataclass(frozen=True)
class StageDoor:
    """Everything a request to a stage needs, read in one go."""

    api_id: str
    stage: str
    deployment_id: str
    variables: dict[str, str]
    routes: list[dict[str, Any]]
    region: str
    account_id: str


def stage_door(api_id: str, stage: str) -> StageDoor | None:
    found = (
        ApiStage.objects.select_related("deployment", "rest_api")
        .filter(rest_api__api_id=api_id, name=stage, deployment__isnull=False)
        .first()
    )
    if found is None:
        return None
    account = AccountSettings.load()
    return StageDoor(
        api_id=api_id,
        stage=found.name,
        deployment_id=found.deployment.deployment_id,
        variables=dict(found.stage_variables or {}),
        routes=list(found.deployment.routes or []),
        region=account.region,
        account_id=account.account_id,
    )


@dataclass(frozen=True)
class LambdaTarget:
    target: str  # "name" or "name:qualifier", as the engine host is asked
    statements: list[dict[str, Any]]
    timeout_s: float


def lambda_target(name: str, qualifier: str | None) -> LambdaTarget | None:
    """The function (alias or version) an integration resolves to and the policy Lambda evaluates for it; None when
    it does not exist (Lambda refuses the invocation)."""
    function = Function.objects.defer("code_archive").filter(name=name).first()
    if function is None:
        return None
    alias = version = None
    if qualifier and qualifier != "$LATEST":
        if qualifier.isdigit():
            version = function.versions.defer("code_archive").filter(number=int(qualifier)).first()
            if version is None:
                return None
        else:
            alias = function.aliases.select_related("version").filter(name=qualifier).first()
            if alias is None:
                return None
    policy = ResourcePolicy.objects.filter(function=function, version=version, alias=alias).first()
    timeout = (alias.version if alias else version or function).timeout
    return LambdaTarget(
        target=f"{name}:{qualifier}" if qualifier else name,
        statements=list(policy.statements) if policy else [],
        timeout_s=float(timeout),
    )
