"""What topics and buses invoke: SNS subscriptions (filter policies) and EventBridge rules (event patterns)."""

import pytest

from invocations import services
from invocations.errors import (
    InvalidParameterValueException,
    ResourceConflictException,
    ResourceNotFoundException,
    ValidationException,
)
from invocations.models import EventRule, TopicSubscription
from invocations.runtime.connection import CONFIG_VERSION
from invocations.services.sources_live import event_bus_put_event, topic_publish
from tests.factories import assert_refused, make_function, make_versions

pytestmark = pytest.mark.django_db

FAILURES = {"source": ["lambda"], "detail-type": ["Lambda Function Invocation Result - Failure"]}


@pytest.fixture
def fn():
    function = make_function("alerts")
    make_versions(function, 0.0)
    services.alias_create(function=function, name="live", function_version="1")
    return function


def test_a_subscription_names_its_topic_its_function_and_an_arn_under_the_topic(fn):
    topic = services.topic_create(name="alerts-topic")
    subscription = services.topic_subscription_create(topic=topic, function=fn, qualifier="live")
    assert subscription.target == "alerts:live"
    assert subscription.function_arn.endswith(":function:alerts:live")
    assert subscription.arn == f"{topic.arn}:{subscription.subscription_id}"
    assert str(subscription) == "alerts-topic → alerts:live"


def test_subscribing_the_same_endpoint_again_returns_it_but_other_attributes_are_refused(fn):
    topic = services.topic_create(name="t")
    first = services.topic_subscription_create(topic=topic, function=fn, filter_policy={"a": ["x"]})
    assert services.topic_subscription_create(topic=topic, function=fn, filter_policy={"a": ["x"]}) == first
    assert_refused(
        lambda: services.topic_subscription_create(topic=topic, function=fn, filter_policy={"a": ["y"]}),
        InvalidParameterValueException,
        "Invalid parameter: Attributes Reason: Subscription already exists with different attributes",
    )


def test_a_filter_policy_outside_the_supported_subset_is_refused_and_nothing_is_created(fn):
    topic = services.topic_create(name="t")
    error = assert_refused(
        lambda: services.topic_subscription_create(topic=topic, function=fn, filter_policy={"a": [{"prefix": "x"}]}),
        InvalidParameterValueException,
    )
    assert error.message.startswith("Invalid parameter: FilterPolicy: a: Unrecognized match type prefix")


def test_a_subscription_or_rule_to_an_unknown_alias_or_version_is_refused(fn):
    topic = services.topic_create(name="t")
    bus = services.bus_create(name="b")
    assert_refused(
        lambda: services.topic_subscription_create(topic=topic, function=fn, qualifier="nope"),
        ResourceNotFoundException,
        f"Function not found: {fn.qualified_arn('nope')}",
    )
    assert_refused(
        lambda: services.event_rule_create(bus=bus, name="r", event_pattern=FAILURES, function=fn, qualifier="7"),
        ResourceNotFoundException,
        f"Function not found: {fn.qualified_arn('7')}",
    )


def test_a_rule_has_an_events_rule_arn_and_a_target(fn):
    default = services.bus_create(name="default")
    custom = services.bus_create(name="orders")
    on_default = services.event_rule_create(bus=default, name="failures", event_pattern=FAILURES, function=fn)
    on_custom = services.event_rule_create(bus=custom, name="failures", event_pattern=FAILURES, function=fn)
    assert on_default.arn == "arn:aws:events:us-east-1:123456789012:rule/failures"
    assert on_custom.arn == "arn:aws:events:us-east-1:123456789012:rule/orders/failures"
    assert (on_default.target, on_default.enabled) == ("alerts", True)


@pytest.mark.parametrize(
    "pattern",
    [
        {},
        {"source": "lambda"},  # leaves must be arrays
        {"source": []},
        {"source": [{"wildcard": "l*"}]},  # not in the supported subset
        ["lambda"],
    ],
)
def test_an_event_pattern_outside_the_supported_subset_is_refused(fn, pattern):
    bus = services.bus_create(name="b")
    error = assert_refused(
        lambda: services.event_rule_create(bus=bus, name="r", event_pattern=pattern, function=fn),
        InvalidParameterValueException,
    )
    assert error.message.startswith("Event pattern is not valid.")


