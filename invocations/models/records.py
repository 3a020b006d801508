"""Invocation records: recent invocations kept whole, older ones folded into per-minute aggregates."""

from __future__ import annotations

from django.db import models


class InvocationRecord(models.Model):
    """One invocation attempt (or throttle) as the runtime saw it; written in bulk, pruned by age."""

    request_id = models.CharField(max_length=64)
    function = models.CharField(max_length=64)
    qualifier = models.CharField(max_length=128)
    executed_version = models.CharField(max_length=16, blank=True)
    source = models.CharField(max_length=32)
    invocation_type = models.CharField(max_length=16)
    outcome = models.CharField(max_length=16)
    throttle_reason = models.CharField(max_length=64, blank=True)
    cold_start = models.BooleanField(default=False)
    provisioned = models.BooleanField(default=False)
    attempt = models.PositiveSmallIntegerField(default=1)
    duration_ms = models.FloatField(default=0.0)
    billed_ms = models.PositiveIntegerField(default=0)
    init_ms = models.FloatField(null=True, blank=True)
    started_at = models.FloatField(help_text="Simulated Unix time.")
    completed_at = models.FloatField(help_text="Simulated Unix time.")
    log = models.TextField(blank=True)
    env_id = models.BigIntegerField(default=0, help_text="The execution environment (0: none, or recorded before).")

    class Meta:
        indexes = [
            models.Index(fields=["function", "-completed_at"], name="record_function_recent"),
            models.Index(fields=["completed_at"], name="record_completed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.function}:{self.executed_version or self.qualifier} {self.outcome}"


class InvocationMinute(models.Model):
    """What older records add up to: counts and durations per function, version and outcome per simulated minute."""

    function = models.CharField(max_length=64)
    executed_version = models.CharField(max_length=16, blank=True)
    outcome = models.CharField(max_length=16)
    minute = models.BigIntegerField(help_text="Simulated Unix time // 60.")
    count = models.PositiveIntegerField(default=0)
    cold_starts = models.PositiveIntegerField(default=0)
    duration_ms_total = models.FloatField(default=0.0)
    billed_ms_total = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["function", "executed_version", "outcome", "minute"], name="invocation_minute_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.function}:{self.executed_version} {self.outcome} @{self.minute}: {self.count}"


class RecordJournalMark(models.Model):
    """The newest invocation-record journal entry already in this database (runtime/record_journal.py): one row,
    moved in the same transaction as the records it covers, so no journal entry is ever written twice."""

    epoch = models.CharField(max_length=32, blank=True, help_text="The journal's epoch (changes if Redis lost it).")
    seq = models.BigIntegerField(default=0, help_text="The last entry written, within that epoch.")

    def __str__(self) -> str:
        return f"journal {self.epoch or '-'} up to {self.seq}"
