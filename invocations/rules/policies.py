"""Resource-based policies: AddPermission's input rules, the statement AWS writes, the document GetPolicy answers,
and whether a policy lets a caller through a front door. Pure (no Django)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..arns import PARTITION
from ..errors import InvalidParameterValueException, ValidationException

POLICY_VERSION = "2012-10-17"
POLICY_ID = "default"
LATEST_NOT_SUPPORTED = "We currently do not support adding policies for $LATEST."
INVALID_PRINCIPAL = "The provided principal was invalid. Please check the principal and try again."
NO_POLICY = "No policy is associated with the given resource."
AUTH_TYPES = ["NONE", "AWS_IAM"]

# botocore's patterns (lambda/2015-03-31), as AWS quotes them in "failed to satisfy constraint" messages.
STATEMENT_ID_SHOWN = "([a-zA-Z0-9-_]+)"
REMOVE_STATEMENT_ID_SHOWN = "([a-zA-Z0-9-_.]+)"
STATEMENT_ID_MAX = 100
ACTION_SHOWN = "(lambda:[*]|lambda:[a-zA-Z]+|[*])"
PRINCIPAL_SHOWN = r"[^\s]+"
SOURCE_ARN_SHOWN = r"arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}(-gov)?-[a-z]+-\d{1})?:(\d{12})?:(.*)"
SOURCE_ACCOUNT_SHOWN = r"\d{12}"
EVENT_SOURCE_TOKEN_SHOWN = r"[a-zA-Z0-9._\-]+"
PRINCIPAL_ORG_ID_SHOWN = "o-[a-z0-9]{10,32}"

_STATEMENT_ID = re.compile(r"^[a-zA-Z0-9\-_]+$")
_REMOVE_STATEMENT_ID = re.compile(r"^[a-zA-Z0-9\-_.]+$")
_ACTION = re.compile(r"^(lambda:[*]|lambda:[a-zA-Z]+|[*])$")
_PRINCIPAL = re.compile(r"^[^\s]+$")
_SOURCE_ARN = re.compile(
    r"^arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1})?:(\d{12})?:(.*)$",
    re.DOTALL,
)
_SOURCE_ACCOUNT = re.compile(r"^\d{12}$")
_EVENT_SOURCE_TOKEN = re.compile(r"^[a-zA-Z0-9._\-]+$")
_PRINCIPAL_ORG_ID = re.compile(r"^o-[a-z0-9]{10,32}$")
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_IAM_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:iam::")


@dataclass(frozen=True)
class PermissionRequest:
    """AddPermission's members (the qualifier and RevisionId apart), as the caller sent them."""

    statement_id: str
    action: str
    principal: str
    source_arn: str | None = None
    source_account: str | None = None
    event_source_token: str | None = None
    principal_org_id: str | None = None
    function_url_auth_type: str | None = None
    invoked_via_function_url: bool | None = None


def validation_error(failures: list[str]) -> ValidationException:
    """AWS's request validator lists every failed member: "2 validation errors detected: …; …"."""
    count = len(failures)
    noun = "error" if count == 1 else "errors"
    return ValidationException(f"{count} validation {noun} detected: {'; '.join(failures)}")


def _failure(value: Any, member: str, constraint: str) -> str:
    return f"Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"


def _pattern(value: str | None, member: str, regex: re.Pattern, shown: str, failures: list[str]) -> None:
    if value is not None and not regex.match(value):
        failures.append(_failure(value, member, f"Member must satisfy regular expression pattern: {shown}"))


def check_permission(request: PermissionRequest) -> None:
    """The member constraints of AddPermission's model, all checked before anything is looked up."""
    failures: list[str] = []
    if len(request.statement_id) > STATEMENT_ID_MAX:
        failures.append(
            _failure(
                request.statement_id, "statementId", f"Member must have length less than or equal to {STATEMENT_ID_MAX}"
            )
        )
    _pattern(request.statement_id, "statementId", _STATEMENT_ID, STATEMENT_ID_SHOWN, failures)
    _pattern(request.action, "action", _ACTION, ACTION_SHOWN, failures)
    _pattern(request.principal, "principal", _PRINCIPAL, PRINCIPAL_SHOWN, failures)
    _pattern(request.source_arn, "sourceArn", _SOURCE_ARN, SOURCE_ARN_SHOWN, failures)
    _pattern(request.source_account, "sourceAccount", _SOURCE_ACCOUNT, SOURCE_ACCOUNT_SHOWN, failures)
    _pattern(request.event_source_token, "eventSourceToken", _EVENT_SOURCE_TOKEN, EVENT_SOURCE_TOKEN_SHOWN, failures)
    _pattern(request.principal_org_id, "principalOrgID", _PRINCIPAL_ORG_ID, PRINCIPAL_ORG_ID_SHOWN, failures)
    if request.function_url_auth_type is not None and request.function_url_auth_type not in AUTH_TYPES:
        failures.append(
            _failure(
                request.function_url_auth_type,
                "functionUrlAuthType",
                f"Member must satisfy enum value set: [{', '.join(AUTH_TYPES)}]",
            )
        )
    if failures:
        raise validation_error(failures)


def check_remove_statement_id(statement_id: str) -> None:
    failures: list[str] = []
    if len(statement_id) > STATEMENT_ID_MAX:
        failures.append(
            _failure(statement_id, "statementId", f"Member must have length less than or equal to {STATEMENT_ID_MAX}")
        )
    _pattern(statement_id, "statementId", _REMOVE_STATEMENT_ID, REMOVE_STATEMENT_ID_SHOWN, failures)
    if failures:
        raise validation_error(failures)


