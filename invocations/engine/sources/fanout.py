"""SNS topic subscriptions and EventBridge rules: which functions a published message or event invokes, and with
what event (semantics §2 "Destinations", §3 "Event shapes"). Pure: the runtime and the live services both use it.

Supported subsets (README "Approximations"):
- SNS filter policies apply to message attributes only (FilterPolicyScope MessageAttributes): per attribute a list
  of exact strings or numbers, `{"anything-but": value or [values]}` and `{"exists": true|false}`; keys are ANDed,
  list items ORed; a String.Array attribute matches when any element does.
- EventBridge patterns use the FilterCriteria subset of `filters.py` (exact values, prefix, numeric, exists, on
  top-level and nested fields such as `detail.requestContext.condition`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ...errors import InvalidParameterValueException
from .async_payloads import sns_event
from .filters import pattern_matches
from .payloads import iso_ms

MAX_POLICY_KEYS = 5  # SNS: at most 5 attribute names per filter policy
# SNS's prefix; ⚠ the reasons after it are AWS's where known, otherwise our wording.
_POLICY_ERROR = "Invalid parameter: FilterPolicy: "


@dataclass(frozen=True, slots=True)
class TopicSubscriber:
    """A Lambda subscription of an SNS topic; `target` is a function name, or name:qualifier."""

    topic_arn: str
    target: str
    subscription_id: str
    filter_policy: Mapping[str, Any] | None = None

    def accepts(self, attributes: Mapping[str, Mapping[str, Any]]) -> bool:
        return self.filter_policy is None or filter_policy_matches(self.filter_policy, attributes)


@dataclass(frozen=True, slots=True)
class BusRule:
    """An enabled EventBridge rule with one Lambda target."""

    bus_arn: str
    name: str
    target: str
    pattern: Mapping[str, Any]

    def matches(self, event: Mapping[str, Any]) -> bool:
        return pattern_matches(self.pattern, event)


# --- SNS -----------------------------------------------------------------------------------------------------------


def sns_message_attributes(attributes: Mapping[str, Mapping[str, Any]] | None) -> dict[str, dict[str, str]]:
    """Publish-style attributes ({"DataType", "StringValue"|"BinaryValue"}, as boto3 and Lambda's DLQ send them)
    in the {"Type", "Value"} form a Lambda subscriber receives; attributes already in that form pass through."""
    out = {}
    for name, attribute in (attributes or {}).items():
        if "Type" in attribute:
            out[name] = {"Type": str(attribute["Type"]), "Value": str(attribute.get("Value", ""))}
        else:
            value = attribute.get("StringValue", attribute.get("BinaryValue", ""))
            out[name] = {"Type": str(attribute.get("DataType", "String")), "Value": str(value)}
    return out


def check_filter_policy(policy: Any) -> None:
    """Refuse what SNS refuses, and what LambdaViz does not model (nested, MessageBody-scope policies)."""
    if not isinstance(policy, Mapping) or not policy:
        raise InvalidParameterValueException(_POLICY_ERROR + "Filter policy must be a non-empty JSON object")
    if len(policy) > MAX_POLICY_KEYS:
        raise InvalidParameterValueException(
            _POLICY_ERROR + f"Filter policy can not have more than {MAX_POLICY_KEYS} keys"
        )
    for name, conditions in policy.items():
        if isinstance(conditions, Mapping):
            raise InvalidParameterValueException(
                _POLICY_ERROR + f"{name}: nested policies (MessageBody scope) are not supported by LambdaViz"
            )
        if not isinstance(conditions, list) or not conditions:
            raise InvalidParameterValueException(_POLICY_ERROR + f"{name}: Empty arrays are not allowed")
        for condition in conditions:
            _check_condition(name, condition)


def _check_condition(name: str, condition: Any) -> None:
    if _is_value(condition):
        return
    if isinstance(condition, Mapping) and len(condition) == 1:
        ((operator, argument),) = condition.items()
        if operator == "exists" and isinstance(argument, bool):
            return
        if operator == "anything-but" and (
            _is_value(argument) or (isinstance(argument, list) and argument and all(map(_is_value, argument)))
        ):
            return
        raise InvalidParameterValueException(
            _POLICY_ERROR + f"{name}: Unrecognized match type {operator} (LambdaViz supports exact values, "
            "anything-but and exists)"
        )
    raise InvalidParameterValueException(_POLICY_ERROR + f"{name}: Match value must be String or number")


def _is_value(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def filter_policy_matches(policy: Mapping[str, Any], attributes: Mapping[str, Mapping[str, Any]]) -> bool:
    """Every policy key must be satisfied by the attribute of that name ({"Type", "Value"} form)."""
    return all(_key_matches(conditions, attributes.get(name)) for name, conditions in policy.items())


def _key_matches(conditions: list, attribute: Mapping[str, Any] | None) -> bool:
    if attribute is None:
        return any(isinstance(c, Mapping) and c.get("exists") is False for c in conditions)
    values = _attribute_values(attribute)
    return any(_condition_matches(c, values) for c in conditions)


def _attribute_values(attribute: Mapping[str, Any]) -> list[Any]:
    kind, raw = str(attribute.get("Type", "String")), str(attribute.get("Value", ""))
    if kind.startswith("Number"):
        try:
            return [float(raw)]
        except ValueError:
            return []
    if kind == "String.Array":
        try:
            items = json.loads(raw)
        except ValueError:
            return []
        return items if isinstance(items, list) else []
    if kind.startswith("Binary"):
        return []  # SNS never matches binary attributes
    return [raw]


def _condition_matches(condition: Any, values: list[Any]) -> bool:
    if isinstance(condition, Mapping):
        ((operator, argument),) = condition.items()
        if operator == "exists":
            return argument is True
        excluded = argument if isinstance(argument, list) else [argument]
        return any(not any(_equal(e, v) for e in excluded) for v in values)
    return any(_equal(condition, v) for v in values)


def _equal(expected: Any, value: Any) -> bool:
    # Strings match String attributes, numbers Number attributes (SNS compares numbers by value: 200 == "2e2").
    if isinstance(expected, str) or isinstance(value, str):
        return isinstance(expected, str) and isinstance(value, str) and expected == value
    if isinstance(value, bool):
        return False
    return float(expected) == float(value)


def sns_deliveries(
    subscribers: Iterable[TopicSubscriber],
    topic_arn: str,
    message: str,
    *,
    attributes: Mapping[str, Mapping[str, Any]] | None,
    message_id: str,
    at: float,
    subject: str | None = None,
) -> list[tuple[str, dict[str, Any]]]:
    """(target, SNS event) for each subscription of `topic_arn` whose filter policy accepts the message."""
    converted = sns_message_attributes(attributes)
    return [
        (
            s.target,
            sns_event(
                topic_arn,
                message,
                message_id=message_id,
                at=at,
                subject=subject,
                message_attributes=converted,
                subscription_id=s.subscription_id,
            ),
        )
        for s in subscribers
        if s.topic_arn == topic_arn and s.accepts(converted)
    ]


# --- EventBridge ---------------------------------------------------------------------------------------------------


def eventbridge_event(
    entry: Mapping[str, Any], *, event_id: str, at: float, region: str, account: str
) -> dict[str, Any]:
    """A full EventBridge event, as a rule's target receives it, from an entry that may lack the fields the bus
    adds (id, account, time, region): Lambda's destination envelope carries only source, detail-type, resources
    and detail."""
    return {
        "version": str(entry.get("version", "0")),
        "id": str(entry.get("id") or event_id),
        "detail-type": entry.get("detail-type", ""),
        "source": entry.get("source", ""),
        "account": str(entry.get("account") or account),
        "time": str(entry.get("time") or iso_ms(at)[:19] + "Z"),  # EventBridge: whole seconds
        "region": str(entry.get("region") or region),
        "resources": list(entry.get("resources") or []),
        "detail": entry.get("detail") if isinstance(entry.get("detail"), Mapping) else {},
    }


def eventbridge_deliveries(
    rules: Iterable[BusRule], bus_arn: str, event: Mapping[str, Any]
) -> list[tuple[str, Mapping[str, Any]]]:
    """(target, event) for each rule on `bus_arn` whose pattern matches the event."""
    return [(rule.target, event) for rule in rules if rule.bus_arn == bus_arn and rule.matches(event)]
