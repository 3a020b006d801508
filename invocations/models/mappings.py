"""An event source mapping: Lambda polls an SQS queue or a stream and invokes a function with batches (§3)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from .. import arns
from ..arns import LATEST
from ..engine.sources.kinds import SourceKind
from ..engine.sources.settings import EsmSettings, check_sqs_visibility_timeout
from ..errors import InvalidParameterValueException, ResourceConflictException, ResourceNotFoundException
from .account import AccountSettings
from .functions import Function
from .sources import Queue, Stream
from .validation import RuleChecks


class MappingState(models.TextChoices):
    CREATING = "Creating"
    ENABLING = "Enabling"
    ENABLED = "Enabled"
    DISABLING = "Disabling"
    DISABLED = "Disabled"
    UPDATING = "Updating"
    DELETING = "Deleting"


class StartingPosition(models.TextChoices):
    TRIM_HORIZON = "TRIM_HORIZON"
    LATEST = "LATEST"
    AT_TIMESTAMP = "AT_TIMESTAMP"


class EventSourceMapping(models.Model):
    """Exactly one source (queue or stream). Settings are stored as given; `settings()` fills AWS's defaults.

    Validation is the engine's `EsmSettings` (invocations/engine/sources/settings.py): one rule set for all layers.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name="UUID")
    function = models.ForeignKey(Function, on_delete=models.CASCADE, related_name="event_source_mappings")
    qualifier = models.CharField(max_length=128, blank=True, help_text="Alias or version; empty = unqualified.")
    queue = models.ForeignKey(Queue, null=True, blank=True, on_delete=models.PROTECT, related_name="mappings")
    stream = models.ForeignKey(Stream, null=True, blank=True, on_delete=models.PROTECT, related_name="mappings")
    batch_size = models.PositiveIntegerField(null=True, blank=True)
    maximum_batching_window_in_seconds = models.PositiveIntegerField(null=True, blank=True)
    starting_position = models.CharField(max_length=16, choices=StartingPosition, blank=True)
    starting_position_timestamp = models.DateTimeField(null=True, blank=True)
    parallelization_factor = models.PositiveSmallIntegerField(null=True, blank=True)
    bisect_batch_on_function_error = models.BooleanField(null=True, blank=True)
    maximum_retry_attempts = models.IntegerField(
        null=True, blank=True, help_text="-1 = retry until the record expires."
    )
    maximum_record_age_in_seconds = models.IntegerField(null=True, blank=True, help_text="-1 = no limit.")
    tumbling_window_in_seconds = models.PositiveIntegerField(null=True, blank=True)
    on_failure_destination = models.CharField(max_length=350, blank=True, verbose_name="OnFailure destination ARN")
    function_response_types = models.JSONField(default=list, blank=True, help_text='["ReportBatchItemFailures"]')
    filter_criteria = models.JSONField(null=True, blank=True, help_text='{"Filters": [{"Pattern": "{...}"}]}')
    maximum_concurrency = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="SQS ScalingConfig, 2–1000."
    )
    enabled = models.BooleanField(default=True)
    state = models.CharField(max_length=16, choices=MappingState, default=MappingState.CREATING)
    state_transition_reason = models.CharField(max_length=256, default="USER_INITIATED")
    last_processing_result = models.CharField(max_length=256, default="No records processed")
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["function__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(queue__isnull=False, stream__isnull=True) | Q(queue__isnull=True, stream__isnull=False),
                name="mapping_exactly_one_source",
            ),
            models.UniqueConstraint(
                fields=["function", "qualifier", "queue"],
                condition=Q(queue__isnull=False),
                name="mapping_unique_queue_per_function",
            ),
            models.UniqueConstraint(
                fields=["function", "qualifier", "stream"],
                condition=Q(stream__isnull=False),
                name="mapping_unique_stream_per_function",
            ),
            models.CheckConstraint(
                condition=Q(batch_size__isnull=True) | Q(batch_size__gte=1, batch_size__lte=10_000),
                name="mapping_batch_size_range",
            ),
            models.CheckConstraint(
                condition=Q(maximum_batching_window_in_seconds__isnull=True)
                | Q(maximum_batching_window_in_seconds__lte=300),
                name="mapping_batching_window_range",
            ),
            models.CheckConstraint(
                condition=Q(parallelization_factor__isnull=True)
                | Q(parallelization_factor__gte=1, parallelization_factor__lte=10),
                name="mapping_parallelization_factor_range",
            ),
        ]

    def __str__(self) -> str:
        source = self.queue or self.stream
        return f"{source} → {self.function.name}" + (f":{self.qualifier}" if self.qualifier else "")

    def clean(self) -> None:
        checks = RuleChecks()
        with checks.rule("queue"):
            if (self.queue is None) == (self.stream is None):
                raise InvalidParameterValueException("Unrecognized event source.")
        if checks.errors or not self.function_id:
            checks.raise_any()
            return
        with checks.rule("qualifier"):
            self.target_configuration()
        with checks.rule():
            self.settings()
        with checks.rule("function"):
            if self.queue is not None and not checks.errors:
                check_sqs_visibility_timeout(self.queue.visibility_timeout, self.target_timeout())
        with checks.rule():
            self._check_duplicate()
        checks.raise_any()

    # --- derived values ----------------------------------------------------------------------------------

    @property
    def kind(self) -> SourceKind:
        if self.queue is not None:
            return SourceKind.SQS_FIFO if self.queue.fifo else SourceKind.SQS
        return SourceKind(self.stream.kind)

    @property
    def event_source_arn(self) -> str:
        return (self.queue or self.stream).arn

    @property
    def function_arn(self) -> str:
        return self.function.qualified_arn(self.qualifier) if self.qualifier else self.function.arn

    @property
    def arn(self) -> str:
        return arns.event_source_mapping_arn(str(self.uuid), **AccountSettings.load().where)

    def api_fields(self) -> dict:
        """The settings as given, under the AWS API's names (None = not given)."""
        timestamp = self.starting_position_timestamp
        return {
            "BatchSize": self.batch_size,
            "MaximumBatchingWindowInSeconds": self.maximum_batching_window_in_seconds,
            "StartingPosition": self.starting_position or None,
            "StartingPositionTimestamp": timestamp.timestamp() if timestamp else None,
            "ParallelizationFactor": self.parallelization_factor,
            "BisectBatchOnFunctionError": self.bisect_batch_on_function_error,
            "MaximumRetryAttempts": self.maximum_retry_attempts,
            "MaximumRecordAgeInSeconds": self.maximum_record_age_in_seconds,
            "TumblingWindowInSeconds": self.tumbling_window_in_seconds,
            "DestinationConfig": (
                {"OnFailure": {"Destination": self.on_failure_destination}} if self.on_failure_destination else None
            ),
            "FunctionResponseTypes": self.function_response_types or None,
            "FilterCriteria": self.filter_criteria,
            "ScalingConfig": (
                {"MaximumConcurrency": self.maximum_concurrency} if self.maximum_concurrency is not None else None
            ),
        }

    def settings(self) -> EsmSettings:
        """The effective settings, AWS's per-source defaults filled in (the engine's validator; AWS-named errors)."""
        return EsmSettings.validate(self.kind, event_source_arn=self.event_source_arn, **self.api_fields())

    def target_configuration(self):
        """The function configurations this mapping invokes: $LATEST, a version, or an alias's versions."""
        qualifier = self.qualifier or LATEST
        # Read $LATEST from the database: the caller's Function object may predate its last update.
        latest = Function.objects.get(pk=self.function_id)
        if qualifier == LATEST:
            return [latest]
        if qualifier.isdigit():
            version = self.function.versions.filter(number=int(qualifier)).first()
            if version is None:
                raise ResourceNotFoundException(f"Function not found: {self.function.qualified_arn(qualifier)}")
            return [version]
        alias = self.function.aliases.filter(name=qualifier).first()
        if alias is None:
            raise ResourceNotFoundException(f"Function not found: {self.function.qualified_arn(qualifier)}")
        targets = [alias.version or latest]
        if alias.routing_version is not None:
            targets.append(alias.routing_version)
        return targets

    def target_timeout(self) -> int:
        return max(config.timeout for config in self.target_configuration())

    def _check_duplicate(self) -> None:
        same = EventSourceMapping.objects.filter(function=self.function, qualifier=self.qualifier).exclude(pk=self.pk)
        existing = same.filter(queue=self.queue).first() if self.queue else same.filter(stream=self.stream).first()
        if existing is None:
            return
        if self.queue is not None:
            raise ResourceConflictException(
                f'An event source mapping with SQS arn (" {self.event_source_arn} ") and function '
                f'(" {self.function.name} ") already exists. Please update or delete the existing mapping with '
                f"UUID {existing.uuid}"
            )
        raise ResourceConflictException(
            f'The event source arn (" {self.event_source_arn} ") and function (" {self.function.name} ") provided '
            f"mapping already exists. Please update or delete the existing mapping with UUID {existing.uuid}"
        )
