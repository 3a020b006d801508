"""API Gateway's answers as botocore's apigateway model shapes them: RestApi, Resource, Method, Integration,
Deployment, Stage (timestamps as epoch seconds, as AWS's JSON sends them)."""

from __future__ import annotations

from typing import Any

from invocations.models import ApiDeployment, ApiResource, ApiStage, RestApi


def _epoch(moment) -> int:
    return int(moment.timestamp())


def rest_api(api: RestApi, *, root_id: str | None) -> dict[str, Any]:
    shaped: dict[str, Any] = {"id": api.api_id, "name": api.name}
    if api.description:
        shaped["description"] = api.description
    shaped |= {
        "createdDate": _epoch(api.created_at),
        "apiKeySource": "HEADER",
        "endpointConfiguration": {"types": ["EDGE"]},
        "disableExecuteApiEndpoint": False,
    }
    if root_id:
        shaped["rootResourceId"] = root_id
    return shaped


def resource(item: ApiResource, *, embed_methods: bool = False) -> dict[str, Any]:
    shaped: dict[str, Any] = {"id": item.resource_id}
    if item.parent is not None:
        shaped |= {"parentId": item.parent.resource_id, "pathPart": item.path_part}
    shaped["path"] = item.path
    if item.methods:
        # Without embed=methods, AWS lists each method's name with an empty body.
        shaped["resourceMethods"] = {name: (method if embed_methods else {}) for name, method in item.methods.items()}
    return shaped


def deployment(item: ApiDeployment) -> dict[str, Any]:
    shaped: dict[str, Any] = {"id": item.deployment_id}
    if item.description:
        shaped["description"] = item.description
    shaped["createdDate"] = _epoch(item.created_at)
    return shaped


def stage(item: ApiStage) -> dict[str, Any]:
    settings = {
        key: {"throttlingRateLimit": 10000.0, "throttlingBurstLimit": 5000, **value}
        for key, value in (item.method_settings or {}).items()
    }
    shaped: dict[str, Any] = {
        "deploymentId": item.deployment.deployment_id if item.deployment else "",
        "stageName": item.name,
    }
    if item.description:
        shaped["description"] = item.description
    shaped |= {"cacheClusterEnabled": False, "cacheClusterStatus": "NOT_AVAILABLE", "methodSettings": settings}
    if item.stage_variables:
        shaped["variables"] = dict(item.stage_variables)
    shaped |= {
        "tracingEnabled": False,
        "createdDate": _epoch(item.created_at),
        "lastUpdatedDate": _epoch(item.last_updated),
    }
    return shaped
