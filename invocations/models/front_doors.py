"""Front doors that invoke functions synchronously: API Gateway REST APIs (resources, methods, Lambda proxy
integrations, deployments, stages) and ALB target groups (§10)."""

from __future__ import annotations

import re
import secrets
import string

from django.db import models

from .. import arns
from ..errors import InvalidParameterValueException, ResourceConflictException, ValidationException
from ..rules.messages import pattern_failed
from .account import AccountSettings
from .functions import Function
from .validation import RuleChecks

_STAGE_RE = re.compile(r"^[a-zA-Z0-9_]{1,128}$")
_VARIABLE_NAME_RE = re.compile(r"^[a-zA-Z0-9_]{1,64}$")
_VARIABLE_VALUE_RE = re.compile(r"^[A-Za-z0-9\-._~:/?#&=,]{1,512}$")
_TARGET_GROUP_RE = re.compile(r"^(?!-)[a-zA-Z0-9-]{1,32}(?<!-)$")


def _api_id() -> str:
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(10))


def _resource_id() -> str:
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(10))


def _deployment_id() -> str:
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(6))


def _target_group_id() -> str:
    return secrets.token_hex(8)


class RestApi(models.Model):
    """A REST API (CreateRestApi). `function` and `stage_variable` are what its Lambda proxy integration names
    (set by PutIntegration): the diagram draws the API's stages beside that function."""

    api_id = models.CharField(max_length=10, unique=True, default=_api_id, editable=False, verbose_name="API id")
    name = models.CharField(max_length=128)  # AWS allows two APIs of the same name
    description = models.CharField(max_length=1024, blank=True)
    function = models.ForeignKey(Function, on_delete=models.SET_NULL, null=True, blank=True, related_name="rest_apis")
    stage_variable = models.CharField(
        max_length=64,
        default="lambdaAlias",
        blank=True,
        help_text="The stage variable naming the alias to invoke (empty: the integration names no stage variable).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "REST API"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        checks = RuleChecks()
        with checks.rule("stage_variable"):
            if self.stage_variable and not _VARIABLE_NAME_RE.match(self.stage_variable):
                raise ValidationException(pattern_failed(self.stage_variable, "stageVariable", "[a-zA-Z0-9_]+"))
        checks.raise_any()

    @property
    def integration_uri(self) -> str:
        """arn:aws:apigateway:…/functions/arn:aws:lambda:…:function:fn:${stageVariables.lambdaAlias}/invocations"""
        if self.function is None:
            return ""
        return arns.apigateway_integration_uri(self.function.name, self.stage_variable, **AccountSettings.load().where)


class ApiResource(models.Model):
    """A resource of a REST API: `/`, `/orders`, `/{proxy+}`. Its methods (PutMethod) and their integrations
    (PutIntegration) are kept as AWS renders them, keyed by HTTP method."""

    rest_api = models.ForeignKey(RestApi, on_delete=models.CASCADE, related_name="resources")
    resource_id = models.CharField(max_length=10, unique=True, default=_resource_id, editable=False)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    path_part = models.CharField(max_length=255, blank=True)
    path = models.CharField(max_length=2048)
    methods = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["rest_api_id", "path"]
        verbose_name = "API resource"

    def __str__(self) -> str:
        return f"{self.rest_api.name} {self.path}"


class ApiDeployment(models.Model):
    """A snapshot of the API's resources and methods (CreateDeployment): what a stage serves until redeployed."""

    rest_api = models.ForeignKey(RestApi, on_delete=models.CASCADE, related_name="deployments")
    deployment_id = models.CharField(max_length=6, default=_deployment_id, editable=False)
    description = models.CharField(max_length=1024, blank=True)
    routes = models.JSONField(default=list, blank=True)  # [{"id", "path", "methods"}], as deployed
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "API deployment"
        constraints = [
            models.UniqueConstraint(fields=["rest_api", "deployment_id"], name="api_deployment_unique_per_api")
        ]

    def __str__(self) -> str:
        return f"{self.rest_api.name} {self.deployment_id}"


class ApiStage(models.Model):
    """A deployed stage (Prod, Test, Dev); its stage variable names the alias its requests reach."""

    rest_api = models.ForeignKey(RestApi, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=128)
    deployment = models.ForeignKey(
        ApiDeployment, on_delete=models.PROTECT, null=True, blank=True, related_name="stages"
    )
    description = models.CharField(max_length=1024, blank=True)
    stage_variables = models.JSONField(default=dict, blank=True, help_text='For example {"lambdaAlias": "prod"}.')
    method_settings = models.JSONField(default=dict, blank=True)  # {"*/*": {"throttlingRateLimit": …}}
    created_at = models.DateTimeField(auto_now_add=True)
    last_updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["rest_api__name", "name"]
        verbose_name = "API stage"
        constraints = [models.UniqueConstraint(fields=["rest_api", "name"], name="api_stage_unique_per_api")]

    def __str__(self) -> str:
        return f"{self.rest_api.name}/{self.name}"

    def clean(self) -> None:
        checks = RuleChecks()
        with checks.rule("name"):
            if not _STAGE_RE.match(self.name or ""):
                raise ValidationException("Stage name only allows a-zA-Z0-9_")  # API Gateway's BadRequestException text
            if self.rest_api_id and (
                ApiStage.objects.filter(rest_api_id=self.rest_api_id, name=self.name).exclude(pk=self.pk).exists()
            ):
                raise ResourceConflictException("Stage already exists")
        with checks.rule("stage_variables"):
            variables = self.stage_variables
            if not isinstance(variables, dict) or any(
                not isinstance(v, str) or not _VARIABLE_VALUE_RE.match(v) or not _VARIABLE_NAME_RE.match(k)
                for k, v in variables.items()
            ):
                raise InvalidParameterValueException(
                    "Stage variable names are [a-zA-Z0-9_]+ and values are [A-Za-z0-9-._~:/?#&=,]+."
                )
        checks.raise_any()

    @property
    def alias_name(self) -> str | None:
        """The alias this stage's requests reach, when the integration picks it from a stage variable."""
        if not self.rest_api.stage_variable:
            return None
        return (self.stage_variables or {}).get(self.rest_api.stage_variable)

    def resolve_alias(self):
        """The alias the integration URI resolves to for this stage."""
        name = self.alias_name
        function = self.rest_api.function
        alias = function.aliases.filter(name=name).first() if name and function else None
        if alias is None:
            raise InvalidParameterValueException(
                f"Stage variable {self.rest_api.stage_variable} must name an alias of "
                f"{function.name if function else 'the integration function'}; "
                f"{name or 'nothing'} was given."
            )
        return alias

    @property
    def invoke_url(self) -> str:
        """Where this server answers the stage (host-based; `/restapis/<id>/<stage>/_user_request_/` for the LAN)."""
        return f"http://{self.rest_api.api_id}.execute-api.localhost:8000/{self.name}"


class TargetGroup(models.Model):
    """An ALB target group of type lambda: one function (or alias), invoked synchronously per request."""

    name = models.CharField(max_length=32, unique=True)
    group_id = models.CharField(max_length=16, default=_target_group_id, editable=False)
    function = models.ForeignKey(Function, on_delete=models.CASCADE, related_name="target_groups")
    qualifier = models.CharField(max_length=128, blank=True, help_text="Alias or version; empty = unqualified.")
    multi_value_headers = models.BooleanField(
        default=False, help_text="lambda.multi_value_headers.enabled: send multiValueHeaders arrays."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        checks = RuleChecks()
        with checks.rule("name"):
            if not _TARGET_GROUP_RE.match(self.name or ""):
                raise ValidationException(
                    f"Target group name '{self.name}' can only contain characters that are alphanumeric characters "
                    "or hyphens(-), must be 1 to 32 characters, and must not begin or end with a hyphen"
                )
            if TargetGroup.objects.filter(name=self.name).exclude(pk=self.pk).exists():
                raise ResourceConflictException("A target group with the same name exists, but with different settings")
        with checks.rule("qualifier"):
            if self.qualifier and self.function_id:
                exists = (
                    self.function.versions.filter(number=int(self.qualifier)).exists()
                    if self.qualifier.isdigit()
                    else self.qualifier == arns.LATEST or self.function.aliases.filter(name=self.qualifier).exists()
                )
                if not exists:
                    raise InvalidParameterValueException(
                        f"Function not found: {self.function.qualified_arn(self.qualifier)}"
                    )
        checks.raise_any()

    @property
    def arn(self) -> str:
        return arns.target_group_arn(self.name, self.group_id, **AccountSettings.load().where)

    @property
    def function_arn(self) -> str:
        return self.function.qualified_arn(self.qualifier) if self.qualifier else self.function.arn
