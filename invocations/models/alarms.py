"""CloudWatch metric alarms (issue 13 point 2): what PutMetricAlarm defines, the state its evaluation keeps, and
the alarm history (DescribeAlarmHistory). Times are simulated epoch seconds."""

from __future__ import annotations

from django.db import models


class MetricAlarm(models.Model):
    name = models.CharField(max_length=255, unique=True)
    description = models.CharField(max_length=1024, blank=True, default="")
    actions_enabled = models.BooleanField(default=True)
    ok_actions = models.JSONField(default=list)
    alarm_actions = models.JSONField(default=list)
    insufficient_data_actions = models.JSONField(default=list)
    namespace = models.CharField(max_length=255)
    metric_name = models.CharField(max_length=255)
    dimensions = models.JSONField(default=list)  # [{"Name": ..., "Value": ...}] in the order given
    statistic = models.CharField(max_length=32, blank=True, default="")
    extended_statistic = models.CharField(max_length=32, blank=True, default="")
    unit = models.CharField(max_length=32, blank=True, default="")
    period = models.PositiveIntegerField()
    evaluation_periods = models.PositiveIntegerField()
    datapoints_to_alarm = models.PositiveIntegerField(null=True, blank=True)
    threshold = models.FloatField()
    comparison_operator = models.CharField(max_length=64)
    treat_missing_data = models.CharField(max_length=16, blank=True, default="")
    tags = models.JSONField(default=list)
    state_value = models.CharField(max_length=32, default="INSUFFICIENT_DATA")
    state_reason = models.TextField(default="Unchecked: Initial alarm creation")
    state_reason_data = models.TextField(blank=True, default="")
    state_updated_at = models.FloatField()
    state_transitioned_at = models.FloatField()
    configuration_updated_at = models.FloatField()
    evaluated_at = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AlarmHistoryItem(models.Model):
    alarm_name = models.CharField(max_length=255, db_index=True)
    alarm_type = models.CharField(max_length=32, default="MetricAlarm")
    timestamp = models.FloatField()
    item_type = models.CharField(max_length=32)  # ConfigurationUpdate | StateUpdate | Action
    summary = models.CharField(max_length=255)
    data = models.TextField()

    class Meta:
        ordering = ["-timestamp", "-id"]

    def __str__(self) -> str:
        return f"{self.alarm_name}: {self.summary}"
