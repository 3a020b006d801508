"""Resource-based policy writes: AddPermission and RemovePermission, one statement at a time."""

from __future__ import annotations

from typing import Any

from .. import selectors
from ..arns import LATEST
from ..errors import InvalidParameterValueException, ResourceConflictException, ResourceNotFoundException
from ..models import Function, ResourcePolicy
from ..rules import policies as rules
from ..selectors import policies as policy_selectors
from .common import aws_write
from .functions import check_revision


@aws_write
def permission_add(
    *, function_name: str, qualifier: str | None, request: rules.PermissionRequest, revision_id: str | None = None
) -> dict[str, Any]:
    """Add one statement to the policy of the function, version or alias; returns the statement as AWS renders it.

    The checks run in AWS's order: the members' constraints, the qualifier, the function, the RevisionId, the
    principal, then the statement id's uniqueness (per qualifier: the same Sid may exist on $LATEST and an alias)."""
    rules.check_permission(request)
    policy_selectors.check_qualifier(qualifier)
    if qualifier == LATEST:
        raise InvalidParameterValueException(rules.LATEST_NOT_SUPPORTED)
    function = selectors.function_get(function_name).function
    # Serialise policy writes of one function: two first statements must not both create its policy.
    Function.objects.select_for_update().filter(pk=function.pk).exists()
    target = policy_selectors.policy_target(function, qualifier)
    policy = policy_selectors.policy_for(target, for_update=True)
    check_revision(policy.revision_id if policy else target.revision_id, revision_id)
    statement = rules.build_statement(request, resource=target.resource_arn)
    if policy is not None and policy.statement(request.statement_id) is not None:
        raise ResourceConflictException(
            f"The statement id ({request.statement_id}) provided already exists. "
            "Please provide a new statement id, or remove the existing statement."
        )
    if policy is None:
        policy = ResourcePolicy(function=function, version=target.version, alias=target.alias, statements=[])
    policy.statements = [*policy.statements, statement]
    policy.save()
    return statement


@aws_write
def permission_remove(
    *, function_name: str, qualifier: str | None, statement_id: str, revision_id: str | None = None
) -> None:
    """Remove one statement; the policy goes with its last statement."""
    rules.check_remove_statement_id(statement_id)
    policy_selectors.check_qualifier(qualifier)
    function = policy_selectors.function_for_removal(function_name)
    Function.objects.select_for_update().filter(pk=function.pk).exists()
    target = policy_selectors.policy_target(function, qualifier)
    policy = policy_selectors.policy_for(target, for_update=True)
    if policy is None or not policy.statements:
        raise ResourceNotFoundException(rules.NO_POLICY)
    if policy.statement(statement_id) is None:
        raise ResourceNotFoundException(f"Statement {statement_id} is not found in resource policy.")
    check_revision(policy.revision_id, revision_id)
    remaining = [s for s in policy.statements if s.get("Sid") != statement_id]
    if remaining:
        policy.statements = remaining
        policy.save()
    else:
        policy.delete()
