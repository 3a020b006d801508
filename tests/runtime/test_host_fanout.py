"""Deliveries to SNS topics and EventBridge buses invoke their subscriptions and rules in the live host (issue 4)."""

import json

import pytest

from invocations.models import InvocationRecord
from invocations.runtime.connection import inbox_push
from invocations.runtime.host.wiring import build_host
from invocations.runtime.publisher import Publisher
from invocations.runtime.shared_clock import SharedClock
from invocations.runtime.targets import outbox
from invocations.services import (
    bus_create,
    event_invoke_config_put,
    event_rule_create,
    function_create,
    topic_create,
    topic_subscription_create,
)
from invocations.services.host_adapter import DatabaseConfig, DatabaseReporter
from invocations.services.sources_live import event_bus_put_event, topic_publish

from .test_host import CollectingLayer

pytestmark = pytest.mark.django_db(transaction=True)

# A real handler that writes the event it received to its log, so a test can read what the subscriber got.
RECORDER = "import json\ndef handler(event, context):\n    print('EVENT ' + json.dumps(event))\n    return 'ok'\n"
FAILURE = "Lambda Function Invocation Result - Failure"


@pytest.fixture
def host(redis_client):
    SharedClock(redis_client).set_speed(20.0)
    engine_host = build_host(
        client=redis_client,
        config=DatabaseConfig(),
        reporter=DatabaseReporter(),
        publisher=Publisher(channel_layer=CollectingLayer()),
        seed=5,
    )
    yield engine_host
    engine_host.close()


def recorder(name: str):
    return function_create(name=name, runtime="python3.12", handler="lambda_function.handler", handler_source=RECORDER)


def failing(name: str, **config):
    return function_create(name=name, behaviour_profile={"duration_ms": 5, "error_rate": 1.0}, **config)


def received(function: str) -> list[tuple[InvocationRecord, dict]]:
    """Each recorded invocation of a RECORDER function, with the event its handler printed."""
    out = []
    for record in InvocationRecord.objects.filter(function=function).order_by("started_at"):
        line = next(line for line in record.log.splitlines() if line.startswith("EVENT "))
        out.append((record, json.loads(line.removeprefix("EVENT "))))
    return out


def run_until(host, condition, seconds: float = 6.0) -> None:
    waited = 0.0
    while waited < seconds and not condition():
        host.run(0.5)
        waited += 0.5


def test_an_on_failure_record_sent_to_a_topic_invokes_the_subscribed_function_with_an_sns_event(host, redis_client):
    # semantics §2 (destinations: SNS carries the record as the message body) and §3 (SNS event shape).
    topic = topic_create(name="failures")
    event_invoke_config_put(
        function=failing("worker"),
        maximum_retry_attempts=0,
        destination_config={"OnFailure": {"Destination": topic.arn}},
    )
    subscription = topic_subscription_create(topic=topic, function=recorder("on-call"))
    host.step()  # reload the configuration
    inbox_push([{"op": "invoke", "type": "Event", "target": "worker", "payload": {"order": 7}}], redis_client)
    run_until(host, lambda: InvocationRecord.objects.filter(function="on-call").exists())
    ((record, event),) = received("on-call")
    assert (record.source, record.invocation_type, record.outcome) == ("sns", "Event", "Success")
    (sns_record,) = event["Records"]
    assert sns_record["EventSource"] == "aws:sns"
    assert sns_record["EventSubscriptionArn"] == subscription.arn
    assert sns_record["Sns"]["TopicArn"] == topic.arn
    message = json.loads(sns_record["Sns"]["Message"])
    assert message["requestContext"]["condition"] == "RetriesExhausted"
    assert message["requestPayload"] == {"order": 7}
    (delivery,) = outbox(redis_client, topic.arn)  # the dashboard's view of the topic keeps the delivery
    assert json.loads(delivery["body"]) == message


