"""CodeDeploy for Lambda (issue 14): applications, their deployment groups, and the custom deployment configs
(the predefined ones are engine constants, engine/deployments/traffic_shift.py, never rows)."""

from __future__ import annotations

import uuid

from django.db import models


class ComputePlatform(models.TextChoices):
    LAMBDA = "Lambda"
    SERVER = "Server"
    ECS = "ECS"


class CodeDeployApplication(models.Model):
    name = models.CharField(max_length=100, unique=True)
    application_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    compute_platform = models.CharField(max_length=8, choices=ComputePlatform.choices, default=ComputePlatform.SERVER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DeploymentGroup(models.Model):
    application = models.ForeignKey(CodeDeployApplication, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=100)
    group_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_role_arn = models.CharField(max_length=2048)
    # A predefined name (CodeDeployDefault.*) or a custom DeploymentConfig's: not a foreign key, since the
    # predefined configs are not rows.
    deployment_config_name = models.CharField(max_length=100)
    deployment_type = models.CharField(max_length=16)  # IN_PLACE | BLUE_GREEN
    deployment_option = models.CharField(max_length=32)  # WITH_TRAFFIC_CONTROL | WITHOUT_TRAFFIC_CONTROL
    alarm_configuration = models.JSONField(default=dict)  # AWS's AlarmConfiguration, as given
    auto_rollback_configuration = models.JSONField(default=dict)  # AWS's AutoRollbackConfiguration, as given

    class Meta:
        ordering = ["application", "name"]
        constraints = [
            models.UniqueConstraint(fields=["application", "name"], name="deployment_group_unique_per_application")
        ]

    def __str__(self) -> str:
        return f"{self.application.name}/{self.name}"


class DeploymentConfig(models.Model):
    """A custom deployment config (CreateDeploymentConfig)."""

    name = models.CharField(max_length=100, unique=True)
    config_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    compute_platform = models.CharField(max_length=8, choices=ComputePlatform.choices, default=ComputePlatform.SERVER)
    traffic_routing_config = models.JSONField(default=dict)  # AWS's TrafficRoutingConfig (Lambda, ECS)
    minimum_healthy_hosts = models.JSONField(default=dict)  # AWS's MinimumHealthyHosts (Server)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DeploymentStatus(models.TextChoices):
    CREATED = "Created"
    QUEUED = "Queued"
    IN_PROGRESS = "InProgress"
    BAKING = "Baking"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"
    STOPPED = "Stopped"
    READY = "Ready"


ACTIVE_STATUSES = (DeploymentStatus.CREATED, DeploymentStatus.QUEUED, DeploymentStatus.IN_PROGRESS)


class Deployment(models.Model):
    """One CreateDeployment: its AppSpec's Lambda resource and hooks, kept as read from the revision."""

    deployment_id = models.CharField(max_length=16, unique=True)  # d-XXXXXXXXX
    group = models.ForeignKey(DeploymentGroup, on_delete=models.CASCADE, related_name="deployments")
    deployment_config_name = models.CharField(max_length=100)
    status = models.CharField(max_length=16, choices=DeploymentStatus.choices, default=DeploymentStatus.CREATED)
    description = models.CharField(max_length=1024, blank=True, default="")
    revision = models.JSONField(default=dict)  # AWS's RevisionLocation, as given
    function_name = models.CharField(max_length=64)
    alias_name = models.CharField(max_length=128)
    current_version = models.CharField(max_length=16)
    target_version = models.CharField(max_length=16)
    hooks = models.JSONField(default=dict)  # lifecycle event -> hook function name
    auto_rollback_configuration = models.JSONField(default=dict)  # the group's, or the deployment's override
    created_at = models.DateTimeField(auto_now_add=True)
    # The run (issue 14 point 2), on the simulation clock, so that it resumes after a restart: see
    # engine/deployments/lifecycle.py's Progress, of which these columns are the stored form.
    creator = models.CharField(max_length=16, default="user")  # user | autoRollback
    lifecycle_events = models.JSONField(default=dict)  # event -> {status, start, end, execution_id, reported}
    started_at = models.FloatField(null=True, blank=True)
    completed_at = models.FloatField(null=True, blank=True)
    steps_applied = models.PositiveIntegerField(default=0)
    error_information = models.JSONField(default=dict)  # AWS's ErrorInformation {code, message}
    rollback_info = models.JSONField(default=dict)  # AWS's RollbackInfo

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.deployment_id
