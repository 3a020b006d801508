"""Resource-based policies: AddPermission, RemovePermission and GetPolicy (the function's, a version's or an
alias's policy, as AWS renders it)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from invocations import services
from invocations.rules.policies import PermissionRequest, as_json, policy_document
from invocations.selectors import policies as policy_selectors

from .common import no_content, request_params, respond, split_qualifier


def add_permission(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "AddPermission")
    name, qualifier = split_qualifier(function_name, params.get("Qualifier"))
    statement = services.permission_add(
        function_name=name,
        qualifier=qualifier,
        request=PermissionRequest(
            statement_id=params["StatementId"],
            action=params["Action"],
            principal=params["Principal"],
            source_arn=params.get("SourceArn"),
            source_account=params.get("SourceAccount"),
            event_source_token=params.get("EventSourceToken"),
            principal_org_id=params.get("PrincipalOrgID"),
            function_url_auth_type=params.get("FunctionUrlAuthType"),
            invoked_via_function_url=params.get("InvokedViaFunctionUrl"),
        ),
        revision_id=params.get("RevisionId"),
    )
    return respond(request, {"Statement": as_json(statement)}, status=201)


def get_policy(request: HttpRequest, function_name: str) -> HttpResponse:
    params = request_params(request, "GetPolicy")
    name, qualifier = split_qualifier(function_name, params.get("Qualifier"))
    policy = policy_selectors.policy_get(function_name=name, qualifier=qualifier)
    document = as_json(policy_document(policy.statements))
    return respond(request, {"Policy": document, "RevisionId": str(policy.revision_id)})


def remove_permission(request: HttpRequest, function_name: str, statement_id: str) -> HttpResponse:
    params = request_params(request, "RemovePermission")
    name, qualifier = split_qualifier(function_name, params.get("Qualifier"))
    services.permission_remove(
        function_name=name, qualifier=qualifier, statement_id=statement_id, revision_id=params.get("RevisionId")
    )
    return no_content(request)
