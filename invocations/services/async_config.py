"""Async invoke config writes: Put (overwrite), Update (merge) and Delete FunctionEventInvokeConfig (§2)."""

from __future__ import annotations

from ..arns import LATEST
from ..errors import InvalidParameterValueException, ResourceNotFoundException
from ..models import EventInvokeConfig, Function
from .common import aws_write, validated

NOTHING_GIVEN = "You must specify at least one of error handling or destination setting."


@aws_write
def event_invoke_config_put(
    *,
    function: Function,
    qualifier: str | None = None,
    maximum_retry_attempts: int | None = None,
    maximum_event_age_in_seconds: int | None = None,
    destination_config: dict | None = None,
) -> EventInvokeConfig:
    """PutFunctionEventInvokeConfig: replaces the whole config; what is not given is cleared.

    destination_config is AWS-shaped: {"OnSuccess": {"Destination": arn}, "OnFailure": {"Destination": arn}}.
    """
    if maximum_retry_attempts is None and maximum_event_age_in_seconds is None and destination_config is None:
        raise InvalidParameterValueException(NOTHING_GIVEN)
    version, alias = _target(function, qualifier)
    config = _existing(function, version, alias) or EventInvokeConfig(function=function, version=version, alias=alias)
    config.maximum_retry_attempts = maximum_retry_attempts
    config.maximum_event_age_in_seconds = maximum_event_age_in_seconds
    config.on_success, config.on_failure = _destinations(destination_config or {})
    validated(config)
    config.save()
    return config


@aws_write
def event_invoke_config_update(
    *,
    function: Function,
    qualifier: str | None = None,
    maximum_retry_attempts: int | None = None,
    maximum_event_age_in_seconds: int | None = None,
    destination_config: dict | None = None,
) -> EventInvokeConfig:
    """UpdateFunctionEventInvokeConfig: merges into the existing config; a given DestinationConfig replaces both."""
    if maximum_retry_attempts is None and maximum_event_age_in_seconds is None and destination_config is None:
        raise InvalidParameterValueException(NOTHING_GIVEN)
    version, alias = _target(function, qualifier)
    config = _existing(function, version, alias)
    if config is None:
        raise ResourceNotFoundException(
            f"The function {function.qualified_arn(qualifier or LATEST)} doesn't have an EventInvokeConfig"
        )
    if maximum_retry_attempts is not None:
        config.maximum_retry_attempts = maximum_retry_attempts
    if maximum_event_age_in_seconds is not None:
        config.maximum_event_age_in_seconds = maximum_event_age_in_seconds
    if destination_config is not None:
        config.on_success, config.on_failure = _destinations(destination_config)
    validated(config)
    config.save()
    return config


@aws_write
def event_invoke_config_delete(*, function: Function, qualifier: str | None = None) -> None:
    version, alias = _target(function, qualifier)
    config = _existing(function, version, alias)
    if config is None:
        raise ResourceNotFoundException(
            f"The function {function.qualified_arn(qualifier or LATEST)} doesn't have an EventInvokeConfig"
        )
    config.delete()


def _target(function: Function, qualifier: str | None):
    """(version, alias) for a qualifier; (None, None) is $LATEST."""
    if not qualifier or qualifier == LATEST:
        return None, None
    if qualifier.isdigit():
        version = function.versions.filter(number=int(qualifier)).first()
        if version is None:
            raise ResourceNotFoundException("The function doesn't exist.")
        return version, None
    alias = function.aliases.filter(name=qualifier).first()
    if alias is None:
        raise ResourceNotFoundException("The function doesn't exist.")
    return None, alias


def _existing(function: Function, version, alias) -> EventInvokeConfig | None:
    return EventInvokeConfig.objects.select_for_update().filter(function=function, version=version, alias=alias).first()


def _destinations(destination_config: dict) -> tuple[str, str]:
    if not isinstance(destination_config, dict):
        raise InvalidParameterValueException("DestinationConfig must be an object.")

    def arn(key: str) -> str:
        part = destination_config.get(key) or {}
        return (part.get("Destination") or "") if isinstance(part, dict) else ""

    return arn("OnSuccess"), arn("OnFailure")
