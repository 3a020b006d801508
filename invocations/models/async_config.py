"""EventInvokeConfig: retries, maximum event age and destinations for async invokes, per qualifier (semantics §2)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ..errors import InvalidParameterValueException, ValidationException
from ..rules import destinations
from ..rules.messages import at_least, at_most
from .aliases import Alias
from .functions import Function
from .targets import QualifierTargetMixin
from .validation import RuleChecks
from .versions import Version

RETRIES_MIN, RETRIES_MAX, RETRIES_DEFAULT = 0, 2, 2
EVENT_AGE_MIN, EVENT_AGE_MAX, EVENT_AGE_DEFAULT = 60, 21_600, 21_600


class EventInvokeConfig(QualifierTargetMixin, models.Model):
    """Empty version and alias means $LATEST. Unset numbers mean AWS's defaults (2 retries, 6 hours)."""

    function = models.ForeignKey(Function, on_delete=models.CASCADE, related_name="event_invoke_configs")
    version = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.CASCADE, related_name="event_invoke_configs"
    )
    alias = models.ForeignKey(
        Alias, null=True, blank=True, on_delete=models.CASCADE, related_name="event_invoke_configs"
    )
    maximum_retry_attempts = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0–2; empty = 2.")
    maximum_event_age_in_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="60–21600; empty = 21600."
    )
    on_success = models.CharField(max_length=350, blank=True, verbose_name="OnSuccess destination ARN")
    on_failure = models.CharField(max_length=350, blank=True, verbose_name="OnFailure destination ARN")
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "event invoke config"
        constraints = [
            models.CheckConstraint(
                condition=Q(version__isnull=True) | Q(alias__isnull=True), name="event_invoke_config_one_qualifier"
            ),
            models.UniqueConstraint(
                fields=["function"],
                condition=Q(version__isnull=True, alias__isnull=True),
                name="event_invoke_config_one_for_latest",
            ),
            models.UniqueConstraint(
                fields=["version"], condition=Q(version__isnull=False), name="event_invoke_config_one_per_version"
            ),
            models.UniqueConstraint(
                fields=["alias"], condition=Q(alias__isnull=False), name="event_invoke_config_one_per_alias"
            ),
            models.CheckConstraint(
                condition=Q(maximum_retry_attempts__isnull=True)
                | Q(maximum_retry_attempts__gte=RETRIES_MIN, maximum_retry_attempts__lte=RETRIES_MAX),
                name="event_invoke_config_retries_range",
            ),
            models.CheckConstraint(
                condition=Q(maximum_event_age_in_seconds__isnull=True)
                | Q(maximum_event_age_in_seconds__gte=EVENT_AGE_MIN, maximum_event_age_in_seconds__lte=EVENT_AGE_MAX),
                name="event_invoke_config_event_age_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.function.name}:{self.qualifier} async config"

    def clean(self) -> None:
        checks = RuleChecks()
        with checks.rule():
            if (
                self.maximum_retry_attempts is None
                and self.maximum_event_age_in_seconds is None
                and not self.on_success
                and not self.on_failure
            ):
                raise InvalidParameterValueException(
                    "You must specify at least one of error handling or destination setting."
                )
        with checks.rule("maximum_retry_attempts"):
            _check_range(self.maximum_retry_attempts, "maximumRetryAttempts", RETRIES_MIN, RETRIES_MAX)
        with checks.rule("maximum_event_age_in_seconds"):
            _check_range(self.maximum_event_age_in_seconds, "maximumEventAgeInSeconds", EVENT_AGE_MIN, EVENT_AGE_MAX)
        with checks.rule("version"):
            for target in (self.alias, self.version):
                if target is not None and self.function_id and target.function_id != self.function_id:
                    raise InvalidParameterValueException(f"{target} belongs to another function.")
        with checks.rule("on_success" if self.on_success else "on_failure"):
            if self.function_id:
                destinations.check_async_destinations(
                    function_name=self.function.name,
                    on_success=self.on_success or None,
                    on_failure=self.on_failure or None,
                    function_exists=lambda name: Function.objects.filter(name=name).exists(),
                )
        checks.raise_any()

    @property
    def effective_maximum_retry_attempts(self) -> int:
        return RETRIES_DEFAULT if self.maximum_retry_attempts is None else self.maximum_retry_attempts

    @property
    def effective_maximum_event_age_in_seconds(self) -> int:
        return EVENT_AGE_DEFAULT if self.maximum_event_age_in_seconds is None else self.maximum_event_age_in_seconds

    @property
    def destination_config(self) -> dict:
        """DestinationConfig as AWS returns it."""
        return {
            "OnSuccess": {"Destination": self.on_success} if self.on_success else {},
            "OnFailure": {"Destination": self.on_failure} if self.on_failure else {},
        }


def _check_range(value: int | None, member: str, low: int, high: int) -> None:
    if value is None:
        return
    if value < low:
        raise ValidationException(at_least(value, member, low))
    if value > high:
        raise ValidationException(at_most(value, member, high))
