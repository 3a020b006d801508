"""An alias: a named pointer to $LATEST or a published version, optionally splitting traffic with one more (§5)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q

from .. import arns
from ..arns import LATEST
from ..errors import InvalidParameterValueException, ResourceConflictException
from ..rules import aliases as rules
from ..rules.functions import check_description
from .account import AccountSettings
from .functions import Function
from .validation import RuleChecks
from .versions import Version


class Alias(models.Model):
    function = models.ForeignKey(Function, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=128)
    description = models.CharField(max_length=256, blank=True)
    # Empty means $LATEST. RESTRICT: a version an alias uses cannot be deleted, unless its function is.
    version = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.RESTRICT, related_name="aliases", help_text="Empty = $LATEST."
    )
    routing_version = models.ForeignKey(
        Version,
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="routing_aliases",
        help_text="The one additional version that receives routing_weight of the traffic.",
    )
    routing_weight = models.FloatField(null=True, blank=True, help_text="0.0–1.0")
    revision_id = models.UUIDField(default=uuid.uuid4, editable=False)
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["function__name", "name"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(fields=["function", "name"], name="alias_name_unique_per_function"),
            models.CheckConstraint(
                condition=Q(routing_version__isnull=True, routing_weight__isnull=True)
                | Q(routing_version__isnull=False, routing_weight__isnull=False),
                name="alias_routing_version_and_weight_together",
            ),
            models.CheckConstraint(
                condition=Q(routing_weight__isnull=True) | Q(routing_weight__gte=0.0, routing_weight__lte=1.0),
                name="alias_routing_weight_range",
            ),
            # No $LATEST with routing, and never the same version twice.
            models.CheckConstraint(
                condition=Q(routing_version__isnull=True) | Q(version__isnull=False),
                name="alias_no_routing_from_latest",
            ),
            models.CheckConstraint(
                condition=Q(routing_version__isnull=True) | ~Q(routing_version=F("version")),
                name="alias_routing_to_another_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.function.name}:{self.name}"

    def save(self, *args, **kwargs) -> None:
        self.revision_id = uuid.uuid4()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        checks = RuleChecks()
        with checks.rule("name"):
            rules.check_name(self.name or "")
            if self.function_id and (
                Alias.objects.filter(function_id=self.function_id, name=self.name).exclude(pk=self.pk).exists()
            ):
                raise ResourceConflictException(f"Alias already exists: {self.arn}")
        with checks.rule("description"):
            check_description(self.description or "")
        with checks.rule("version"):
            for version in (self.version, self.routing_version):
                if version is not None and self.function_id and version.function_id != self.function_id:
                    raise InvalidParameterValueException(f"Version {version} belongs to another function.")
        with checks.rule("routing_version"):
            if (self.routing_version is None) != (self.routing_weight is None):
                raise InvalidParameterValueException("Routing needs both an additional version and its weight.")
            rules.check_routing(self.function_version, self.additional_version_weights)
        checks.raise_any()

    @property
    def function_version(self) -> str:
        """FunctionVersion as AWS shows it: "$LATEST" or the version number."""
        return self.version.version if self.version_id else LATEST

    @property
    def additional_version_weights(self) -> dict[str, float]:
        if self.routing_version_id is None or self.routing_weight is None:
            return {}
        return {self.routing_version.version: self.routing_weight}

    @property
    def routing_config(self) -> dict:
        """RoutingConfig as AWS returns it."""
        return {"AdditionalVersionWeights": self.additional_version_weights}

    @property
    def arn(self) -> str:
        return arns.alias_arn(self.function.name, self.name, **AccountSettings.load().where)

    def version_numbers(self) -> list[int]:
        """The published versions this alias sends traffic to (empty for $LATEST)."""
        return [v.number for v in (self.version, self.routing_version) if v is not None]
