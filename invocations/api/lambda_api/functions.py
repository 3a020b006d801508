"""Functions: CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, UpdateFunctionCode,
UpdateFunctionConfiguration and DeleteFunction."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from invocations import arns, selectors, services
from invocations.arns import LATEST
from invocations.errors import InvalidParameterValueException, ValidationException
from invocations.kms import MASK
from invocations.models.configuration import FunctionConfiguration
from invocations.rules.messages import constraint_failed, enum_failed

from . import shapes
from .code import NOT_SUPPORTED, code_from_request
from .code_location import code_location
from .common import check_size, dry_run, no_content, paged, request_params, respond, split_qualifier, with_marker

# AWS's limit on a CreateFunction/UpdateFunctionCode request: a 50 MB zip, base64-encoded, plus the JSON around it.
CODE_REQUEST_LIMIT = 69_905_067
MANDATORY = "Runtime and Handler are mandatory parameters for functions created with deployment packages."


def create_function(request: HttpRequest) -> HttpResponse:
    check_size(request, CODE_REQUEST_LIMIT, "CreateFunction")
    params = request_params(request, "CreateFunction")
    if params.get("PackageType", "Zip") != "Zip":
        raise InvalidParameterValueException(NOT_SUPPORTED)
    runtime, handler = params.get("Runtime"), params.get("Handler")
    if not runtime or not handler:
        raise InvalidParameterValueException(MANDATORY)
    code = code_from_request(params["Code"], handler=handler)
    plain, _ = environment_from_request(params.get("Environment"), None)
    optional = {
        "memory_size": params.get("MemorySize"),
        "timeout": params.get("Timeout"),
        "description": params.get("Description"),
        "environment": plain,
        "dead_letter_target_arn": _dead_letter_target(params),
        "tracing_mode": _tracing_mode(params),
        "snap_start_apply_on": _snap_start(params),
        "ephemeral_storage_size": _ephemeral_storage(params),
    }
    function = services.function_create(
        name=_name_to_create(params["FunctionName"]),
        runtime=runtime,
        handler=handler,
        role=params["Role"],
        behaviour_profile=code.behaviour_profile,
        handler_source=code.handler_source,
        code_archive=code.archive,
        publish=bool(params.get("Publish")),
        **{key: value for key, value in optional.items() if value is not None},
    )
    request.created_function = function.name  # the path names no function: the announcement needs it
    config = selectors.version_list(function=function).last() if params.get("Publish") else function
    where = selectors.account_settings_get().where
    return respond(request, shapes.function_configuration(config, function=function, where=where), status=201)


def get_function(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "GetFunction")
    qualified = selectors.function_get(function_name, params.get("Qualifier"))
    where = selectors.account_settings_get().where
    data: dict[str, Any] = {
        "Configuration": shapes.function_configuration(
            qualified.configuration, function=qualified.function, where=where, arn=qualified.arn
        ),
        "Code": {"RepositoryType": "S3", "Location": code_location(request, qualified)},
    }
    reserved = qualified.function.reserved_concurrency
    if reserved is not None:
        data["Concurrency"] = {"ReservedConcurrentExecutions": reserved}
    return respond(request, data)


def get_function_configuration(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "GetFunctionConfiguration")
    qualified = selectors.function_get(function_name, params.get("Qualifier"))
    where = selectors.account_settings_get().where
    data = shapes.function_configuration(
        qualified.configuration, function=qualified.function, where=where, arn=qualified.arn
    )
    return respond(request, data)


def list_functions(request: HttpRequest) -> HttpResponse:
    """$LATEST of every function; with FunctionVersion=ALL every published version too (qualified ARNs)."""
    params = request_params(request, "ListFunctions")
    every_version = params.get("FunctionVersion")
    if every_version is not None and every_version != "ALL":
        raise ValidationException(enum_failed(every_version, "functionVersion", ["ALL"]))
    where = selectors.account_settings_get().where
    entries: list[tuple[FunctionConfiguration, Any, str | None]] = []
    for function in selectors.function_list():
        if every_version:
            entries.append((function, function, arns.qualified_function_arn(function.name, LATEST, **where)))
            entries.extend((version, function, None) for version in selectors.version_list(function=function))
        else:
            entries.append((function, function, None))
    page, marker = paged(params, entries)
    functions = [
        shapes.function_configuration(config, function=function, where=where, arn=arn) for config, function, arn in page
    ]
    return respond(request, with_marker({"Functions": functions}, marker))


def delete_function(request: HttpRequest, function_name: str) -> HttpResponse:
    """The whole function, or with a version number as Qualifier only that version (204 either way)."""
    params = request_params(request, "DeleteFunction")
    name, qualifier = split_qualifier(function_name, params.get("Qualifier"))
    function = selectors.function_get(name).function
    services.function_delete(function=function, qualifier=qualifier)
    return no_content(request)


def update_function_code(request: HttpRequest, function_name: str) -> HttpResponse:
    """A new zip for $LATEST (read against $LATEST's handler); Publish also publishes a version and answers with it;
    DryRun validates the zip and answers as if, changing nothing."""
    check_size(request, CODE_REQUEST_LIMIT, "UpdateFunctionCode")
    params = request_params(request, "UpdateFunctionCode")
    function = selectors.function_get_unqualified(function_name)
    code = code_from_request(
        {key: params.get(key) for key in ("ZipFile", "S3Bucket", "S3Key", "ImageUri")}, handler=function.handler
    )
    publish = bool(params.get("Publish"))
    where = selectors.account_settings_get().where

    def update() -> dict[str, Any]:
        updated = services.function_update_code(
            function=function,
            behaviour_profile=code.behaviour_profile,
            handler_source=code.handler_source,
            code_archive=code.archive,
            revision_id=params.get("RevisionId"),
            publish=publish,
        )
        config = selectors.version_list(function=updated).last() if publish else updated
        return shapes.function_configuration(config, function=updated, where=where)

    return respond(request, dry_run(update) if params.get("DryRun") else update())


def update_function_configuration(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "UpdateFunctionConfiguration")
    function = selectors.function_get_unqualified(function_name)
    plain, secret = environment_from_request(params.get("Environment"), function)
    updated = services.function_update_configuration(
        function=function,
        revision_id=params.get("RevisionId"),
        description=params.get("Description"),
        runtime=params.get("Runtime"),
        handler=params.get("Handler"),
        role=params.get("Role"),
        memory_size=params.get("MemorySize"),
        timeout=params.get("Timeout"),
        environment=plain,
        secret_environment=secret,
        dead_letter_target_arn=_dead_letter_target(params),
        tracing_mode=_tracing_mode(params),
        snap_start_apply_on=_snap_start(params),
        ephemeral_storage_size=_ephemeral_storage(params),
    )
    where = selectors.account_settings_get().where
    return respond(request, shapes.function_configuration(updated, function=updated, where=where))


def environment_from_request(
    environment: dict[str, Any] | None, current: FunctionConfiguration | None
) -> tuple[dict[str, str] | None, dict[str, str] | None]:
    """(plain, secret) variables from Environment.Variables, which replaces the whole set as on AWS.

    Secret variables (set in the dashboard, stored encrypted) are shown as ****. A request that sends a secret's
    key back with **** keeps its value; with another value it replaces the value and the variable stays secret;
    without the key it is removed. (None, None) when the request has no Environment: nothing changes.
    """
    if environment is None:
        return None, None
    variables = environment.get("Variables") or {}
    secrets = current.secret_environment_clear() if current is not None else {}
    plain: dict[str, str] = {}
    secret: dict[str, str] = {}
    for key, value in variables.items():
        if key in secrets:
            secret[key] = secrets[key] if value == MASK else value
        else:
            plain[key] = value
    return plain, secret


def _dead_letter_target(params: dict[str, Any]) -> str | None:
    """DeadLetterConfig.TargetArn; an empty DeadLetterConfig removes the DLQ; absent leaves it (None)."""
    config = params.get("DeadLetterConfig")
    if config is None:
        return None
    return config.get("TargetArn") or ""


def _tracing_mode(params: dict[str, Any]) -> str | None:
    """TracingConfig.Mode as sent (checked by the model's rules); absent leaves it (None)."""
    return (params.get("TracingConfig") or {}).get("Mode")


def _snap_start(params: dict[str, Any]) -> str | None:
    """SnapStart.ApplyOn as sent (checked by the model's rules, runtime included); absent leaves it (None)."""
    return (params.get("SnapStart") or {}).get("ApplyOn")


def _ephemeral_storage(params: dict[str, Any]) -> int | None:
    """EphemeralStorage.Size in MB as sent (Size is required in it, an integer: checked by request_params against
    the model; the range by the model's rules); absent leaves it (None)."""
    storage = params.get("EphemeralStorage")
    if storage is None:
        return None
    if storage.get("Size") is None:  # a required member of a nested structure: request_params checks top level only
        raise ValidationException(constraint_failed(None, "ephemeralStorage.size", "Member must not be null"))
    return storage["Size"]


def _name_to_create(function_name: str) -> str:
    """CreateFunction's FunctionName may be a name, a partial or a full ARN; the function is named by its name part."""
    ref = arns.parse_function_ref(function_name)
    return ref.name if ref is not None else function_name
