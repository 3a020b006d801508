"""Function URL writes: CreateFunctionUrlConfig, UpdateFunctionUrlConfig and DeleteFunctionUrlConfig."""

from __future__ import annotations

from typing import Any

from ..errors import ResourceConflictException, ResourceNotFoundException
from ..models import Alias, Function, FunctionUrlConfig
from ..rules import function_urls as rules
from ..selectors import function_urls as url_selectors
from .common import aws_write, validated


@aws_write
def function_url_create(
    *,
    function_name: str,
    qualifier: str | None,
    auth_type: str,
    cors: dict[str, Any] | None = None,
    invoke_mode: str | None = None,
) -> FunctionUrlConfig:
    rules.check_qualifier(qualifier)
    rules.check_auth_type(auth_type)
    rules.check_invoke_mode(invoke_mode)
    function = url_selectors.function_or(function_name, missing=rules.FUNCTION_MISSING)
    Function.objects.select_for_update().filter(pk=function.pk).exists()  # one create at a time per function
    existing = url_selectors.url_config_for(function, qualifier)
    if existing is not None:
        # ⚠ wording as localstack's AWS-validated provider has it (two spaces after the colon included).
        raise ResourceConflictException(
            f"Failed to create function url config for [functionArn = {existing.function_arn}]. "
            "Error message:  FunctionUrlConfig exists for this Lambda function"
        )
    alias = _alias(function, qualifier, missing=rules.FUNCTION_MISSING)
    config = FunctionUrlConfig(
        function=function,
        alias=alias,
        auth_type=auth_type,
        cors=cors,
        invoke_mode=invoke_mode or FunctionUrlConfig._meta.get_field("invoke_mode").default,
    )
    validated(config)
    config.save()
    return config


@aws_write
def function_url_update(
    *,
    function_name: str,
    qualifier: str | None,
    auth_type: str | None = None,
    cors: dict[str, Any] | None = None,
    invoke_mode: str | None = None,
) -> FunctionUrlConfig:
    """Given settings change, the rest stay (a given Cors replaces the whole Cors)."""
    rules.check_qualifier(qualifier)
    rules.check_auth_type(auth_type)
    rules.check_invoke_mode(invoke_mode)
    function = url_selectors.function_or(function_name, missing=rules.FUNCTION_MISSING)
    _alias(function, qualifier, missing=rules.FUNCTION_MISSING)
    config = url_selectors.url_config_for(function, qualifier, for_update=True)
    if config is None:
        raise ResourceNotFoundException(rules.NOT_FOUND)
    if auth_type is not None:
        config.auth_type = auth_type
    if cors is not None:
        config.cors = cors
    if invoke_mode is not None:
        config.invoke_mode = invoke_mode
    validated(config)
    config.save()
    return config


@aws_write
def function_url_delete(*, function_name: str, qualifier: str | None) -> None:
    rules.check_qualifier(qualifier)
    function = url_selectors.function_or(function_name, missing=rules.NOT_FOUND)
    _alias(function, qualifier, missing=rules.NOT_FOUND)
    config = url_selectors.url_config_for(function, qualifier, for_update=True)
    if config is None:
        raise ResourceNotFoundException(rules.NOT_FOUND)
    config.delete()


def _alias(function: Function, qualifier: str | None, *, missing: str) -> Alias | None:
    if qualifier is None:
        return None
    alias = function.aliases.filter(name=qualifier).first()
    if alias is None:
        raise ResourceNotFoundException(missing)
    return alias
