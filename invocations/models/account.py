"""The simulated AWS account: one row holding its identity, its concurrency limit and the simulation clock."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..errors import InvalidParameterValueException, ValidationException
from ..rules.messages import pattern_failed
from .validation import RuleChecks

_REGION_RE = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
_ACCOUNT_RE = re.compile(r"^\d{12}$")
SINGLETON_ID = 1


def default_region() -> str:
    return settings.LAMBDAVIZ_REGION


def default_account_id() -> str:
    return settings.LAMBDAVIZ_ACCOUNT_ID


class AccountSettings(models.Model):
    """GetAccountSettings' limits plus what a classroom needs: the region, the account id and the clock speed."""

    region = models.CharField(max_length=32, default=default_region)
    account_id = models.CharField(max_length=12, default=default_account_id)
    concurrency_limit = models.PositiveIntegerField(default=1000, help_text="ConcurrentExecutions for the account.")
    unreserved_minimum = models.PositiveIntegerField(
        default=100, help_text="Reservations must leave at least this much unreserved concurrency."
    )
    clock_factor = models.FloatField(default=1.0, help_text="Simulated seconds per real second (×1, ×10, ×60…).")
    clock_paused = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "account settings"
        verbose_name_plural = "account settings"
        constraints = [
            models.CheckConstraint(condition=Q(id=SINGLETON_ID), name="account_settings_singleton"),
            models.CheckConstraint(condition=Q(clock_factor__gt=0), name="account_settings_clock_factor_positive"),
            models.CheckConstraint(
                condition=Q(unreserved_minimum__lte=models.F("concurrency_limit")),
                name="account_settings_minimum_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"Account {self.account_id} in {self.region}"

    def save(self, *args, **kwargs) -> None:
        # Only ever one row.
        self.pk = SINGLETON_ID
        super().save(*args, **kwargs)

    def clean(self) -> None:
        checks = RuleChecks()
        with checks.rule("region"):
            if not _REGION_RE.match(self.region or ""):
                raise ValidationException(pattern_failed(self.region, "region", r"[a-z]{2}(-gov)?-[a-z]+-\d"))
        with checks.rule("account_id"):
            if not _ACCOUNT_RE.match(self.account_id or ""):
                raise ValidationException(pattern_failed(self.account_id, "accountId", r"\d{12}"))
        with checks.rule("clock_factor"):
            if self.clock_factor is not None and self.clock_factor <= 0:
                raise InvalidParameterValueException(
                    "The clock factor must be greater than 0 (pause the clock instead)."
                )
        with checks.rule("unreserved_minimum"):
            if None not in (self.concurrency_limit, self.unreserved_minimum):
                from .concurrency import claims

                claimed = sum(claims())
                if self.concurrency_limit - claimed < self.unreserved_minimum:
                    raise InvalidParameterValueException(
                        f"The concurrency limit {self.concurrency_limit} minus the {claimed} already reserved or "
                        "provisioned would leave less than the minimum unreserved concurrency "
                        f"[{self.unreserved_minimum}]."
                    )
        checks.raise_any()

    @classmethod
    def load(cls) -> AccountSettings:
        """The account row, created with the defaults from settings on first use."""
        account, _ = cls.objects.get_or_create(pk=SINGLETON_ID)
        return account

    @property
    def where(self) -> dict[str, str]:
        """The keyword arguments every ARN builder takes."""
        return {"region": self.region, "account": self.account_id}
