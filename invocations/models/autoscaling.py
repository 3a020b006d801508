"""Application Auto Scaling for provisioned concurrency (issue 13 point 4): scalable targets, their scaling
policies and scheduled actions, and the scaling activities they start. Times are simulated epoch seconds.

A target is named as AWS names it (ServiceNamespace lambda, ScalableDimension lambda:function:ProvisionedConcurrency,
ResourceId function:<name>:<alias or version>); its capacity is the provisioned-concurrency config's, so the
target keeps no capacity of its own."""

from __future__ import annotations

from django.db import models


class ScalableTarget(models.Model):
    service_namespace = models.CharField(max_length=32)
    resource_id = models.CharField(max_length=1600)
    scalable_dimension = models.CharField(max_length=128)
    min_capacity = models.PositiveIntegerField()
    max_capacity = models.PositiveIntegerField()
    role_arn = models.CharField(max_length=1600)
    suspended_state = models.JSONField(default=dict)  # DynamicScalingIn/OutSuspended, ScheduledScalingSuspended
    tags = models.JSONField(default=dict)
    created_at = models.FloatField()
    last_scale_out_at = models.FloatField(null=True, blank=True)  # cooldowns count from these
    last_scale_in_at = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_namespace", "resource_id", "scalable_dimension"], name="one_scalable_target"
            )
        ]

    def __str__(self) -> str:
        return self.resource_id


class ScalingPolicy(models.Model):
    target = models.ForeignKey(ScalableTarget, on_delete=models.CASCADE, related_name="policies")
    name = models.CharField(max_length=256)
    policy_type = models.CharField(max_length=32)
    configuration = models.JSONField()  # TargetTrackingScalingPolicyConfiguration as given
    alarms = models.JSONField(default=list)  # [{"AlarmName": ..., "AlarmARN": ...}]
    uuid = models.CharField(max_length=36)
    created_at = models.FloatField()
    invoked_at = models.FloatField(null=True, blank=True)  # the last time an alarm invoked it

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["target", "name"], name="one_policy_name_per_target")]

    def __str__(self) -> str:
        return self.name


class ScheduledAction(models.Model):
    target = models.ForeignKey(ScalableTarget, on_delete=models.CASCADE, related_name="scheduled_actions")
    name = models.CharField(max_length=256)
    schedule = models.CharField(max_length=1600)
    timezone = models.CharField(max_length=64, default="UTC")
    start_time = models.FloatField(null=True, blank=True)
    end_time = models.FloatField(null=True, blank=True)
    min_capacity = models.PositiveIntegerField(null=True, blank=True)
    max_capacity = models.PositiveIntegerField(null=True, blank=True)
    uuid = models.CharField(max_length=36)
    created_at = models.FloatField()
    next_run_at = models.FloatField(null=True, blank=True)  # None: it will not run again

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["target", "name"], name="one_action_name_per_target")]

    def __str__(self) -> str:
        return self.name


class ScalingActivity(models.Model):
    """Kept after the target is gone (AWS lists the activities of the last six weeks)."""

    activity_id = models.CharField(max_length=36, unique=True)
    service_namespace = models.CharField(max_length=32)
    resource_id = models.CharField(max_length=1600)
    scalable_dimension = models.CharField(max_length=128)
    description = models.CharField(max_length=512)
    cause = models.CharField(max_length=1600)
    start_time = models.FloatField()
    end_time = models.FloatField(null=True, blank=True)
    status_code = models.CharField(max_length=32)  # Pending | InProgress | Successful | Overridden | ...
    status_message = models.CharField(max_length=1600, blank=True, default="")
    desired_capacity = models.PositiveIntegerField(null=True, blank=True)  # what an InProgress one waits for

    class Meta:
        ordering = ["-start_time", "-id"]

    def __str__(self) -> str:
        return f"{self.resource_id}: {self.description}"
