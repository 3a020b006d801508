"""A published version: an immutable snapshot of a function's code and versioned configuration (semantics §4)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .. import arns
from ..errors import ResourceConflictException
from .account import AccountSettings
from .configuration import FunctionConfiguration
from .functions import Function


class VersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ResourceConflictException("Published versions are immutable; publish a new version instead.")


class Version(FunctionConfiguration):
    function = models.ForeignKey(Function, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["function__name", "number"]
        constraints = [
            models.UniqueConstraint(fields=["function", "number"], name="version_number_unique_per_function"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.function.name}:{self.number}"

    def save(self, *args, **kwargs) -> None:
        # Published means frozen: only the first save (the publish) may write.
        if not self._state.adding:
            raise ResourceConflictException(
                f"Version {self.number} of {self.function.name} is published and cannot be changed."
            )
        self.refresh_code_digest()
        super().save(*args, **kwargs)

    @property
    def version(self) -> str:
        return str(self.number)

    @property
    def name(self) -> str:
        return self.function.name

    @property
    def arn(self) -> str:
        return arns.qualified_function_arn(self.function.name, self.version, **AccountSettings.load().where)
