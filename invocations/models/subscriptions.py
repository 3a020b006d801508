"""What a topic or a bus invokes: SNS topic subscriptions and EventBridge rules with a Lambda target."""

from __future__ import annotations

import json
import uuid

from django.db import models

from ..engine.sources.fanout import check_filter_policy
from ..engine.sources.filters import parse_pattern
from ..errors import InvalidParameterValueException, ResourceConflictException, ResourceNotFoundException
from ..rules import sources as rules
from .functions import Function
from .sources import EventBus, Topic
from .validation import RuleChecks


def _check_qualifier(function: Function, qualifier: str) -> None:
    """The version or alias a subscription or rule invokes must exist (empty = unqualified, $LATEST)."""
    if not qualifier or qualifier == "$LATEST":
        return
    found = (
        function.versions.filter(number=int(qualifier)).exists()
        if qualifier.isdigit()
        else function.aliases.filter(name=qualifier).exists()
    )
    if not found:
        raise ResourceNotFoundException(f"Function not found: {function.qualified_arn(qualifier)}")


class _LambdaTarget(models.Model):
    """A function (the subclass's `function` key), optionally qualified, that a topic or a rule invokes
    asynchronously."""

    qualifier = models.CharField(max_length=128, blank=True, help_text="Alias or version; empty = unqualified.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def function_arn(self) -> str:
        return self.function.qualified_arn(self.qualifier) if self.qualifier else self.function.arn

    @property
    def target(self) -> str:
        """What the engine resolves: name, or name:qualifier."""
        return self.function.name + (f":{self.qualifier}" if self.qualifier else "")

    def check_target(self, checks: RuleChecks) -> None:
        with checks.rule("qualifier"):
            if self.function_id is not None:
                _check_qualifier(self.function, self.qualifier or "")


class TopicSubscription(_LambdaTarget):
    """A Lambda subscription of an SNS topic, with an optional filter policy on message attributes."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="subscriptions")
    function = models.ForeignKey(Function, on_delete=models.CASCADE, related_name="topic_subscriptions")
    subscription_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filter_policy = models.JSONField(
        null=True,
        blank=True,
        help_text='On message attributes, e.g. {"ErrorCode": ["200"]}; exact values, anything-but and exists.',
    )

    class Meta:
        ordering = ["topic__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "function", "qualifier"], name="subscription_unique_endpoint")
        ]

    def __str__(self) -> str:
        return f"{self.topic.name} → {self.target}"

    def clean(self) -> None:
        checks = RuleChecks()
        self.check_target(checks)
        with checks.rule("filter_policy"):
            if self.filter_policy is not None:
                check_filter_policy(self.filter_policy)
        with checks.rule():
            if (
                self.topic_id is not None
                and self.function_id is not None
                and TopicSubscription.objects.filter(
                    topic_id=self.topic_id, function_id=self.function_id, qualifier=self.qualifier
                )
                .exclude(pk=self.pk)
                .exists()
            ):
                raise InvalidParameterValueException(
                    "Invalid parameter: Attributes Reason: Subscription already exists with different attributes"
                )
        checks.raise_any()

    @property
    def arn(self) -> str:
        return f"{self.topic.arn}:{self.subscription_id}"


class EventRule(_LambdaTarget):
    """An EventBridge rule on a bus: events matching its pattern invoke its (single) Lambda target."""

    bus = models.ForeignKey(EventBus, on_delete=models.CASCADE, related_name="rules")
    name = models.CharField(max_length=64)
    event_pattern = models.JSONField(
        help_text='e.g. {"source": ["lambda"], "detail-type": ["Lambda Function Invocation Result - Failure"]}.'
    )
    function = models.ForeignKey(Function, on_delete=models.CASCADE, related_name="event_rules")
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["bus__name", "name"]
        constraints = [models.UniqueConstraint(fields=["bus", "name"], name="event_rule_unique_name_per_bus")]

    def __str__(self) -> str:
        return f"{self.bus.name}/{self.name} → {self.target}"

    def clean(self) -> None:
        checks = RuleChecks()
        with checks.rule("name"):
            rules.check_rule_name(self.name or "")
            if (
                self.bus_id is not None
                and EventRule.objects.filter(bus_id=self.bus_id, name=self.name).exclude(pk=self.pk).exists()
            ):
                raise ResourceConflictException(f"Rule {self.name} already exists on event bus {self.bus.name}.")
        with checks.rule("event_pattern"):
            try:
                parse_pattern(json.dumps(self.event_pattern))
            except (InvalidParameterValueException, TypeError):
                raise InvalidParameterValueException(
                    "Event pattern is not valid. Reason: LambdaViz supports a JSON object whose leaves are "
                    "non-empty arrays of exact values, prefix, numeric or exists matchers."
                ) from None
        self.check_target(checks)
        checks.raise_any()

    @property
    def arn(self) -> str:
        # arn:aws:events:<region>:<account>:rule/[<bus>/]<rule>; rules on the default bus omit the bus name.
        prefix = self.bus.arn.split(":event-bus/")[0]
        path = self.name if self.bus.name == "default" else f"{self.bus.name}/{self.name}"
        return f"{prefix}:rule/{path}"
