"""Reads of resource-based policies: the qualifier a policy call names, and the policy itself (GetPolicy)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import arns, selectors
from ..arns import LATEST
from ..errors import ResourceNotFoundException, ValidationException
from ..models import AccountSettings, Alias, Function, ResourcePolicy, Version
from ..rules.messages import pattern_failed

QUALIFIER_SHOWN = "(|[a-zA-Z0-9$_-]+)"
_QUALIFIER = re.compile(r"^[a-zA-Z0-9$_-]{1,128}$")
_ALIAS_SHAPED = re.compile(r"^(?!^[0-9]+$)[a-zA-Z0-9-_]+$")
NOT_FOUND = "The resource you requested does not exist."


@dataclass(frozen=True)
class PolicyTarget:
    """What a policy call names: the function and, for a qualified call, the version or alias (neither: $LATEST)."""

    function: Function
    version: Version | None
    alias: Alias | None

    @property
    def resource_arn(self) -> str:
        """The Resource a statement names: the unqualified ARN, or the version's or alias's."""
        if self.alias is not None:
            return self.function.qualified_arn(self.alias.name)
        if self.version is not None:
            return self.function.qualified_arn(self.version.version)
        return self.function.arn

    @property
    def revision_id(self) -> str:
        """The RevisionId GetFunction/GetAlias show for what the policy is attached to."""
        return str((self.alias or self.version or self.function).revision_id)


def check_qualifier(qualifier: str | None) -> None:
    if qualifier is not None and not _QUALIFIER.match(qualifier):
        raise ValidationException(pattern_failed(qualifier, "qualifier", QUALIFIER_SHOWN))


def policy_target(function: Function, qualifier: str | None, *, missing: str | None = None) -> PolicyTarget:
    """The version or alias `qualifier` names. A missing one is AWS's 404: "Cannot find alias arn: …" for an
    alias-shaped name, "Function not found: …" otherwise, or `missing` when the operation words it its own way."""
    if qualifier is None or qualifier == LATEST:
        return PolicyTarget(function=function, version=None, alias=None)
    if qualifier.isdigit():
        version = function.versions.defer("code_archive").filter(number=int(qualifier)).first()
        if version is None:
            raise ResourceNotFoundException(missing or f"Function not found: {function.qualified_arn(qualifier)}")
        return PolicyTarget(function=function, version=version, alias=None)
    alias = function.aliases.filter(name=qualifier).first() if _ALIAS_SHAPED.match(qualifier) else None
    if alias is None:
        if missing:
            raise ResourceNotFoundException(missing)
        if _ALIAS_SHAPED.match(qualifier):
            raise ResourceNotFoundException(f"Cannot find alias arn: {function.qualified_arn(qualifier)}")
        raise ResourceNotFoundException(f"Function not found: {function.qualified_arn(qualifier)}")
    return PolicyTarget(function=function, version=None, alias=alias)


def policy_for(target: PolicyTarget, *, for_update: bool = False) -> ResourcePolicy | None:
    policies = ResourcePolicy.objects.select_for_update() if for_update else ResourcePolicy.objects
    return policies.filter(function=target.function, version=target.version, alias=target.alias).first()


def policy_get(*, function_name: str, qualifier: str | None) -> ResourcePolicy:
    """GetPolicy: a missing function is "Function not found"; a missing qualifier or no policy, AWS's generic 404."""
    check_qualifier(qualifier)
    function = selectors.function_get(function_name).function
    policy = policy_for(policy_target(function, qualifier, missing=NOT_FOUND))
    if policy is None or not policy.statements:
        raise ResourceNotFoundException(NOT_FOUND)
    return policy


def function_for_removal(function_name: str) -> Function:
    """RemovePermission words a missing function as "No policy found for: <function ARN>"."""
    try:
        return selectors.function_get(function_name).function
    except ResourceNotFoundException:
        ref = arns.parse_function_ref(function_name)
        name = ref.name if ref else function_name
        raise ResourceNotFoundException(
            f"No policy found for: {arns.function_arn(name, **AccountSettings.load().where)}"
        ) from None
