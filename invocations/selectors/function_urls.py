"""Reads of function URLs: the config a Lambda API call names, and what a request to a URL needs to go through."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .. import selectors
from ..errors import ResourceNotFoundException
from ..models import AccountSettings, Function, FunctionUrlConfig, ResourcePolicy
from ..rules import function_urls as rules


def function_or(function_name: str, *, missing: str) -> Function:
    """The function a URL call names; the URL operations word a missing one their own way."""
    try:
        return selectors.function_get(function_name).function
    except ResourceNotFoundException:
        raise ResourceNotFoundException(missing) from None


def url_config_for(function: Function, qualifier: str | None, *, for_update: bool = False) -> FunctionUrlConfig | None:
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to the alias; the config row is enough.
    configs = FunctionUrlConfig.objects.select_for_update(of=("self",)) if for_update else FunctionUrlConfig.objects
    configs = configs.select_related("function", "alias").filter(function=function)
    if qualifier is None:
        return configs.filter(alias__isnull=True).first()
    return configs.filter(alias__name=qualifier).first()


def url_config_get(*, function_name: str, qualifier: str | None) -> FunctionUrlConfig:
    rules.check_qualifier(qualifier)
    function = function_or(function_name, missing=rules.NOT_FOUND)
    config = url_config_for(function, qualifier)
    if config is None:
        raise ResourceNotFoundException(rules.NOT_FOUND)
    return config


def url_config_list(*, function_name: str) -> QuerySet[FunctionUrlConfig]:
    function = function_or(function_name, missing=rules.FUNCTION_MISSING)
    return FunctionUrlConfig.objects.select_related("function", "alias").filter(function=function).order_by("id")


@dataclass(frozen=True)
class UrlDoor:
    """Everything a request to a function URL needs, read in one go: where it goes and who may pass."""

    url_id: str
    target: str  # "name" or "name:alias", as the engine host is asked
    auth_type: str
    cors: dict[str, Any] | None
    statements: list[dict[str, Any]]  # the resource policy of the URL's qualifier
    timeout_s: float
    region: str
    account_id: str


def url_door(url_id: str) -> UrlDoor | None:
    """The URL with this id, or None. The policy read is the one of the URL's own qualifier (the function's for an
    unqualified URL, the alias's for an alias URL), as AWS evaluates it."""
    config = (
        FunctionUrlConfig.objects.select_related("function", "alias__version", "alias__routing_version")
        .defer("function__code_archive", "alias__version__code_archive", "alias__routing_version__code_archive")
        .filter(url_id=url_id)
        .first()
    )
    if config is None:
        return None
    policy = ResourcePolicy.objects.filter(
        function_id=config.function_id, version__isnull=True, alias=config.alias
    ).first()
    timeouts = [config.function.timeout]
    if config.alias is not None:
        timeouts = [
            v.timeout for v in (config.alias.version, config.alias.routing_version) if v is not None
        ] or timeouts
    account = AccountSettings.load()
    return UrlDoor(
        url_id=config.url_id,
        target=config.target,
        auth_type=config.auth_type,
        cors=config.cors,
        statements=list(policy.statements) if policy else [],
        timeout_s=float(max(timeouts)),
        region=account.region,
        account_id=account.account_id,
    )