def test_rule_names_follow_eventbridge_rules_and_are_unique_per_bus(fn):
    bus = services.bus_create(name="b")
    other = services.bus_create(name="c")
    assert_refused(
        lambda: services.event_rule_create(bus=bus, name="has space", event_pattern=FAILURES, function=fn),
        ValidationException,
    )
    assert_refused(
        lambda: services.event_rule_create(bus=bus, name="x" * 65, event_pattern=FAILURES, function=fn),
        ValidationException,
    )
    services.event_rule_create(bus=bus, name="r", event_pattern=FAILURES, function=fn)
    assert_refused(
        lambda: services.event_rule_create(bus=bus, name="r", event_pattern=FAILURES, function=fn),
        ResourceConflictException,
        "Rule r already exists on event bus b.",
    )
    services.event_rule_create(bus=other, name="r", event_pattern=FAILURES, function=fn)  # another bus: fine


def test_deleting_a_topic_bus_or_function_removes_its_subscriptions_and_rules(fn):
    topic = services.topic_create(name="t")
    bus = services.bus_create(name="b")
    subscription = services.topic_subscription_create(topic=topic, function=fn)
    rule = services.event_rule_create(bus=bus, name="r", event_pattern=FAILURES, function=fn)
    services.topic_subscription_delete(subscription=subscription)
    services.event_rule_delete(rule=rule)
    assert not TopicSubscription.objects.exists() and not EventRule.objects.exists()
    services.topic_subscription_create(topic=topic, function=fn)
    services.event_rule_create(bus=bus, name="r", event_pattern=FAILURES, function=fn)
    services.function_delete(function=fn)
    assert not TopicSubscription.objects.exists() and not EventRule.objects.exists()


def test_subscription_and_rule_changes_tell_the_live_host_to_reload(
    fn, redis_client, django_capture_on_commit_callbacks
):
    topic = services.topic_create(name="t")
    bus = services.bus_create(name="b")
    seen = [redis_client.get(CONFIG_VERSION)]
    with django_capture_on_commit_callbacks(execute=True):
        subscription = services.topic_subscription_create(topic=topic, function=fn)
    seen.append(redis_client.get(CONFIG_VERSION))
    with django_capture_on_commit_callbacks(execute=True):
        services.event_rule_create(bus=bus, name="r", event_pattern=FAILURES, function=fn)
    seen.append(redis_client.get(CONFIG_VERSION))
    with django_capture_on_commit_callbacks(execute=True):
        services.topic_subscription_delete(subscription=subscription)
    seen.append(redis_client.get(CONFIG_VERSION))
    assert len(set(seen)) == 4


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: topic_publish(topic="nope", message="m"), ResourceNotFoundException, "Topic does not exist"),
        (
            lambda: topic_publish(topic="t", message=""),
            InvalidParameterValueException,
            "Invalid parameter: Empty message",
        ),
        (
            lambda: topic_publish(topic="t", message="x" * 262_145),
            InvalidParameterValueException,
            "Invalid parameter: Message too long",
        ),
        (
            lambda: topic_publish(topic="t", message="m", message_attributes={"a": {"StringValue": "x"}}),
            InvalidParameterValueException,
            "Invalid parameter: MessageAttributes: The message attribute 'a' must contain a DataType.",
        ),
        (
            lambda: topic_publish(topic="t", message="m", message_attributes=["a"]),
            InvalidParameterValueException,
            "Invalid parameter: MessageAttributes: must be a map of attributes.",
        ),
        (
            lambda: event_bus_put_event(bus="nope", source="s", detail_type="d", detail={}),
            ResourceNotFoundException,
            "Event bus nope does not exist.",
        ),
        (
            lambda: event_bus_put_event(bus="b", source="", detail_type="d", detail={}),
            InvalidParameterValueException,
            "Parameters Source and DetailType are required.",
        ),
        (
            lambda: event_bus_put_event(bus="b", source="s", detail_type="d", detail=["x"]),
            InvalidParameterValueException,
            "Detail is malformed: it must be a JSON object.",
        ),
    ],
)
def test_publishing_or_putting_a_bad_message_is_refused_before_anything_is_sent(call, error, message, redis_client):
    services.topic_create(name="t")
    services.bus_create(name="b")
    assert_refused(call, error, message)
    assert redis_client.keys("lv:*") == []  # nothing reached the inbox or an outbox
