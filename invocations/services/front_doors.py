"""Front-door writes: REST APIs and their stages (alias from a stage variable), ALB target groups (§10)."""

from __future__ import annotations

from ..models import ApiStage, Function, RestApi, TargetGroup
from .common import aws_write, validated


@aws_write
def rest_api_create(*, name: str, function: Function, stage_variable: str = "lambdaAlias") -> RestApi:
    """A REST API with one Lambda proxy integration: function:${stageVariables.<stage_variable>}."""
    rest_api = RestApi(name=name, function=function, stage_variable=stage_variable)
    validated(rest_api)
    rest_api.save()
    return rest_api


@aws_write
def api_stage_create(*, rest_api: RestApi, name: str, alias_name: str) -> ApiStage:
    """A stage whose stage variable sends its requests to `alias_name`."""
    stage = ApiStage(rest_api=rest_api, name=name, stage_variables={rest_api.stage_variable: alias_name})
    validated(stage)
    stage.save()
    return stage


@aws_write
def api_stage_update(*, stage: ApiStage, alias_name: str) -> ApiStage:
    """Point a stage at another alias (an update-stage of the stage variable)."""
    stage = ApiStage.objects.select_for_update().select_related("rest_api").get(pk=stage.pk)
    stage.stage_variables = {**stage.stage_variables, stage.rest_api.stage_variable: alias_name}
    validated(stage)
    stage.save()
    return stage


@aws_write
def target_group_create(
    *, name: str, function: Function, qualifier: str = "", multi_value_headers: bool = False
) -> TargetGroup:
    """A lambda-type target group registering one function (or one of its aliases)."""
    group = TargetGroup(name=name, function=function, qualifier=qualifier, multi_value_headers=multi_value_headers)
    validated(group)
    group.save()
    return group
