"""Reserved concurrency (per function, not versioned) and provisioned concurrency (per version or alias) (§8, §9)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q, Sum

from ..errors import InvalidParameterValueException
from ..rules import concurrency as rules
from .account import AccountSettings
from .aliases import Alias
from .functions import Function
from .targets import QualifierTargetMixin
from .validation import RuleChecks
from .versions import Version


def claims(exclude_function_id: int | None = None) -> list[int]:
    """Each function's claim on the account: its reservation, else the provisioned concurrency it holds."""
    reserved = dict(FunctionConcurrency.objects.values_list("function_id", "reserved_concurrent_executions"))
    provisioned = dict(
        ProvisionedConcurrencyConfig.objects.values("function_id")
        .annotate(total=Sum("requested"))
        .values_list("function_id", "total")
    )
    function_ids = (set(reserved) | set(provisioned)) - {exclude_function_id}
    return [reserved[f] if f in reserved else provisioned.get(f, 0) for f in function_ids]


def reserved_for(function_id: int) -> int | None:
    """The function's reservation as stored now (not as a possibly stale Function object remembers it)."""
    return (
        FunctionConcurrency.objects.filter(function_id=function_id)
        .values_list("reserved_concurrent_executions", flat=True)
        .first()
    )


def provisioned_total(function_id: int, exclude_pk: int | None = None) -> int:
    configs = ProvisionedConcurrencyConfig.objects.filter(function_id=function_id).exclude(pk=exclude_pk)
    return configs.aggregate(total=Sum("requested"))["total"] or 0


class FunctionConcurrency(models.Model):
    """ReservedConcurrentExecutions: a floor and a cap for the whole function, all versions included."""

    function = models.OneToOneField(Function, on_delete=models.CASCADE, related_name="concurrency")
    reserved_concurrent_executions = models.PositiveIntegerField()
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "reserved concurrency"
        verbose_name_plural = "reserved concurrency"

    def __str__(self) -> str:
        return f"{self.function.name}: {self.reserved_concurrent_executions} reserved"

    def clean(self) -> None:
        checks = RuleChecks()
        with checks.rule("reserved_concurrent_executions"):
            if self.reserved_concurrent_executions is not None and self.function_id:
                account = AccountSettings.load()
                rules.check_reserved(
                    requested=self.reserved_concurrent_executions,
                    limit=account.concurrency_limit,
                    minimum=account.unreserved_minimum,
                    other_claims=claims(exclude_function_id=self.function_id),
                    own_provisioned=provisioned_total(self.function_id),
                )
        checks.raise_any()


class ProvisionedConcurrencyStatus(models.TextChoices):
    IN_PROGRESS = "IN_PROGRESS"
    READY = "READY"
    FAILED = "FAILED"


class ProvisionedConcurrencyConfig(QualifierTargetMixin, models.Model):
    """Pre-initialised environments for one alias or one published version; never $LATEST."""

    function = models.ForeignKey(Function, on_delete=models.CASCADE, related_name="provisioned_concurrency_configs")
    version = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.CASCADE, related_name="provisioned_concurrency_configs"
    )
    alias = models.ForeignKey(
        Alias, null=True, blank=True, on_delete=models.CASCADE, related_name="provisioned_concurrency_configs"
    )
    requested = models.PositiveIntegerField(verbose_name="requested provisioned concurrent executions")
    allocated = models.PositiveIntegerField(default=0, verbose_name="allocated provisioned concurrent executions")
    status = models.CharField(
        max_length=16, choices=ProvisionedConcurrencyStatus, default=ProvisionedConcurrencyStatus.IN_PROGRESS
    )
    status_reason = models.CharField(max_length=512, blank=True)
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "provisioned concurrency config"
        constraints = [
            models.CheckConstraint(
                condition=Q(version__isnull=False, alias__isnull=True) | Q(version__isnull=True, alias__isnull=False),
                name="provisioned_concurrency_on_version_or_alias",
            ),
            models.UniqueConstraint(
                fields=["version"], condition=Q(version__isnull=False), name="provisioned_concurrency_one_per_version"
            ),
            models.UniqueConstraint(
                fields=["alias"], condition=Q(alias__isnull=False), name="provisioned_concurrency_one_per_alias"
            ),
            models.CheckConstraint(condition=Q(requested__gte=1), name="provisioned_concurrency_requested_positive"),
            models.CheckConstraint(
                condition=Q(allocated__lte=models.F("requested")), name="provisioned_concurrency_allocated_within"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.function.name}:{self.qualifier} ({self.requested} provisioned)"

    def clean(self) -> None:
        checks = RuleChecks()
        with checks.rule("alias" if self.alias_id else "version"):
            self._check_target()
        with checks.rule("requested"):
            if self.requested is not None and self.function_id:
                account = AccountSettings.load()
                rules.check_provisioned(
                    requested=self.requested,
                    limit=account.concurrency_limit,
                    minimum=account.unreserved_minimum,
                    reserved=reserved_for(self.function_id),
                    own_other_provisioned=provisioned_total(self.function_id, exclude_pk=self.pk),
                    other_claims=claims(exclude_function_id=self.function_id),
                )
        checks.raise_any()

    def _check_target(self) -> None:
        if not self.alias_id and not self.version_id:
            raise InvalidParameterValueException(
                "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
            )
        for target in (self.alias, self.version):
            if target is not None and self.function_id and target.function_id != self.function_id:
                raise InvalidParameterValueException(f"{target} belongs to another function.")
        version = self.resolved_version()
        if self.alias_id and version is None:
            # An alias on $LATEST would provision an unpublished version.
            raise InvalidParameterValueException(
                "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
            )
        others = ProvisionedConcurrencyConfig.objects.exclude(pk=self.pk)
        if self.alias_id:
            taken = others.filter(Q(version=version) | Q(alias__version=version)).exists()
        else:
            taken = others.filter(alias__version=version).exists()
        rules.check_one_config_per_version(via_alias=bool(self.alias_id), version_already_provisioned=taken)

    @property
    def available(self) -> int:
        """AvailableProvisionedConcurrentExecutions (the runtime reports allocation)."""
        return self.allocated
