"""API Gateway REST API writes: CreateRestApi, DeleteRestApi, CreateResource, PutMethod, PutIntegration,
CreateDeployment, CreateStage, UpdateStage (patch operations), DeleteStage. Every check runs before anything is
written; a refused call changes nothing (aws_write's transaction)."""

from __future__ import annotations

from typing import Any

from ..models import AccountSettings, ApiDeployment, ApiResource, ApiStage, Function, RestApi
from ..rules import apigateway as rules
from ..selectors import apigateway as reads
from . import apigateway_errors as errors
from .common import aws_write


@aws_write
def rest_api_create(
    *, name: str, description: str = "", function: Function | None = None, stage_variable: str = ""
) -> RestApi:
    """A REST API with its root resource `/` (what GetResources lists first)."""
    if not name:
        raise errors.BadRequestException("Invalid REST API name specified")  # ⚠ wording unconfirmed
    api = RestApi.objects.create(name=name, description=description, function=function, stage_variable=stage_variable)
    ApiResource.objects.create(rest_api=api, parent=None, path_part="", path="/")
    return api


@aws_write
def rest_api_delete(*, api_id: str) -> None:
    api = reads.rest_api_get(api_id, for_update=True)
    ApiStage.objects.filter(rest_api=api).delete()  # stages first: they protect their deployments
    api.delete()


@aws_write
def resource_create(*, api_id: str, parent_id: str, path_part: str) -> ApiResource:
    api = reads.rest_api_get(api_id, for_update=True)
    parent = reads.resource_get(api, parent_id)
    if not rules.path_part_ok(path_part):
        raise errors.BadRequestException(rules.PATH_PART_MESSAGE)
    if parent.children.filter(path_part=path_part).exists():
        raise errors.ConflictException(f"Another resource with the same parent already has this name: {path_part}")
    if parent.path_part.endswith("+}"):
        # ⚠ wording unconfirmed: a greedy path variable must be the last part of a path.
        raise errors.BadRequestException("A greedy path variable must be the last path part.")
    if path_part.startswith("{") and parent.children.filter(path_part__startswith="{").exists():
        # ⚠ wording unconfirmed: one variable path part per parent.
        raise errors.BadRequestException(
            f"A sibling ({parent.children.filter(path_part__startswith='{').first().path_part}) of this resource "
            "already has a variable path part -- only one is allowed"
        )
    path = f"{parent.path.rstrip('/')}/{path_part}"
    return ApiResource.objects.create(rest_api=api, parent=parent, path_part=path_part, path=path)


@aws_write
def method_put(*, api_id: str, resource_id: str, http_method: str, authorization_type: str) -> dict[str, Any]:
    api = reads.rest_api_get(api_id)
    resource = reads.resource_get(api, resource_id, for_update=True)
    method = http_method.upper()
    if method not in rules.HTTP_METHODS:
        raise errors.BadRequestException(
            "Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY"
        )
    if method in resource.methods:
        raise errors.ConflictException("Method already exists for this resource")
    if authorization_type not in ("NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"):
        raise errors.BadRequestException(f"Invalid authorization type specified: {authorization_type}")  # ⚠
    rendered = {"httpMethod": method, "authorizationType": authorization_type, "apiKeyRequired": False}
    resource.methods = {**resource.methods, method: rendered}
    resource.save(update_fields=["methods"])
    return rendered


@aws_write
def integration_put(
    *,
    api_id: str,
    resource_id: str,
    http_method: str,
    integration_type: str,
    uri: str | None,
    integration_http_method: str | None,
    timeout_ms: int | None = None,
) -> dict[str, Any]:
    """A Lambda proxy integration (AWS_PROXY), the one front door modelled here. The URI's function is checked
    when it names no stage variable; with one, only a request to a stage can tell (a 500 if it resolves to nothing)."""
    api = reads.rest_api_get(api_id, for_update=True)
    resource = reads.resource_get(api, resource_id, for_update=True)
    method = http_method.upper()
    if method not in resource.methods:
        raise errors.NotFoundException(errors.INVALID_METHOD)
    if integration_type not in rules.INTEGRATION_TYPES:
        raise errors.BadRequestException(
            f"Invalid integration type specified. Valid options are {','.join(rules.INTEGRATION_TYPES)}"
        )  # ⚠ wording unconfirmed
    if integration_type != "AWS_PROXY":
        raise errors.BadRequestException(f"Integration type {integration_type} is not modelled here; use AWS_PROXY.")
    if not integration_http_method:
        raise errors.BadRequestException("Enumeration value for HttpMethod must be non-empty")
    parsed = rules.parse_lambda_uri(uri or "")
    if parsed is None:
        raise errors.BadRequestException("Invalid ARN specified in the request")  # ⚠ wording as recalled
    target = rules.function_target(rules.resolve(parsed.function, {v: "x" for v in parsed.stage_variables}) or "")
    if target is None:
        raise errors.BadRequestException("Invalid function ARN or invalid uri")
    function = Function.objects.defer("code_archive").filter(name=target[0]).first()
    if not parsed.stage_variables and (function is None or reads.lambda_target(*target) is None):
        raise errors.BadRequestException("Invalid function ARN or invalid uri")  # ⚠ wording as recalled
    timeout = timeout_ms if timeout_ms is not None else rules.INTEGRATION_TIMEOUT_MS
    if not 50 <= timeout <= rules.INTEGRATION_TIMEOUT_MS:
        raise errors.BadRequestException("Timeout should be between 50 ms and 29000 ms")
    rendered = {
        "type": "AWS_PROXY",
        "httpMethod": integration_http_method.upper(),
        "uri": uri,
        "passthroughBehavior": "WHEN_NO_MATCH",
        "timeoutInMillis": timeout,
        "cacheNamespace": resource.resource_id,
        "cacheKeyParameters": [],
    }
    resource.methods = {**resource.methods, method: {**resource.methods[method], "methodIntegration": rendered}}
    resource.save(update_fields=["methods"])
    if function is not None:  # the diagram draws the API beside the function its integration names
        api.function = function
        variables = parsed.stage_variables
        api.stage_variable = variables[0] if variables else ""
        api.save(update_fields=["function", "stage_variable"])
    return rendered


