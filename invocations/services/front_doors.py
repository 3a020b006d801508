"""Front-door writes: REST APIs and their stages (alias from a stage variable), ALB target groups (§10)."""

from __future__ import annotations

from .. import arns
from ..models import AccountSettings, ApiStage, Function, RestApi, TargetGroup
from ..rules import policies as policy_rules
from ..selectors import policies as policy_selectors
from . import apigateway
from .common import aws_write, validated
from .policies import permission_add


@aws_write
def rest_api_create(*, name: str, function: Function, stage_variable: str = "lambdaAlias") -> RestApi:
    """A real REST API as the console's "Lambda proxy" wizard leaves it: `ANY /{proxy+}` and `ANY /`, each a Lambda
    proxy integration to function:${stageVariables.<stage_variable>}, and one deployment for the stages."""
    where = AccountSettings.load().where
    api = apigateway.rest_api_create(name=name, function=function, stage_variable=stage_variable)
    root = api.resources.get(path="/")
    proxy = apigateway.resource_create(api_id=api.api_id, parent_id=root.resource_id, path_part="{proxy+}")
    uri = arns.apigateway_integration_uri(function.name, stage_variable, **where)
    for resource in (root, proxy):
        apigateway.method_put(
            api_id=api.api_id, resource_id=resource.resource_id, http_method="ANY", authorization_type="NONE"
        )
        apigateway.integration_put(
            api_id=api.api_id,
            resource_id=resource.resource_id,
            http_method="ANY",
            integration_type="AWS_PROXY",
            uri=uri,
            integration_http_method="POST",
        )
    apigateway.deployment_create(api_id=api.api_id, description="demo")
    api.refresh_from_db()
    return api


@aws_write
def api_stage_create(*, rest_api: RestApi, name: str, alias_name: str) -> ApiStage:
    """A stage of the latest deployment whose stage variable sends its requests to `alias_name`; the alias's
    resource policy lets API Gateway (this API, any stage, method and path) invoke it, as AWS requires."""
    deployment = rest_api.deployments.order_by("-created_at").first()
    if deployment is None:
        deployment = apigateway.deployment_create(api_id=rest_api.api_id)
    stage = apigateway.stage_create(
        api_id=rest_api.api_id,
        stage_name=name,
        deployment_id=deployment.deployment_id,
        variables={rest_api.stage_variable: alias_name},
    )
    _grant_api(rest_api, alias_name)
    return stage


@aws_write
def api_stage_update(*, stage: ApiStage, alias_name: str) -> ApiStage:
    """Point a stage at another alias (an update-stage of the stage variable)."""
    rest_api = stage.rest_api
    updated = apigateway.stage_update(
        api_id=rest_api.api_id,
        stage_name=stage.name,
        patch_operations=[{"op": "replace", "path": f"/variables/{rest_api.stage_variable}", "value": alias_name}],
    )
    _grant_api(rest_api, alias_name)
    return updated


def _grant_api(rest_api: RestApi, alias_name: str) -> None:
    account = AccountSettings.load()
    statement_id = f"apigateway-{rest_api.api_id}"
    target = policy_selectors.policy_target(rest_api.function, alias_name)
    policy = policy_selectors.policy_for(target)
    if policy is not None and policy.statement(statement_id) is not None:
        return
    permission_add(
        function_name=rest_api.function.name,
        qualifier=alias_name,
        request=policy_rules.PermissionRequest(
            statement_id=statement_id,
            action="lambda:InvokeFunction",
            principal="apigateway.amazonaws.com",
            source_arn=f"arn:aws:execute-api:{account.region}:{account.account_id}:{rest_api.api_id}/*/*/*",
        ),
    )


@aws_write
def target_group_create(
    *, name: str, function: Function, qualifier: str = "", multi_value_headers: bool = False
) -> TargetGroup:
    """A lambda-type target group registering one function (or one of its aliases)."""
    group = TargetGroup(name=name, function=function, qualifier=qualifier, multi_value_headers=multi_value_headers)
    validated(group)
    group.save()
    return group