def principal_element(principal: str, *, partition: str = PARTITION) -> str | dict[str, str]:
    """How a statement names its principal: a service, an account (as its root), an IAM ARN, or everyone."""
    if principal == "*":
        return "*"
    if principal.endswith(".amazonaws.com"):
        return {"Service": principal}
    if _ACCOUNT_ID.match(principal):
        return {"AWS": f"arn:{partition}:iam::{principal}:root"}
    if _IAM_ARN.match(principal):
        return {"AWS": principal}
    raise InvalidParameterValueException(INVALID_PRINCIPAL)


def build_statement(request: PermissionRequest, *, resource: str) -> dict[str, Any]:
    """The statement AddPermission adds, keys in AWS's order: Sid, Effect, Principal, Action, Resource, Condition
    (StringEquals before ArnLike, as AWS renders it)."""
    statement: dict[str, Any] = {
        "Sid": request.statement_id,
        "Effect": "Allow",
        "Principal": principal_element(request.principal),
        "Action": request.action,
        "Resource": resource,
    }
    string_equals: dict[str, str] = {}
    if request.function_url_auth_type:
        string_equals["lambda:FunctionUrlAuthType"] = request.function_url_auth_type
    if request.principal_org_id:
        string_equals["aws:PrincipalOrgID"] = request.principal_org_id
    if request.source_account:
        string_equals["AWS:SourceAccount"] = request.source_account
    if request.event_source_token:
        string_equals["lambda:EventSourceToken"] = request.event_source_token
    condition: dict[str, dict[str, str]] = {}
    if string_equals:
        condition["StringEquals"] = string_equals
    if request.source_arn:
        condition["ArnLike"] = {"AWS:SourceArn": request.source_arn}
    if request.invoked_via_function_url:
        # ⚠ rendering unconfirmed: the condition key AWS added in October 2025 (InvokedViaFunctionUrl).
        condition["Bool"] = {"lambda:InvokedViaFunctionUrl": "true"}
    if condition:
        statement["Condition"] = condition
    return statement


def policy_document(statements: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    return {"Version": POLICY_VERSION, "Id": POLICY_ID, "Statement": list(statements)}


def as_json(document: Mapping[str, Any]) -> str:
    """Policies and statements travel as JSON strings inside the JSON answer, compact as AWS writes them."""
    return json.dumps(document, separators=(",", ":"))


# --- evaluation (what a front door asks) ---------------------------------------------------------------------------


def _is_everyone(principal: Any) -> bool:
    return principal == "*" or (isinstance(principal, Mapping) and principal.get("AWS") == "*")


def _grants(statement_action: Any, action: str) -> bool:
    actions = statement_action if isinstance(statement_action, list) else [statement_action]
    wanted = action.lower()
    return any(str(a).lower() in (wanted, "lambda:*", "*") for a in actions)


def _conditions_hold(condition: Any, *, auth_type: str) -> bool:
    """The conditions an anonymous caller of a function URL can meet: the URL's auth type and "via a function URL".
    Any other condition (a source ARN, a source account, an organisation) names a caller this one is not."""
    for operator, keys in (condition or {}).items():
        for key, value in (keys or {}).items():
            if operator == "StringEquals" and key.lower() == "lambda:functionurlauthtype" and value == auth_type:
                continue
            if operator == "Bool" and key.lower() == "lambda:invokedviafunctionurl" and str(value).lower() == "true":
                continue
            return False
    return True


def allows_everyone(statements: Iterable[Mapping[str, Any]], *, action: str, auth_type: str) -> bool:
    """Whether some Allow statement grants `action` to Principal "*" under the conditions a function URL meets."""
    return any(
        statement.get("Effect") == "Allow"
        and _is_everyone(statement.get("Principal"))
        and _grants(statement.get("Action"), action)
        and _conditions_hold(statement.get("Condition"), auth_type=auth_type)
        for statement in statements
    )


def _arn_like(pattern: str, value: str) -> bool:
    """IAM's ArnLike: `*` any run of characters, `?` any one, everything else literal (case-sensitive)."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, flags=re.DOTALL) is not None


def _service_conditions_hold(condition: Any, *, source_arn: str, source_account: str) -> bool:
    """The conditions a service caller (API Gateway, an ALB) meets: its SourceArn and its SourceAccount."""
    for operator, keys in (condition or {}).items():
        for key, value in (keys or {}).items():
            values = value if isinstance(value, list) else [value]
            name = key.lower()
            arn_operator = operator in ("ArnLike", "ArnEquals", "StringLike") and name == "aws:sourcearn"
            if arn_operator and any(_arn_like(str(v), source_arn) for v in values):
                continue
            if operator == "StringEquals" and name == "aws:sourceaccount" and source_account in values:
                continue
            return False
    return True


def allows_service(
    statements: Iterable[Mapping[str, Any]], *, service: str, action: str, source_arn: str, source_account: str
) -> bool:
    """Whether some Allow statement grants `action` to the service principal (or to everyone) for this source."""

    def names(principal: Any) -> bool:
        if _is_everyone(principal):
            return True
        if not isinstance(principal, Mapping):
            return False
        granted = principal.get("Service")
        return service in (granted if isinstance(granted, list) else [granted])

    return any(
        statement.get("Effect") == "Allow"
        and names(statement.get("Principal"))
        and _grants(statement.get("Action"), action)
        and _service_conditions_hold(statement.get("Condition"), source_arn=source_arn, source_account=source_account)
        for statement in statements
    )
