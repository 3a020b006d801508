"""API Gateway's REST API operations over rest-json: each view reads its members, calls one service or selector
and answers the model's shape. Errors are API Gateway's (x-amzn-ErrorType, {"message": …})."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from invocations.errors import LambdaError
from invocations.selectors import apigateway as reads
from invocations.services import apigateway as apigateway_service
from invocations.services import apigateway_errors as errors

from ..responses import aws_error_response, aws_json_response, request_id_for
from ..sigv4 import verify_request
from . import render

SIGNING_NAME = "apigateway"


def _error(error: errors.ApiGatewayError, request_id: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps({"message": error.message}), status=error.status_code, content_type="application/json"
    )
    response["x-amzn-ErrorType"] = error.error_type
    response["x-amzn-RequestId"] = request_id
    return response


def operations(**by_method: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """One path, its operations told apart by HTTP method; the SigV4 signature (service apigateway) first."""

    def view(request: HttpRequest, **kwargs: str) -> HttpResponse:
        request_id = request_id_for(request)
        try:
            request.aws_signed_by = verify_request(request, service=SIGNING_NAME)
        except LambdaError as error:
            return aws_error_response(error, request_id=request_id)
        handler = by_method.get(request.method or "")
        try:
            if handler is None:
                # ⚠ AWS answers an unknown route with its own 404; the wording here is ours.
                raise errors.NotFoundException(f"Unknown operation: {request.method} {request.path}")
            answer = handler(request, **kwargs)
        except errors.ApiGatewayError as error:
            return _error(error, request_id)
        answer["x-amzn-RequestId"] = request_id
        return answer

    view.csrf_exempt = True
    return view


def _body(request: HttpRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise errors.BadRequestException("Invalid JSON in request body") from None  # ⚠ wording unconfirmed
    if not isinstance(data, dict):
        raise errors.BadRequestException("Invalid JSON in request body")
    return data


def _string(data: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise errors.BadRequestException(f"{name} must not be null")  # ⚠ botocore checks this client-side
        return None
    if not isinstance(value, str):
        raise errors.BadRequestException(f"Invalid value for {name}")  # ⚠ wording unconfirmed
    return value


def _variables(data: dict[str, Any]) -> dict[str, str]:
    value = data.get("variables") or {}
    if not isinstance(value, dict):
        raise errors.BadRequestException("Invalid value for variables")
    return value


def _json(data: Any, status: int = 200) -> HttpResponse:
    return aws_json_response(data, status=status)


def _accepted() -> HttpResponse:
    return aws_json_response(None, status=202)


def _root_id(api) -> str | None:
    root = api.resources.filter(parent__isnull=True).first()
    return root.resource_id if root else None


# --- RestApis ------------------------------------------------------------------------------------------------------


def create_rest_api(request: HttpRequest) -> HttpResponse:
    data = _body(request)
    api = apigateway_service.rest_api_create(
        name=_string(data, "name", required=True), description=_string(data, "description") or ""
    )
    return _json(render.rest_api(api, root_id=_root_id(api)), status=201)


def get_rest_apis(request: HttpRequest) -> HttpResponse:
    from invocations.models import RestApi

    apis = RestApi.objects.order_by("created_at", "id")
    return _json({"item": [render.rest_api(api, root_id=_root_id(api)) for api in apis]})


def get_rest_api(request: HttpRequest, api_id: str) -> HttpResponse:
    api = reads.rest_api_get(api_id)
    return _json(render.rest_api(api, root_id=_root_id(api)))


def delete_rest_api(request: HttpRequest, api_id: str) -> HttpResponse:
    apigateway_service.rest_api_delete(api_id=api_id)
    return _accepted()


# --- Resources and methods -----------------------------------------------------------------------------------------


def get_resources(request: HttpRequest, api_id: str) -> HttpResponse:
    api = reads.rest_api_get(api_id)
    embed = "methods" in request.GET.getlist("embed")
    return _json({"item": [render.resource(item, embed_methods=embed) for item in reads.resources_of(api)]})


def get_resource(request: HttpRequest, api_id: str, resource_id: str) -> HttpResponse:
    api = reads.rest_api_get(api_id)
    return _json(render.resource(reads.resource_get(api, resource_id)))


def create_resource(request: HttpRequest, api_id: str, resource_id: str) -> HttpResponse:
    data = _body(request)
    created = apigateway_service.resource_create(
        api_id=api_id, parent_id=resource_id, path_part=_string(data, "pathPart", required=True)
    )
    return _json(render.resource(created), status=201)


def put_method(request: HttpRequest, api_id: str, resource_id: str, http_method: str) -> HttpResponse:
    data = _body(request)
    method = apigateway_service.method_put(
        api_id=api_id,
        resource_id=resource_id,
        http_method=http_method,
        authorization_type=_string(data, "authorizationType", required=True),
    )
    return _json(method, status=201)


def get_method(request: HttpRequest, api_id: str, resource_id: str, http_method: str) -> HttpResponse:
    resource = reads.resource_get(reads.rest_api_get(api_id), resource_id)
    method = resource.methods.get(http_method.upper())
    if method is None:
        raise errors.NotFoundException(errors.INVALID_METHOD)
    return _json(method)


def put_integration(request: HttpRequest, api_id: str, resource_id: str, http_method: str) -> HttpResponse:
    data = _body(request)
    timeout = data.get("timeoutInMillis")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int)):
        raise errors.BadRequestException("Invalid value for timeoutInMillis")
    integration = apigateway_service.integration_put(
        api_id=api_id,
        resource_id=resource_id,
        http_method=http_method,
        integration_type=_string(data, "type", required=True),
        uri=_string(data, "uri"),
        integration_http_method=_string(data, "httpMethod"),
        timeout_ms=timeout,
    )
    return _json(integration, status=201)


def get_integration(request: HttpRequest, api_id: str, resource_id: str, http_method: str) -> HttpResponse:
    resource = reads.resource_get(reads.rest_api_get(api_id), resource_id)
    method = resource.methods.get(http_method.upper())
    if method is None:
        raise errors.NotFoundException(errors.INVALID_METHOD)
    if "methodIntegration" not in method:
        raise errors.NotFoundException("No integration defined for method")
    return _json(method["methodIntegration"])


# --- Deployments and stages ----------------------------------------------------------------------------------------


def create_deployment(request: HttpRequest, api_id: str) -> HttpResponse:
    data = _body(request)
    deployment = apigateway_service.deployment_create(
        api_id=api_id,
        description=_string(data, "description") or "",
        stage_name=_string(data, "stageName"),
        stage_description=_string(data, "stageDescription") or "",
        variables=_variables(data),
    )
    return _json(render.deployment(deployment), status=201)


def create_stage(request: HttpRequest, api_id: str) -> HttpResponse:
    data = _body(request)
    stage = apigateway_service.stage_create(
        api_id=api_id,
        stage_name=_string(data, "stageName", required=True),
        deployment_id=_string(data, "deploymentId", required=True),
        description=_string(data, "description") or "",
        variables=_variables(data),
    )
    return _json(render.stage(stage), status=201)


def get_stages(request: HttpRequest, api_id: str) -> HttpResponse:
    api = reads.rest_api_get(api_id)
    stages = api.stages.select_related("deployment").order_by("name")
    if request.GET.get("deploymentId"):
        stages = stages.filter(deployment__deployment_id=request.GET["deploymentId"])
    return _json({"item": [render.stage(stage) for stage in stages]})


def get_stage(request: HttpRequest, api_id: str, stage_name: str) -> HttpResponse:
    return _json(render.stage(reads.stage_get(reads.rest_api_get(api_id), stage_name)))


def update_stage(request: HttpRequest, api_id: str, stage_name: str) -> HttpResponse:
    data = _body(request)
    patches = data.get("patchOperations") or []
    if not isinstance(patches, list) or not all(isinstance(patch, dict) for patch in patches):
        raise errors.BadRequestException("Invalid value for patchOperations")
    stage = apigateway_service.stage_update(api_id=api_id, stage_name=stage_name, patch_operations=patches)
    return _json(render.stage(reads.stage_get(reads.rest_api_get(api_id), stage.name)))


def delete_stage(request: HttpRequest, api_id: str, stage_name: str) -> HttpResponse:
    apigateway_service.stage_delete(api_id=api_id, stage_name=stage_name)
    return _accepted()
