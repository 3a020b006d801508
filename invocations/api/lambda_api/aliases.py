"""Aliases: CreateAlias, GetAlias, UpdateAlias, DeleteAlias and ListAliases (semantics §5)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from invocations import selectors, services

from . import shapes
from .common import no_content, paged, request_params, respond, with_marker


def create_alias(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "CreateAlias")
    function = selectors.function_get_unqualified(function_name)
    alias = services.alias_create(
        function=function,
        name=params["Name"],
        function_version=params["FunctionVersion"],
        description=params.get("Description", ""),
        routing_config=_weights(params.get("RoutingConfig")),
    )
    return respond(request, _shape(alias, function), status=201)


def get_alias(request: HttpRequest, function_name: str, name: str) -> HttpResponse:
    function = selectors.function_get_unqualified(function_name)
    alias = selectors.alias_get(function=function, name=name)
    return respond(request, _shape(alias, function))


def update_alias(request: HttpRequest, function_name: str, name: str) -> HttpResponse:
    """Given members change, the rest stay; RoutingConfig with no weights ends the split."""
    params = request_params(request, "UpdateAlias")
    function = selectors.function_get_unqualified(function_name)
    alias = selectors.alias_get_for_update(function=function, name=name)
    alias = services.alias_update(
        alias=alias,
        function_version=params.get("FunctionVersion"),
        description=params.get("Description"),
        routing_config=_weights(params.get("RoutingConfig")),
        revision_id=params.get("RevisionId"),
    )
    return respond(request, _shape(alias, function))


def delete_alias(request: HttpRequest, function_name: str, name: str) -> HttpResponse:
    function = selectors.function_get_unqualified(function_name)
    services.alias_delete(alias=selectors.alias_get_for_update(function=function, name=name))
    return no_content(request)


def list_aliases(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "ListAliases")
    function = selectors.function_get_unqualified(function_name)
    aliases = selectors.alias_list(function=function, function_version=params.get("FunctionVersion"))
    page, marker = paged(params, aliases)
    return respond(request, with_marker({"Aliases": [_shape(alias, function) for alias in page]}, marker))


def _weights(routing_config: dict[str, Any] | None) -> dict[str, float] | None:
    """RoutingConfig → AdditionalVersionWeights; None (absent) leaves the routing as it is."""
    if routing_config is None:
        return None
    return dict(routing_config.get("AdditionalVersionWeights") or {})


def _shape(alias, function) -> dict[str, Any]:
    return shapes.alias_configuration(alias, function=function, where=selectors.account_settings_get().where)