@aws_write
def deployment_create(
    *,
    api_id: str,
    description: str = "",
    stage_name: str | None = None,
    stage_description: str = "",
    variables: dict[str, str] | None = None,
) -> ApiDeployment:
    """A snapshot of every resource's methods; with a stage name, that stage (created or updated) serves it."""
    api = reads.rest_api_get(api_id, for_update=True)
    resources = reads.resources_of(api)
    if not any(resource.methods for resource in resources):
        raise errors.BadRequestException("The REST API doesn't contain any methods")
    if any("methodIntegration" not in method for resource in resources for method in resource.methods.values()):
        raise errors.BadRequestException("No integration defined for method")
    if stage_name is not None:
        _check_stage(stage_name, variables or {})
    deployment = ApiDeployment.objects.create(
        rest_api=api,
        description=description,
        routes=[{"id": r.resource_id, "path": r.path, "methods": r.methods} for r in resources if r.methods],
    )
    if stage_name is not None:
        stage = ApiStage.objects.filter(rest_api=api, name=stage_name).first()
        if stage is None:
            ApiStage.objects.create(
                rest_api=api,
                name=stage_name,
                deployment=deployment,
                description=stage_description,
                stage_variables=variables or {},
            )
        else:
            stage.deployment = deployment
            if variables:
                stage.stage_variables = {**stage.stage_variables, **variables}
            stage.save()
    return deployment


def _check_stage(name: str, variables: dict[str, Any]) -> None:
    if not rules.stage_name_ok(name):
        raise errors.BadRequestException(rules.STAGE_NAME_MESSAGE)
    problem = rules.bad_variable(variables)
    if problem:
        raise errors.BadRequestException(problem)


@aws_write
def stage_create(
    *, api_id: str, stage_name: str, deployment_id: str, description: str = "", variables: dict[str, str] | None = None
) -> ApiStage:
    api = reads.rest_api_get(api_id, for_update=True)
    _check_stage(stage_name, variables or {})
    deployment = ApiDeployment.objects.filter(rest_api=api, deployment_id=deployment_id).first()
    if deployment is None:
        raise errors.NotFoundException(errors.INVALID_DEPLOYMENT)
    if ApiStage.objects.filter(rest_api=api, name=stage_name).exists():
        raise errors.ConflictException("Stage already exists")
    return ApiStage.objects.create(
        rest_api=api, name=stage_name, deployment=deployment, description=description, stage_variables=variables or {}
    )


_THROTTLING = {"/*/*/throttling/rateLimit": "throttlingRateLimit", "/*/*/throttling/burstLimit": "throttlingBurstLimit"}


@aws_write
def stage_update(*, api_id: str, stage_name: str, patch_operations: list[dict[str, Any]]) -> ApiStage:
    """UpdateStage's patch operations: variables, description, deploymentId and the stage-wide throttling settings
    (kept and shown; ⚠ stage throttling is not enforced yet)."""
    api = reads.rest_api_get(api_id)
    stage = reads.stage_get(api, stage_name, for_update=True)
    variables = dict(stage.stage_variables or {})
    settings = dict(stage.method_settings or {})
    for patch in patch_operations:
        op, path, value = patch.get("op"), patch.get("path") or "", patch.get("value")
        if op not in ("replace", "add", "remove"):
            raise errors.BadRequestException(
                "Invalid patch operation specified. Must be one of: [replace, add, remove]"
            )
        if path.startswith("/variables/"):
            name = path.removeprefix("/variables/")
            if op == "remove":
                variables.pop(name, None)
            else:
                problem = rules.bad_variable({name: value})
                if problem:
                    raise errors.BadRequestException(problem)
                variables[name] = value
        elif path == "/description" and op == "replace":
            stage.description = value or ""
        elif path == "/deploymentId" and op == "replace":
            deployment = ApiDeployment.objects.filter(rest_api=api, deployment_id=value).first()
            if deployment is None:
                raise errors.BadRequestException(f"Deployment id '{value}' does not exist")  # ⚠ wording unconfirmed
            stage.deployment = deployment
        elif path in _THROTTLING and op == "replace":
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise errors.BadRequestException(f"Invalid value for {path}: {value}") from None  # ⚠ wording
            entry = {**settings.get("*/*", {}), _THROTTLING[path]: number}
            settings["*/*"] = entry
        else:
            # ⚠ AWS lists the valid paths after this sentence.
            raise errors.BadRequestException(f"Invalid patch path '{path}' specified for op '{op}'.")
    stage.stage_variables = variables
    stage.method_settings = settings
    stage.save()
    return stage


@aws_write
def stage_delete(*, api_id: str, stage_name: str) -> None:
    api = reads.rest_api_get(api_id)
    reads.stage_get(api, stage_name, for_update=True).delete()


def account_id() -> str:
    return AccountSettings.load().account_id
