"""Async invoke configuration: Put/Update/Get/Delete/ListFunctionEventInvokeConfig(s) (semantics §2)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from invocations import selectors, services

from . import shapes
from .common import no_content, paged, request_params, respond, split_qualifier, with_marker


def put_function_event_invoke_config(request: HttpRequest, function_name: str) -> HttpResponse:
    """Replaces the whole config: what is not given is cleared."""
    return _write(request, function_name, "PutFunctionEventInvokeConfig", services.event_invoke_config_put)


def update_function_event_invoke_config(request: HttpRequest, function_name: str) -> HttpResponse:
    """Merges into the existing config."""
    return _write(request, function_name, "UpdateFunctionEventInvokeConfig", services.event_invoke_config_update)


def get_function_event_invoke_config(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "GetFunctionEventInvokeConfig")
    name, qualifier = split_qualifier(function_name, params.get("Qualifier"))
    function = selectors.function_get(name).function
    config = selectors.event_invoke_config_get(function=function, qualifier=qualifier)
    return respond(request, shapes.event_invoke_config(config, where=selectors.account_settings_get().where))


def delete_function_event_invoke_config(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "DeleteFunctionEventInvokeConfig")
    name, qualifier = split_qualifier(function_name, params.get("Qualifier"))
    services.event_invoke_config_delete(function=selectors.function_get(name).function, qualifier=qualifier)
    return no_content(request)


def list_function_event_invoke_configs(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "ListFunctionEventInvokeConfigs")
    function = selectors.function_get_unqualified(function_name)
    where = selectors.account_settings_get().where
    page, marker = paged(params, selectors.event_invoke_config_list(function=function))
    configs = [shapes.event_invoke_config(config, where=where) for config in page]
    return respond(request, with_marker({"FunctionEventInvokeConfigs": configs}, marker))


def _write(request: HttpRequest, function_name: str, operation: str, write) -> HttpResponse:
    params = request_params(request, operation)
    name, qualifier = split_qualifier(function_name, params.get("Qualifier"))
    config = write(
        function=selectors.function_get(name).function,
        qualifier=qualifier,
        maximum_retry_attempts=params.get("MaximumRetryAttempts"),
        maximum_event_age_in_seconds=params.get("MaximumEventAgeInSeconds"),
        destination_config=params.get("DestinationConfig"),
    )
    return respond(request, shapes.event_invoke_config(config, where=selectors.account_settings_get().where))