def test_a_dlq_topic_delivers_the_original_event_only_to_subscriptions_whose_filter_policy_accepts_it(
    host, redis_client
):
    # semantics §2 (DLQ: body = the original event; ErrorCode "200" for a function error, a Number attribute).
    topic = topic_create(name="dead-letters")
    event_invoke_config_put(function=failing("job", dead_letter_target_arn=topic.arn), maximum_retry_attempts=0)
    topic_subscription_create(topic=topic, function=recorder("function-errors"), filter_policy={"ErrorCode": [200]})
    topic_subscription_create(
        topic=topic,
        function=function_create(name="not-function-errors", behaviour_profile={"duration_ms": 5}),
        filter_policy={"ErrorCode": [{"anything-but": [200]}]},
    )
    host.step()
    inbox_push([{"op": "invoke", "type": "Event", "target": "job", "payload": {"id": "a-1"}}], redis_client)
    run_until(host, lambda: InvocationRecord.objects.filter(function="function-errors").exists())
    host.run(0.5)  # time enough for a wrong delivery to show up too
    ((record, event),) = received("function-errors")
    sns = event["Records"][0]["Sns"]
    assert json.loads(sns["Message"]) == {"id": "a-1"}
    assert sns["MessageAttributes"]["ErrorCode"] == {"Type": "Number", "Value": "200"}
    assert sns["MessageAttributes"]["RequestID"]["Value"] == InvocationRecord.objects.get(function="job").request_id
    assert not InvocationRecord.objects.filter(function="not-function-errors").exists()


def test_a_bus_destination_invokes_only_the_rules_whose_pattern_matches_with_an_eventbridge_event(host, redis_client):
    # semantics §2: EventBridge carries the record as `detail`, source "lambda", detail-type "... - Failure".
    bus = bus_create(name="default")
    event_invoke_config_put(
        function=failing("payments"),
        maximum_retry_attempts=0,
        destination_config={"OnFailure": {"Destination": bus.arn}},
    )
    quiet = function_create(name="quiet", behaviour_profile={"duration_ms": 5})
    event_rule_create(
        bus=bus,
        name="failures",
        event_pattern={"source": ["lambda"], "detail": {"requestContext": {"condition": ["RetriesExhausted"]}}},
        function=recorder("failure-audit"),
    )
    event_rule_create(
        bus=bus,
        name="successes",
        event_pattern={"detail-type": ["Lambda Function Invocation Result - Success"]},
        function=quiet,
    )
    event_rule_create(bus=bus, name="disabled", event_pattern={"source": ["lambda"]}, function=quiet, enabled=False)
    host.step()
    inbox_push([{"op": "invoke", "type": "Event", "target": "payments", "payload": {"amount": 5}}], redis_client)
    run_until(host, lambda: InvocationRecord.objects.filter(function="failure-audit").exists())
    host.run(0.5)
    ((record, event),) = received("failure-audit")
    assert record.source == "eventbridge"
    assert (event["source"], event["detail-type"]) == ("lambda", FAILURE)
    assert event["resources"][0] == bus.arn
    assert event["account"] == "123456789012" and event["region"] == "us-east-1" and event["id"]
    assert event["detail"]["requestPayload"] == {"amount": 5}
    assert event["detail"]["requestContext"]["functionArn"].endswith(":function:payments:$LATEST")
    assert not InvocationRecord.objects.filter(function="quiet").exists()
    assert len(outbox(redis_client, bus.arn)) == 1


def test_publish_and_put_events_go_through_the_host_to_subscriptions_and_rules(host, redis_client):
    # semantics §3: SNS and EventBridge invoke asynchronously.
    topic = topic_create(name="news")
    bus = bus_create(name="shop")
    listener = recorder("listener")
    topic_subscription_create(topic=topic, function=listener, filter_policy={"kind": ["sale"]})
    event_rule_create(bus=bus, name="orders", event_pattern={"source": ["shop.orders"]}, function=listener)
    host.step()
    topic_publish(
        topic="news",
        message="hello",
        subject="greeting",
        message_attributes={"kind": {"DataType": "String", "StringValue": "sale"}},
    )
    topic_publish(
        topic=topic.arn, message="filtered out", message_attributes={"kind": {"DataType": "String", "StringValue": "x"}}
    )
    event_id = event_bus_put_event(bus="shop", source="shop.orders", detail_type="OrderPlaced", detail={"id": 1})
    event_bus_put_event(bus=bus.arn, source="shop.returns", detail_type="ReturnOpened", detail={"id": 2})
    run_until(host, lambda: InvocationRecord.objects.filter(function="listener").count() >= 2)
    host.run(0.5)
    events = {record.source: event for record, event in received("listener")}
    assert set(events) == {"sns", "eventbridge"}
    sns = events["sns"]["Records"][0]["Sns"]
    assert (sns["Message"], sns["Subject"]) == ("hello", "greeting")
    assert (events["eventbridge"]["id"], events["eventbridge"]["detail"]) == (event_id, {"id": 1})
    assert len(outbox(redis_client, topic.arn)) == 2 and len(outbox(redis_client, bus.arn)) == 2
