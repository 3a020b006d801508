"""Concurrency: Put/Get/DeleteFunctionConcurrency (reserved, semantics §8) and
Put/Get/Delete/ListProvisionedConcurrencyConfig(s) (semantics §9)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from invocations import arns, selectors, services

from . import shapes
from .common import no_content, paged, request_params, respond, split_qualifier, with_marker


def put_function_concurrency(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "PutFunctionConcurrency")
    function = selectors.function_get_unqualified(function_name)
    concurrency = services.function_concurrency_put(
        function=function, reserved_concurrent_executions=params["ReservedConcurrentExecutions"]
    )
    return respond(request, {"ReservedConcurrentExecutions": concurrency.reserved_concurrent_executions})


def get_function_concurrency(request: HttpRequest, function_name: str) -> HttpResponse:
    """{} when nothing is reserved (the function draws on the unreserved pool)."""
    function = selectors.function_get_unqualified(function_name)
    reserved = selectors.function_concurrency_get(function=function)
    return respond(request, {} if reserved is None else {"ReservedConcurrentExecutions": reserved})


def delete_function_concurrency(request: HttpRequest, function_name: str) -> HttpResponse:
    services.function_concurrency_delete(function=selectors.function_get_unqualified(function_name))
    return no_content(request)


def put_provisioned_concurrency_config(request: HttpRequest, function_name: str) -> HttpResponse:
    """202: allocation starts (IN_PROGRESS); the runtime reports READY when the environments are up."""
    params = request_params(request, "PutProvisionedConcurrencyConfig")
    name, qualifier = split_qualifier(function_name, params["Qualifier"])
    config = services.provisioned_concurrency_put(
        function=selectors.function_get(name).function,
        qualifier=qualifier,
        provisioned_concurrent_executions=params["ProvisionedConcurrentExecutions"],
    )
    data = shapes.provisioned_concurrency(config)
    # PutProvisionedConcurrencyConfig's answer has no AvailableProvisionedConcurrentExecutions (semantics §9).
    data.pop("AvailableProvisionedConcurrentExecutions")
    return respond(request, data, status=202)


def get_provisioned_concurrency_config(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "GetProvisionedConcurrencyConfig")
    name, qualifier = split_qualifier(function_name, params["Qualifier"])
    function = selectors.function_get(name).function
    config = selectors.provisioned_concurrency_get(function=function, qualifier=qualifier)
    return respond(request, shapes.provisioned_concurrency(config))


def delete_provisioned_concurrency_config(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "DeleteProvisionedConcurrencyConfig")
    name, qualifier = split_qualifier(function_name, params["Qualifier"])
    services.provisioned_concurrency_delete(function=selectors.function_get(name).function, qualifier=qualifier)
    return no_content(request)


def list_provisioned_concurrency_configs(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "ListProvisionedConcurrencyConfigs")
    function = selectors.function_get_unqualified(function_name)
    where = selectors.account_settings_get().where
    page, marker = paged(params, selectors.provisioned_concurrency_list(function=function))
    configs = [
        shapes.provisioned_concurrency(
            config, function_arn=arns.qualified_function_arn(function.name, config.qualifier, **where)
        )
        for config in page
    ]
    return respond(request, with_marker({"ProvisionedConcurrencyConfigs": configs}, marker))


def provisioned_get_or_list(request: HttpRequest, function_name: str) -> HttpResponse:
    """GET .../provisioned-concurrency is GetProvisionedConcurrencyConfig, or with ?List=ALL the List operation."""
    if request.GET.get("List") == "ALL":
        return list_provisioned_concurrency_configs(request, function_name)
    return get_provisioned_concurrency_config(request, function_name)
