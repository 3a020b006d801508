"""A Lambda function: its name, its $LATEST code and configuration, and the counter that numbers its versions."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from .. import arns
from ..arns import LATEST
from ..errors import ResourceConflictException
from ..rules import functions as rules
from .account import AccountSettings
from .configuration import FunctionConfiguration
from .validation import RuleChecks


class Function(FunctionConfiguration):
    """The function and its $LATEST. Reserved concurrency lives in `FunctionConcurrency` (it is not versioned)."""

    name = models.CharField(max_length=64, unique=True, help_text="1–64 of a-z, A-Z, 0-9, - and _.")
    # Version numbers only grow, even after deletes (semantics §4).
    next_version_number = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(memory_size__gte=rules.MEMORY_MIN, memory_size__lte=rules.MEMORY_MAX),
                name="function_memory_size_range",
            ),
            models.CheckConstraint(
                condition=Q(timeout__gte=rules.TIMEOUT_MIN, timeout__lte=rules.TIMEOUT_MAX),
                name="function_timeout_range",
            ),
            models.CheckConstraint(condition=Q(next_version_number__gte=1), name="function_next_version_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Every change of $LATEST gets a new RevisionId and a fresh CodeSha256.
        self.revision_id = uuid.uuid4()
        self.refresh_code_digest()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        checks = RuleChecks()
        with checks.rule("name"):
            rules.check_name(self.name or "")
            if Function.objects.filter(name=self.name).exclude(pk=self.pk).exists():
                raise ResourceConflictException(f"Function already exist: {self.name}")
        self.check_configuration(checks)
        checks.raise_any()

    @property
    def version(self) -> str:
        return LATEST

    @property
    def arn(self) -> str:
        return arns.function_arn(self.name, **AccountSettings.load().where)

    def qualified_arn(self, qualifier: str = LATEST) -> str:
        return arns.qualified_function_arn(self.name, qualifier, **AccountSettings.load().where)

    @property
    def reserved_concurrency(self) -> int | None:
        """ReservedConcurrentExecutions, or None when the function draws on the unreserved pool."""
        concurrency = getattr(self, "concurrency", None)
        return concurrency.reserved_concurrent_executions if concurrency else None
