"""Writes for what topics and buses invoke: SNS topic subscriptions and EventBridge rules (Lambda targets)."""

from __future__ import annotations

from typing import Any

from ..models import EventBus, EventRule, Function, Topic, TopicSubscription
from .common import aws_write, validated


@aws_write
def topic_subscription_create(
    *, topic: Topic, function: Function, qualifier: str = "", filter_policy: dict[str, Any] | None = None
) -> TopicSubscription:
    """Subscribe: `function` (optionally an alias or version) receives the topic's messages as async invokes.
    Subscribing the same endpoint again with the same policy returns the existing subscription, as SNS does."""
    existing = TopicSubscription.objects.filter(topic=topic, function=function, qualifier=qualifier).first()
    if existing is not None and existing.filter_policy == filter_policy:
        return existing
    subscription = TopicSubscription(topic=topic, function=function, qualifier=qualifier, filter_policy=filter_policy)
    validated(subscription)
    subscription.save()
    return subscription


@aws_write
def topic_subscription_delete(*, subscription: TopicSubscription) -> None:
    """Unsubscribe."""
    subscription.delete()


@aws_write
def event_rule_create(
    *,
    bus: EventBus,
    name: str,
    event_pattern: dict[str, Any],
    function: Function,
    qualifier: str = "",
    enabled: bool = True,
) -> EventRule:
    """PutRule + PutTargets with one Lambda target: matching events on `bus` invoke `function` asynchronously."""
    rule = EventRule(
        bus=bus, name=name, event_pattern=event_pattern, function=function, qualifier=qualifier, enabled=enabled
    )
    validated(rule)
    rule.save()
    return rule


@aws_write
def event_rule_delete(*, rule: EventRule) -> None:
    """DeleteRule (with its target)."""
    rule.delete()
