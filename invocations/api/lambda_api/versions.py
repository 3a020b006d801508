"""Versions: PublishVersion and ListVersionsByFunction (semantics §4)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from invocations import arns, selectors, services
from invocations.arns import LATEST

from . import shapes
from .common import paged, request_params, respond, with_marker


def publish_version(request: HttpRequest, function_name: str) -> HttpResponse:
    """201 with the new version; with nothing changed since the newest version, that version again (as AWS)."""
    params = request_params(request, "PublishVersion")
    function = selectors.function_get_unqualified(function_name)
    version = services.version_publish(
        function=function,
        description=params.get("Description"),
        code_sha256=params.get("CodeSha256"),
        revision_id=params.get("RevisionId"),
    )
    where = selectors.account_settings_get().where
    return respond(request, shapes.function_configuration(version, function=function, where=where), status=201)


def list_versions_by_function(request: HttpRequest, function_name: str) -> HttpResponse:
    """$LATEST (with its qualified ARN) and then every published version, oldest first."""
    params = request_params(request, "ListVersionsByFunction")
    function = selectors.function_get_unqualified(function_name)
    where = selectors.account_settings_get().where
    entries = [(function, arns.qualified_function_arn(function.name, LATEST, **where))]
    entries.extend((version, None) for version in selectors.version_list(function=function))
    page, marker = paged(params, entries)
    versions = [shapes.function_configuration(config, function=function, where=where, arn=arn) for config, arn in page]
    return respond(request, with_marker({"Versions": versions}, marker))
