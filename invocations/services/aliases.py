"""Alias writes: CreateAlias, UpdateAlias (weighted routing) and DeleteAlias (semantics §5)."""

from __future__ import annotations

from django.db import transaction

from .. import selectors
from ..arns import LATEST
from ..errors import InvalidParameterValueException, ResourceConflictException, ResourceNotFoundException
from ..models import Alias, Function, Version
from ..rules import aliases as rules
from ..rules.functions import check_description
from .announcements import announce_on_commit
from .common import aws_write, validated
from .functions import check_revision


@aws_write
def alias_create(
    *,
    function: Function,
    name: str,
    function_version: str,
    description: str = "",
    routing_config: dict[str, float] | None = None,
) -> Alias:
    """Point `name` at "$LATEST" or a version number; routing_config is AdditionalVersionWeights ({"2": 0.05})."""
    rules.check_name(name)
    rules.check_function_version(function_version)
    check_description(description)
    version = _version(function, function_version)
    existing = function.aliases.filter(name=name).first()
    if existing is not None:
        raise ResourceConflictException(f"Alias already exists: {existing.arn}")
    alias = Alias(function=function, name=name, description=description, version=version)
    _apply_routing(alias, function_version, routing_config or {})
    validated(alias)
    alias.save()
    return alias


@aws_write
def alias_update(
    *,
    alias: Alias,
    function_version: str | None = None,
    description: str | None = None,
    routing_config: dict[str, float] | None = None,
    revision_id: str | None = None,
) -> Alias:
    """Change an alias; None leaves a setting as it is, routing_config={} removes the routing."""
    alias = Alias.objects.select_for_update().select_related("function").get(pk=alias.pk)
    check_revision(alias.revision_id, revision_id)
    if function_version is not None:
        rules.check_function_version(function_version)
        alias.version = _version(alias.function, function_version)
    if description is not None:
        check_description(description)
        alias.description = description
    if routing_config is not None:
        _apply_routing(alias, alias.function_version, routing_config)
    validated(alias)
    alias.save()
    return alias


@aws_write
def alias_delete(*, alias: Alias) -> None:
    """DeleteAlias; the alias's async and provisioned concurrency configs go with it."""
    Alias.objects.filter(pk=alias.pk).delete()


def _version(function: Function, function_version: str) -> Version | None:
    if function_version == LATEST:
        return None
    version = function.versions.filter(number=int(function_version)).first()
    if version is None:
        raise ResourceNotFoundException(f"Function not found: {function.qualified_arn(function_version)}")
    return version


def _apply_routing(alias: Alias, function_version: str, weights: dict[str, float]) -> None:
    rules.check_routing(function_version, weights)
    if not weights:
        alias.routing_version, alias.routing_weight = None, None
        return
    (key, weight), *_ = weights.items()
    alias.routing_version = _version(alias.function, key)
    alias.routing_weight = float(weight)


# --- the dashboard's alias controls: every open dashboard redraws the alias once the change is committed ----------


@transaction.atomic
def alias_weight_set(*, function: Function, alias_name: str, percent: float) -> Alias:
    """The slider: `percent` of the alias's traffic goes to its additional version."""
    alias = selectors.alias_get(function=function, name=alias_name)
    weights = alias.additional_version_weights
    if not weights:
        raise InvalidParameterValueException(
            f"Alias {alias_name} has no additional version; set its versions first to split its traffic."
        )
    (additional, _), *_ = weights.items()
    alias = alias_update(alias=alias, routing_config={additional: round(percent / 100.0, 4)})
    _announce_weights(alias)
    return alias


@transaction.atomic
def alias_versions_set(
    *, function: Function, alias_name: str, function_version: str, additional_version: str, percent: float | None
) -> Alias:
    """Point the alias at a primary version and, optionally, an additional version with a weight."""
    alias = selectors.alias_get(function=function, name=alias_name)
    routing: dict[str, float] = {}
    if additional_version:
        routing = {additional_version: round((percent or 0.0) / 100.0, 4)}
    alias = alias_update(alias=alias, function_version=function_version, routing_config=routing)
    _announce_weights(alias)
    return alias


def _announce_weights(alias: Alias) -> None:
    announce_on_commit(
        "AliasWeightsChanged",
        alias.function.name,
        alias=alias.name,
        function_version=alias.function_version,
        weights=dict(alias.additional_version_weights),
    )
