"""Concurrency writes: Put/DeleteFunctionConcurrency and Put/DeleteProvisionedConcurrencyConfig (§8, §9)."""

from __future__ import annotations

from ..arns import LATEST
from ..errors import InvalidParameterValueException, ResourceNotFoundException
from ..models import (
    Function,
    FunctionConcurrency,
    ProvisionedConcurrencyConfig,
    ProvisionedConcurrencyStatus,
)
from .announcements import announce_on_commit
from .common import aws_write, lock_account, validated

UNPUBLISHED = "Provisioned Concurrency Configs cannot be applied to unpublished function versions."


@aws_write
def function_concurrency_put(*, function: Function, reserved_concurrent_executions: int) -> FunctionConcurrency:
    """Reserve concurrency for the whole function (all versions); 0 throttles every invoke."""
    # Serialise reservations so two writers cannot both take the last unreserved slots.
    lock_account()
    concurrency = FunctionConcurrency.objects.filter(function=function).first() or FunctionConcurrency(
        function=function
    )
    concurrency.reserved_concurrent_executions = reserved_concurrent_executions
    validated(concurrency)
    concurrency.save()
    return concurrency


@aws_write
def function_concurrency_delete(*, function: Function) -> None:
    """Remove the reservation: the function draws on the unreserved pool again."""
    FunctionConcurrency.objects.filter(function=function).delete()


@aws_write
def provisioned_concurrency_put(
    *, function: Function, qualifier: str, provisioned_concurrent_executions: int
) -> ProvisionedConcurrencyConfig:
    """Provision environments for an alias or published version; the runtime allocates them (IN_PROGRESS → READY)."""
    lock_account()
    version, alias = _target(function, qualifier)
    config = ProvisionedConcurrencyConfig.objects.filter(
        function=function, version=version, alias=alias
    ).first() or ProvisionedConcurrencyConfig(function=function, version=version, alias=alias)
    config.requested = provisioned_concurrent_executions
    config.allocated = min(config.allocated, max(provisioned_concurrent_executions, 0))
    config.status = ProvisionedConcurrencyStatus.IN_PROGRESS
    config.status_reason = ""
    validated(config)
    config.save()
    return config


@aws_write
def provisioned_concurrency_delete(*, function: Function, qualifier: str) -> None:
    """Delete the config of an alias or version (a missing config is not an error, as in AWS)."""
    version, alias = _target(function, qualifier)
    ProvisionedConcurrencyConfig.objects.filter(function=function, version=version, alias=alias).delete()


@aws_write
def provisioned_concurrency_report(
    *, config: ProvisionedConcurrencyConfig, allocated: int, status: str, status_reason: str = ""
) -> ProvisionedConcurrencyConfig:
    """For the runtime: record how many environments are allocated and whether the config is READY or FAILED."""
    config = ProvisionedConcurrencyConfig.objects.select_for_update().get(pk=config.pk)
    if status not in ProvisionedConcurrencyStatus.values:
        raise InvalidParameterValueException(f"Unknown provisioned concurrency status {status}.")
    config.allocated = max(0, min(allocated, config.requested))
    config.status = status
    config.status_reason = status_reason
    config.save()
    return config


def _target(function: Function, qualifier: str | None):
    """(version, alias) for a qualifier; $LATEST and unqualified are refused (semantics §9)."""
    if not qualifier or qualifier == LATEST:
        raise InvalidParameterValueException(UNPUBLISHED)
    if qualifier.isdigit():
        version = function.versions.filter(number=int(qualifier)).first()
        if version is None:
            raise ResourceNotFoundException(f"Function not found: {function.qualified_arn(qualifier)}")
        return version, None
    alias = function.aliases.filter(name=qualifier).first()
    if alias is None:
        raise ResourceNotFoundException(f"Cannot find alias arn: {function.qualified_arn(qualifier)}")
    return None, alias


def function_concurrency_set(*, function: Function, reserved: int | None) -> None:
    """The dashboard's reserved-concurrency control (None removes the reservation), announced once committed."""
    if reserved is None:
        function_concurrency_delete(function=function)
    else:
        function_concurrency_put(function=function, reserved_concurrent_executions=reserved)
    announce_on_commit("ConcurrencyChanged", function.name, reserved=reserved)
