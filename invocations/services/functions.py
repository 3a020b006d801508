"""Function writes: CreateFunction, UpdateFunctionConfiguration, UpdateFunctionCode and DeleteFunction."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Sum

from ..arns import LATEST
from ..errors import (
    CodeStorageExceededException,
    InvalidParameterValueException,
    PreconditionFailedException,
    ResourceConflictException,
)
from ..models import AccountSettings, CodeKind, Function, Version
from ..rules import functions as rules
from .common import aws_write, validated

REVISION_MISMATCH = (
    "The Revision Id provided does not match the latest Revision Id. "
    "Call the GetFunction/GetAlias API to retrieve the latest Revision Id"
)


def check_revision(expected: uuid.UUID, revision_id: str | uuid.UUID | None) -> None:
    """The optimistic-locking precondition of Update*/PublishVersion calls: 412 on mismatch."""
    if revision_id is not None and str(revision_id) != str(expected):
        raise PreconditionFailedException(REVISION_MISMATCH)


def default_role() -> str:
    return f"arn:aws:iam::{AccountSettings.load().account_id}:role/lambdaviz-execution-role"


@aws_write
def function_create(
    *,
    name: str,
    runtime: str = rules.DEFAULT_RUNTIME,
    handler: str = rules.DEFAULT_HANDLER,
    role: str | None = None,
    memory_size: int = rules.MEMORY_DEFAULT,
    timeout: int = rules.TIMEOUT_DEFAULT,
    description: str = "",
    environment: dict[str, str] | None = None,
    secret_environment: dict[str, str] | None = None,
    dead_letter_target_arn: str = "",
    tracing_mode: str = "PassThrough",
    snap_start_apply_on: str = "None",
    ephemeral_storage_size: int = 512,
    behaviour_profile: dict[str, Any] | None = None,
    handler_source: str | None = None,
    code_archive: bytes = b"",
    publish: bool = False,
) -> Function:
    """Create a function ($LATEST). Code is a behaviour profile (default) or Python handler source; `code_archive` is
    the deployment package they came from (the API's zip), kept whole."""
    rules.check_name(name)
    if Function.objects.filter(name=name).exists():
        raise ResourceConflictException(f"Function already exist: {name}")
    function = Function(
        name=name,
        runtime=runtime,
        handler=handler,
        role=role if role is not None else default_role(),
        memory_size=memory_size,
        timeout=timeout,
        description=description,
        environment=dict(environment or {}),
        dead_letter_target_arn=dead_letter_target_arn,
        tracing_mode=tracing_mode,
        snap_start_apply_on=snap_start_apply_on,
        ephemeral_storage_size=ephemeral_storage_size,
    )
    function.set_secret_environment(dict(secret_environment or {}))
    # No code at all means the default behaviour profile.
    profile = behaviour_profile if behaviour_profile is not None or handler_source else {}
    _set_code(function, profile, handler_source, code_archive)
    validated(function)
    _check_code_storage(function)
    function.save()
    if publish:
        from .versions import version_publish

        version_publish(function=function)
    return function


@aws_write
def function_update_configuration(
    *,
    function: Function,
    revision_id: str | None = None,
    description: str | None = None,
    runtime: str | None = None,
    handler: str | None = None,
    role: str | None = None,
    memory_size: int | None = None,
    timeout: int | None = None,
    environment: dict[str, str] | None = None,
    secret_environment: dict[str, str] | None = None,
    dead_letter_target_arn: str | None = None,
    tracing_mode: str | None = None,
    snap_start_apply_on: str | None = None,
    ephemeral_storage_size: int | None = None,
) -> Function:
    """Change $LATEST's configuration; None leaves a setting as it is. Secrets are given in clear, stored encrypted."""
    function = Function.objects.select_for_update().get(pk=function.pk)
    check_revision(function.revision_id, revision_id)
    changes = {
        "description": description,
        "runtime": runtime,
        "handler": handler,
        "role": role,
        "memory_size": memory_size,
        "timeout": timeout,
        "environment": dict(environment) if environment is not None else None,
        "dead_letter_target_arn": dead_letter_target_arn,
        "tracing_mode": tracing_mode,
        "snap_start_apply_on": snap_start_apply_on,
        "ephemeral_storage_size": ephemeral_storage_size,
    }
    for field, value in changes.items():
        if value is not None:
            setattr(function, field, value)
    if secret_environment is not None:
        function.set_secret_environment(dict(secret_environment))
    validated(function)
    function.save()
    return function


@aws_write
def function_update_code(
    *,
    function: Function,
    behaviour_profile: dict[str, Any] | None = None,
    handler_source: str | None = None,
    code_archive: bytes = b"",
    revision_id: str | None = None,
    publish: bool = False,
) -> Function:
    """Replace $LATEST's code with a behaviour profile or Python handler source (exactly one), and the deployment
    package they came from (none for code written in the dashboard or the admin)."""
    function = Function.objects.select_for_update().get(pk=function.pk)
    check_revision(function.revision_id, revision_id)
    if behaviour_profile is None and not handler_source:
        raise InvalidParameterValueException("Please provide a source for function code.")
    _set_code(function, behaviour_profile, handler_source, code_archive)
    validated(function)
    _check_code_storage(function)
    function.save()
    if publish:
        from .versions import version_publish

        version_publish(function=function)
    return function


@aws_write
def function_delete(*, function: Function, qualifier: str | None = None) -> None:
    """DeleteFunction: the whole function, or with a version number as qualifier just that version."""
    if qualifier is None:
        Function.objects.filter(pk=function.pk).delete()
        return
    if qualifier == LATEST:
        raise InvalidParameterValueException("$LATEST version cannot be deleted without deleting the function.")
    if not qualifier.isdigit():
        # ⚠ AWS's wording for an alias qualifier is unconfirmed.
        raise InvalidParameterValueException(
            f"Deletion of aliases is not supported by DeleteFunction; use DeleteAlias for {qualifier}."
        )
    from .versions import version_delete

    version_delete(function=function, number=int(qualifier))


def _set_code(
    function: Function, behaviour_profile: dict[str, Any] | None, handler_source: str | None, code_archive: bytes
) -> None:
    if behaviour_profile is not None and handler_source:
        raise InvalidParameterValueException("Provide either a behaviour profile or Python handler source, not both.")
    # Code edited without a package replaces the old package, which would otherwise still run and be served.
    function.code_archive = code_archive
    if handler_source:
        function.code_kind = CodeKind.PYTHON
        function.handler_source = handler_source
        function.behaviour_profile = None
    else:
        function.code_kind = CodeKind.MODELLED
        function.behaviour_profile = behaviour_profile
        function.handler_source = ""


def _check_code_storage(function: Function) -> None:
    """The account's code storage quota (75 GB) covers $LATEST and every published version."""
    others = Function.objects.exclude(pk=function.pk).aggregate(total=Sum("code_size"))["total"] or 0
    versions = Version.objects.aggregate(total=Sum("code_size"))["total"] or 0
    if others + versions + len(function.code_bytes()) > rules.TOTAL_CODE_SIZE_MAX:
        raise CodeStorageExceededException("Code storage limit exceeded.")
