"""A function URL: a dedicated HTTP endpoint for a function or one of its aliases (CreateFunctionUrlConfig)."""

from __future__ import annotations

import secrets
import string

from django.db import models
from django.db.models import Q

from .aliases import Alias
from .functions import Function

URL_ID_LENGTH = 32  # AWS's url-id: 32 of [a-z0-9]
_URL_ID_ALPHABET = string.ascii_lowercase + string.digits


def new_url_id() -> str:
    return "".join(secrets.choice(_URL_ID_ALPHABET) for _ in range(URL_ID_LENGTH))


class FunctionUrlAuthType(models.TextChoices):
    NONE = "NONE"
    AWS_IAM = "AWS_IAM"


class FunctionUrlInvokeMode(models.TextChoices):
    BUFFERED = "BUFFERED"
    RESPONSE_STREAM = "RESPONSE_STREAM"


class FunctionUrlConfig(models.Model):
    """An empty alias means the unqualified function ($LATEST); AWS allows no version number here."""

    function = models.ForeignKey(Function, on_delete=models.CASCADE, related_name="url_configs")
    alias = models.ForeignKey(Alias, null=True, blank=True, on_delete=models.CASCADE, related_name="url_configs")
    url_id = models.CharField(max_length=URL_ID_LENGTH, unique=True, default=new_url_id, editable=False)
    auth_type = models.CharField(max_length=8, choices=FunctionUrlAuthType.choices)
    cors = models.JSONField(null=True, blank=True, help_text="Cors as AWS takes it (AllowOrigins, AllowMethods, …).")
    invoke_mode = models.CharField(
        max_length=16, choices=FunctionUrlInvokeMode.choices, default=FunctionUrlInvokeMode.BUFFERED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "function URL"
        ordering = ["function__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["function"], condition=Q(alias__isnull=True), name="function_url_one_for_latest"
            ),
            models.UniqueConstraint(
                fields=["alias"], condition=Q(alias__isnull=False), name="function_url_one_per_alias"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.function.name}:{self.qualifier} URL"

    @property
    def qualifier(self) -> str | None:
        """The alias name, or None for the unqualified function."""
        return self.alias.name if self.alias_id else None

    @property
    def function_arn(self) -> str:
        return self.function.qualified_arn(self.alias.name) if self.alias_id else self.function.arn

    @property
    def target(self) -> str:
        """What the engine host is asked to invoke: "name" or "name:alias"."""
        return f"{self.function.name}:{self.alias.name}" if self.alias_id else self.function.name
