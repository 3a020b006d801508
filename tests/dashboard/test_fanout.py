"""SNS subscriptions and EventBridge rules on the dashboard: the diagram's async sources, the chain a destination
topic or bus passes records on to, and the staff-only "Publish to topic" / "Put event on bus" controls."""

import json

import pytest
from django.test import Client

from invocations import selectors
from invocations.models import EventBus, Topic
from invocations.runtime.connection import INBOX
from invocations.selectors.topology import function_topology
from invocations.services import event_invoke_config_put, topic_create, topic_subscription_create
from invocations.services.demo import FAILED_INVOCATIONS

from .test_controls import csrf_token, post

pytestmark = pytest.mark.django_db

TOPIC_URL = "/dashboard/api/sources/topic-message"
BUS_URL = "/dashboard/api/sources/bus-event"
PAGE = "/functions/failure-alerts/"


@pytest.fixture
def seeded(redis_client):
    from invocations.services.demo import demo_seed

    demo_seed()


@pytest.fixture
def staff_client(django_user_model):
    user = django_user_model.objects.create_user("teacher", password="pw", is_staff=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def fn(name):
    return selectors.function_get_unqualified(name)


def queued(redis_client):
    """What reached the engine host's inbox (the async invocations a publish or a put fanned out to)."""
    return [json.loads(raw) for raw in redis_client.lrange(INBOX, 0, -1)]


def test_the_subscribed_function_shows_an_sns_node_and_an_eventbridge_node(seeded):
    sources = function_topology(fn("failure-alerts"))["invokers"]["async"]
    topic = Topic.objects.get(name="thumbnail-failures")
    bus = EventBus.objects.get(name="default")
    assert sources == [
        {
            "kind": "sns",
            "label": "SNS thumbnail-failures",
            "qualifier": "",
            "topic_arn": topic.arn,
            "filter_policy": None,
        },
        {
            "kind": "eventbridge",
            "label": "EventBridge default/lambda-failures",
            "qualifier": "",
            "bus_arn": bus.arn,
            "event_pattern": FAILED_INVOCATIONS,
            "enabled": True,
        },
    ]


def test_a_filter_policy_and_a_qualifier_travel_with_the_subscription(seeded):
    alerts = fn("failure-alerts")
    topic = Topic.objects.get(name="thumbnail-failures")
    policy = {"ErrorCode": ["500", {"anything-but": "404"}]}
    topic_subscription_create(topic=topic, function=alerts, qualifier="$LATEST", filter_policy=policy)
    sns = [s for s in function_topology(alerts)["invokers"]["async"] if s["kind"] == "sns"]
    assert [(s["qualifier"], s["filter_policy"]) for s in sns] == [("", None), ("$LATEST", policy)]


def test_a_destination_topic_names_its_subscribers_and_a_destination_bus_its_rules_targets(seeded):
    # semantics §2: an OnFailure destination may be a topic or a bus; whoever subscribes receives the record.
    thumbnailer = function_topology(fn("thumbnailer"))
    topic = Topic.objects.get(name="thumbnail-failures")
    assert thumbnailer["subscribers"][topic.arn] == [
        {"function": "failure-alerts", "qualifier": "", "via": "subscription"}
    ]
    assert all(not arn.startswith("arn:aws:sqs:") for arn in thumbnailer["subscribers"])

    bus = EventBus.objects.get(name="default")
    checkout = fn("checkout")
    event_invoke_config_put(function=checkout, destination_config={"OnFailure": {"Destination": bus.arn}})
    assert function_topology(checkout)["subscribers"][bus.arn] == [
        {"function": "failure-alerts", "qualifier": "", "via": "rule lambda-failures"}
    ]
    rule = bus.rules.get(name="lambda-failures")
    rule.enabled = False
    rule.save()
    assert function_topology(checkout)["subscribers"][bus.arn] == []  # a disabled rule passes nothing on


def test_a_function_without_topics_or_rules_has_no_sns_or_eventbridge_node(seeded):
    topology = function_topology(fn("checkout"))
    assert [s for s in topology["invokers"]["async"] if s["kind"] in ("sns", "eventbridge")] == []
    assert topology["subscribers"] == {}


def test_the_function_page_offers_staff_the_two_labelled_controls_and_the_supported_subset(admin_client, seeded):
    html = admin_client.get(PAGE).content.decode()
    for label in (
        "<legend>Publish to topic</legend>",
        '<label for="tp-topic">Topic</label>',
        '<label for="tp-message">Message</label>',
        '<label for="tp-attributes">Message attributes',
        "<legend>Put event on bus</legend>",
        '<label for="be-bus">Event bus</label>',
        '<label for="be-source">Source</label>',
        '<label for="be-type">Detail type</label>',
        '<label for="be-detail">Detail (JSON object)</label>',
    ):
        assert label in html
    assert "Filter policies match message attributes only" in html
    assert 'role="alert"' in html


def test_anonymous_visitors_get_neither_control_and_their_posts_are_refused(client, seeded, redis_client):
    html = client.get(PAGE).content.decode()
    assert "Publish to topic" not in html and "Put event on bus" not in html
    for url, body in (
        (TOPIC_URL, {"topic": "thumbnail-failures", "message": "m"}),
        (BUS_URL, {"bus": "default", "source": "lambda", "detail_type": "x", "detail": {}}),
    ):
        response = post(client, url, body)
        assert response.status_code == 403
        assert response["x-amzn-ErrorType"] == "AccessDeniedException"
    assert queued(redis_client) == []


def test_a_read_only_deployment_refuses_staff_too(staff_client, seeded, settings, redis_client):
    settings.LAMBDAVIZ_READONLY_DASHBOARD = True
    token = csrf_token(staff_client, PAGE)
    assert post(staff_client, TOPIC_URL, {"topic": "thumbnail-failures", "message": "m"}, token).status_code == 403
    assert queued(redis_client) == []


def test_a_post_without_the_csrf_token_is_refused(staff_client, seeded, redis_client):
    response = post(staff_client, TOPIC_URL, {"topic": "thumbnail-failures", "message": "m"})
    assert response.status_code == 403
    assert queued(redis_client) == []


def test_staff_publish_to_a_topic_and_the_subscriber_is_invoked_asynchronously(staff_client, seeded, redis_client):
    token = csrf_token(staff_client, PAGE)
    body = {"topic": "thumbnail-failures", "message": '{"alert": 1}', "attributes": {"ErrorCode": "500", "Tries": 3}}
    response = post(staff_client, TOPIC_URL, body, token)
    assert response.status_code == 200, response.content
    message_id = response.json()["MessageId"]
    [request] = queued(redis_client)
    assert (request["type"], request["target"], request["source"]) == ("Event", "failure-alerts", "sns")
    sns = request["payload"]["Records"][0]["Sns"]
    assert sns["MessageId"] == message_id and sns["Message"] == '{"alert": 1}'
    # Plain values became SNS message attributes of the right type.
    assert sns["MessageAttributes"] == {
        "ErrorCode": {"Type": "String", "Value": "500"},
        "Tries": {"Type": "Number", "Value": "3"},
    }


def test_a_filter_policy_keeps_a_message_from_a_subscriber(staff_client, seeded, redis_client):
    alerts = fn("failure-alerts")
    topic = topic_create(name="alarms")
    topic_subscription_create(topic=topic, function=alerts, filter_policy={"severity": ["high"]})
    token = csrf_token(staff_client, PAGE)
    low = post(staff_client, TOPIC_URL, {"topic": "alarms", "message": "m", "attributes": {"severity": "low"}}, token)
    assert low.status_code == 200 and low.json()["MessageId"]  # published, but to no one
    assert queued(redis_client) == []
    post(staff_client, TOPIC_URL, {"topic": "alarms", "message": "m", "attributes": {"severity": "high"}}, token)
    assert [r["target"] for r in queued(redis_client)] == ["failure-alerts"]


def test_staff_put_an_event_and_the_matching_rule_invokes_its_target(staff_client, seeded, redis_client):
    token = csrf_token(staff_client, PAGE)
    body = {
        "bus": "default",
        "source": "lambda",
        "detail_type": "Lambda Function Invocation Result - Failure",
        "detail": '{"requestContext": {"condition": "RetriesExhausted"}}',
    }
    response = post(staff_client, BUS_URL, body, token)
    assert response.status_code == 200, response.content
    event_id = response.json()["Entries"][0]["EventId"]
    [request] = queued(redis_client)
    assert (request["target"], request["source"]) == ("failure-alerts", "eventbridge")
    assert request["payload"]["id"] == event_id
    assert request["payload"]["detail"] == {"requestContext": {"condition": "RetriesExhausted"}}
    # An event the pattern does not match reaches nobody.
    post(staff_client, BUS_URL, {**body, "source": "my.app"}, token)
    assert len(queued(redis_client)) == 1


@pytest.mark.parametrize(
    ("url", "body", "status", "error_type", "message"),
    [
        (TOPIC_URL, {"topic": "nope", "message": "m"}, 404, "ResourceNotFoundException", "Topic does not exist"),
        (
            TOPIC_URL,
            {"topic": "thumbnail-failures", "message": ""},
            400,
            "InvalidParameterValueException",
            "Empty message",
        ),
        (
            TOPIC_URL,
            {"topic": "thumbnail-failures", "message": "m", "attributes": {"a": {"StringValue": "x"}}},
            400,
            "InvalidParameterValueException",
            "must contain a DataType",
        ),
        (
            TOPIC_URL,
            {"topic": "thumbnail-failures", "message": "m", "attributes": "[1, 2]"},
            400,
            "InvalidParameterValueException",
            "attributes: must be a JSON object",
        ),
        (BUS_URL, {"bus": "nope", "source": "s", "detail_type": "d"}, 404, "ResourceNotFoundException", "nope"),
        (
            BUS_URL,
            {"bus": "default", "source": "", "detail_type": "d"},
            400,
            "InvalidParameterValueException",
            "Parameters Source and DetailType are required.",
        ),
        (
            BUS_URL,
            {"bus": "default", "source": "s", "detail_type": "d", "detail": "{not json"},
            400,
            "InvalidParameterValueException",
            "detail: not JSON",
        ),
    ],
)
def test_bad_input_is_refused_with_aws_errors_and_sends_nothing(
    staff_client, seeded, redis_client, url, body, status, error_type, message
):
    token = csrf_token(staff_client, PAGE)
    before = sorted(redis_client.keys("lv:outbox:*"))
    response = post(staff_client, url, body, token)
    assert response.status_code == status, response.content
    assert response["x-amzn-ErrorType"] == error_type
    assert message in response.json()["message"]
    assert queued(redis_client) == []
    assert sorted(redis_client.keys("lv:outbox:*")) == before
