"""Function URL configs: Create/Get/Update/Delete/ListFunctionUrlConfig(s). The FunctionUrl answered is this
server's host-based address (`http://<url-id>.lambda-url.<region>.localhost:<port>/`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from invocations import selectors, services
from invocations.models import FunctionUrlConfig
from invocations.rules.function_urls import function_url
from invocations.selectors import function_urls as url_selectors

from .common import no_content, paged, request_params, respond, split_qualifier, with_marker

# Members each answer carries, in the order of AWS's recorded answers (LastModifiedTime and InvokeMode are not in
# CreateFunctionUrlConfig's answer).
_CREATED = ("FunctionUrl", "FunctionArn", "AuthType", "Cors", "CreationTime")
_FULL = (*_CREATED, "LastModifiedTime", "InvokeMode")


def create_function_url_config(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "CreateFunctionUrlConfig")
    name, qualifier = split_qualifier(function_name, params.get("Qualifier"))
    config = services.function_url_create(
        function_name=name,
        qualifier=qualifier,
        auth_type=params["AuthType"],
        cors=params.get("Cors"),
        invoke_mode=params.get("InvokeMode"),
    )
    members = (*_CREATED, "InvokeMode") if "InvokeMode" in params else _CREATED
    return respond(request, _shape(request, config, members), status=201)


def get_function_url_config(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "GetFunctionUrlConfig")
    name, qualifier = split_qualifier(function_name, params.get("Qualifier"))
    config = url_selectors.url_config_get(function_name=name, qualifier=qualifier)
    return respond(request, _shape(request, config, _FULL))


def update_function_url_config(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "UpdateFunctionUrlConfig")
    name, qualifier = split_qualifier(function_name, params.get("Qualifier"))
    config = services.function_url_update(
        function_name=name,
        qualifier=qualifier,
        auth_type=params.get("AuthType"),
        cors=params.get("Cors"),
        invoke_mode=params.get("InvokeMode"),
    )
    return respond(request, _shape(request, config, _FULL))


def delete_function_url_config(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "DeleteFunctionUrlConfig")
    name, qualifier = split_qualifier(function_name, params.get("Qualifier"))
    services.function_url_delete(function_name=name, qualifier=qualifier)
    return no_content(request)


def list_function_url_configs(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "ListFunctionUrlConfigs")
    page, marker = paged(params, url_selectors.url_config_list(function_name=function_name))
    configs = [_shape(request, config, _FULL) for config in page]
    return respond(request, with_marker({"FunctionUrlConfigs": configs}, marker))


def _shape(request: HttpRequest, config: FunctionUrlConfig, members: tuple[str, ...]) -> dict[str, Any]:
    region = selectors.account_settings_get().region
    every = {
        "FunctionUrl": function_url(config.url_id, region=region, port=request.get_port()),
        "FunctionArn": config.function_arn,
        "AuthType": config.auth_type,
        "Cors": config.cors,
        "CreationTime": _timestamp(config.created_at),
        "LastModifiedTime": _timestamp(config.last_modified),
        "InvokeMode": config.invoke_mode,
    }
    return {name: every[name] for name in members if every[name] is not None}


def _timestamp(moment) -> str:
    # ⚠ AWS's examples show ISO-8601 with microseconds and "Z" (2023-11-06T21:24:04.766465Z).
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
