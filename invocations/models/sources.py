"""Simulated AWS resources around functions: SQS queues, SNS topics, event buses, S3 buckets and streams."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from .. import arns
from ..errors import InvalidParameterValueException, ResourceConflictException
from ..rules import sources as rules
from .account import AccountSettings
from .functions import Function
from .validation import RuleChecks


def _unique(checks: RuleChecks, model: type[models.Model], instance: models.Model, message: str, **lookup) -> None:
    with checks.rule(next(iter(lookup))):
        if model.objects.filter(**lookup).exclude(pk=instance.pk).exists():
            raise ResourceConflictException(message)


class Queue(models.Model):
    """An SQS queue, standard or FIFO (name ends in .fifo), with an optional redrive policy to a DLQ queue."""

    name = models.CharField(max_length=80, unique=True)
    visibility_timeout = models.PositiveIntegerField(default=rules.VISIBILITY_TIMEOUT_DEFAULT, help_text="Seconds.")
    message_retention_period = models.PositiveIntegerField(default=rules.RETENTION_DEFAULT, help_text="Seconds.")
    dead_letter_queue = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="source_queues"
    )
    max_receive_count = models.PositiveIntegerField(null=True, blank=True, help_text="Receives before the DLQ.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dead_letter_queue__isnull=True, max_receive_count__isnull=True)
                | Q(dead_letter_queue__isnull=False, max_receive_count__isnull=False),
                name="queue_redrive_policy_complete",
            ),
            models.CheckConstraint(
                condition=Q(dead_letter_queue__isnull=True) | ~Q(dead_letter_queue=F("id")),
                name="queue_not_its_own_dlq",
            ),
            models.CheckConstraint(
                condition=Q(visibility_timeout__lte=rules.VISIBILITY_TIMEOUT_MAX), name="queue_visibility_timeout_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        checks = RuleChecks()
        with checks.rule("name"):
            rules.check_queue_name(self.name or "")
        _unique(checks, Queue, self, f"A queue already exists with the same name: {self.name}", name=self.name)
        with checks.rule("visibility_timeout"):
            if self.visibility_timeout is not None:
                rules.check_visibility_timeout(self.visibility_timeout)
        with checks.rule("message_retention_period"):
            if self.message_retention_period is not None:
                rules.check_retention(self.message_retention_period)
        with checks.rule("dead_letter_queue"):
            if (self.dead_letter_queue is None) != (self.max_receive_count is None):
                raise InvalidParameterValueException(
                    "Value for parameter RedrivePolicy is invalid. Reason: Redrive policy needs both "
                    "deadLetterTargetArn and maxReceiveCount."
                )
            if self.dead_letter_queue is not None:
                rules.check_redrive(
                    queue_name=self.name,
                    dead_letter_name=self.dead_letter_queue.name,
                    max_receive_count=self.max_receive_count,
                )
        checks.raise_any()

    @property
    def fifo(self) -> bool:
        return self.name.endswith(".fifo")

    @property
    def arn(self) -> str:
        return arns.sqs_queue_arn(self.name, **AccountSettings.load().where)

    @property
    def url(self) -> str:
        account = AccountSettings.load()
        return f"https://sqs.{account.region}.amazonaws.com/{account.account_id}/{self.name}"

    @property
    def redrive_policy(self) -> dict | None:
        if self.dead_letter_queue is None:
            return None
        return {"deadLetterTargetArn": self.dead_letter_queue.arn, "maxReceiveCount": self.max_receive_count}


class _NamedTarget(models.Model):
    """What a topic and a bus share: a unique name checked by the service's own naming rule (`check_name`), and
    the service's conflict message (`taken_message`, with {name})."""

    name = models.CharField(max_length=256, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    taken_message = ""

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        checks = RuleChecks()
        with checks.rule("name"):
            self.check_name(self.name or "")
        _unique(checks, type(self), self, self.taken_message.format(name=self.name), name=self.name)
        checks.raise_any()

    @staticmethod
    def check_name(name: str) -> None:
        raise NotImplementedError


class Topic(_NamedTarget):
    """An SNS topic (a DLQ, a destination, or a fan-out source); its subscriptions invoke functions."""

    check_name = staticmethod(rules.check_topic_name)
    taken_message = "Topic already exists: {name}"

    @property
    def arn(self) -> str:
        return arns.sns_topic_arn(self.name, **AccountSettings.load().where)


class EventBus(_NamedTarget):
    """An EventBridge event bus (a destination for invocation records); its rules invoke functions."""

    check_name = staticmethod(rules.check_bus_name)
    taken_message = "Event bus {name} already exists."

    class Meta(_NamedTarget.Meta):
        verbose_name_plural = "event buses"

    @property
    def arn(self) -> str:
        return arns.event_bus_arn(self.name, **AccountSettings.load().where)


class Bucket(models.Model):
    """An S3 bucket; object uploads emit ObjectCreated events to the functions its notifications name."""

    name = models.CharField(max_length=63, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        checks = RuleChecks()
        with checks.rule("name"):
            rules.check_bucket_name(self.name or "")
        _unique(
            checks,
            Bucket,
            self,
            "The requested bucket name is not available. The bucket namespace is shared by all users of the system.",
            name=self.name,
        )
        checks.raise_any()

    @property
    def arn(self) -> str:
        return arns.s3_bucket_arn(self.name)


class BucketNotification(models.Model):
    """One LambdaFunctionConfiguration of a bucket's notification config: which events invoke which function."""

    bucket = models.ForeignKey(Bucket, on_delete=models.CASCADE, related_name="notifications")
    function = models.ForeignKey(Function, on_delete=models.CASCADE, related_name="bucket_notifications")
    qualifier = models.CharField(max_length=128, blank=True, help_text="Alias or version; empty = unqualified.")
    events = models.JSONField(default=list, help_text='For example ["s3:ObjectCreated:*"].')
    prefix = models.CharField(max_length=1024, blank=True)
    suffix = models.CharField(max_length=1024, blank=True)

    class Meta:
        ordering = ["bucket__name", "id"]

    def __str__(self) -> str:
        return f"{self.bucket.name} → {self.function.name}"

    def clean(self) -> None:
        checks = RuleChecks()
        with checks.rule("events"):
            allowed = ("s3:ObjectCreated:", "s3:ObjectRemoved:")
            if (
                not isinstance(self.events, list)
                or not self.events
                or any(not isinstance(e, str) or not e.startswith(allowed) for e in self.events)
            ):
                raise InvalidParameterValueException("The event is not supported for notifications")
        checks.raise_any()

    @property
    def function_arn(self) -> str:
        return self.function.qualified_arn(self.qualifier) if self.qualifier else self.function.arn

    def matches(self, key: str) -> bool:
        return key.startswith(self.prefix) and key.endswith(self.suffix)


class StreamKind(models.TextChoices):
    KINESIS = "kinesis", "Kinesis data stream"
    DYNAMODB = "dynamodb", "DynamoDB stream"


def _stream_label() -> str:
    # DynamoDB names each stream of a table by its creation time.
    return timezone.now().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


class Stream(models.Model):
    """A Kinesis data stream, or a DynamoDB table's stream, split into shards (shardId-000000000000, ...)."""

    kind = models.CharField(max_length=16, choices=StreamKind)
    name = models.CharField(max_length=255, help_text="Stream name, or table name for DynamoDB.")
    stream_label = models.CharField(max_length=32, blank=True, default=_stream_label, editable=False)
    shard_count = models.PositiveSmallIntegerField(default=1)
    retention_hours = models.PositiveIntegerField(default=24)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="stream_name_unique_per_kind"),
            models.CheckConstraint(
                condition=Q(shard_count__gte=1, shard_count__lte=rules.SHARDS_MAX), name="stream_shard_count_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    def clean(self) -> None:
        checks = RuleChecks()
        with checks.rule("name"):
            rules.check_stream_name(self.kind, self.name or "")
            if Stream.objects.filter(kind=self.kind, name=self.name).exclude(pk=self.pk).exists():
                raise ResourceConflictException(f"Stream {self.name} under account already exists.")
        with checks.rule("shard_count"):
            if self.shard_count is not None:
                rules.check_shard_count(self.shard_count)
        with checks.rule("retention_hours"):
            if self.retention_hours is not None and not 24 <= self.retention_hours <= 8760:
                raise InvalidParameterValueException("Retention period must be between 24 and 8760 hours.")
        checks.raise_any()

    @property
    def arn(self) -> str:
        where = AccountSettings.load().where
        if self.kind == StreamKind.DYNAMODB:
            return arns.dynamodb_stream_arn(self.name, self.stream_label, **where)
        return arns.kinesis_stream_arn(self.name, **where)

    @property
    def shard_ids(self) -> list[str]:
        return [f"shardId-{index:012d}" for index in range(self.shard_count)]
