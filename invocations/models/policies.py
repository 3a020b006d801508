"""A function's resource-based policy: one per qualifier ($LATEST, a version or an alias), its statements in order."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from .aliases import Alias
from .functions import Function
from .targets import QualifierTargetMixin
from .versions import Version


class ResourcePolicy(QualifierTargetMixin, models.Model):
    """Empty version and alias means the unqualified function ($LATEST). A policy with no statement left is deleted,
    so GetPolicy answers ResourceNotFoundException as AWS does."""

    function = models.ForeignKey(Function, on_delete=models.CASCADE, related_name="policies")
    version = models.ForeignKey(Version, null=True, blank=True, on_delete=models.CASCADE, related_name="policies")
    alias = models.ForeignKey(Alias, null=True, blank=True, on_delete=models.CASCADE, related_name="policies")
    statements = models.JSONField(default=list, help_text="The Statement list, each as AWS renders it.")
    revision_id = models.UUIDField(default=uuid.uuid4, editable=False)
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "resource policy"
        verbose_name_plural = "resource policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(version__isnull=True) | Q(alias__isnull=True), name="resource_policy_one_qualifier"
            ),
            models.UniqueConstraint(
                fields=["function"],
                condition=Q(version__isnull=True, alias__isnull=True),
                name="resource_policy_one_for_latest",
            ),
            models.UniqueConstraint(
                fields=["version"], condition=Q(version__isnull=False), name="resource_policy_one_per_version"
            ),
            models.UniqueConstraint(
                fields=["alias"], condition=Q(alias__isnull=False), name="resource_policy_one_per_alias"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.function.name}:{self.qualifier} policy"

    def save(self, *args, **kwargs) -> None:
        # Every change gives the policy a new RevisionId (AddPermission/RemovePermission's precondition).
        self.revision_id = uuid.uuid4()
        super().save(*args, **kwargs)

    def statement(self, sid: str) -> dict | None:
        return next((s for s in self.statements if s.get("Sid") == sid), None)
