"""SNS filter policies, EventBridge patterns and the events a subscription or rule receives (pure)."""

import json

import pytest

from invocations.engine.records import eventbridge_envelope
from invocations.engine.sources.fanout import (
    BusRule,
    TopicSubscriber,
    check_filter_policy,
    eventbridge_deliveries,
    eventbridge_event,
    filter_policy_matches,
    sns_deliveries,
    sns_message_attributes,
)
from invocations.errors import InvalidParameterValueException

TOPIC = "arn:aws:sns:us-east-1:123456789012:alerts"
BUS = "arn:aws:events:us-east-1:123456789012:event-bus/default"
FN = "arn:aws:lambda:us-east-1:123456789012:function:fn:$LATEST"


def attrs(**values) -> dict:
    """{"Name": {"Type", "Value"}}: strings as String, numbers as Number, lists as String.Array."""
    out = {}
    for name, value in values.items():
        if isinstance(value, list):
            out[name] = {"Type": "String.Array", "Value": json.dumps(value)}
        elif isinstance(value, int | float):
            out[name] = {"Type": "Number", "Value": str(value)}
        else:
            out[name] = {"Type": "String", "Value": value}
    return out


# --- SNS filter policies ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "attributes", "expected"),
    [
        ({"color": ["red", "blue"]}, attrs(color="blue"), True),
        ({"color": ["red"]}, attrs(color="green"), False),
        ({"color": ["red"]}, {}, False),  # a missing attribute fails an exact match
        ({"color": ["red"], "size": ["L"]}, attrs(color="red", size="M"), False),  # keys are ANDed
        ({"color": [{"anything-but": "red"}]}, attrs(color="blue"), True),
        ({"color": [{"anything-but": ["red", "blue"]}]}, attrs(color="blue"), False),
        ({"color": [{"anything-but": "red"}]}, {}, False),  # anything-but needs the attribute
        ({"color": [{"exists": False}]}, {}, True),
        ({"color": [{"exists": True}]}, attrs(color="x"), True),
        ({"color": [{"exists": True}]}, {}, False),
        ({"code": [200]}, attrs(code=200), True),
        ({"code": [200]}, attrs(code="200"), False),  # a number matches Number attributes only
        ({"code": ["200"]}, attrs(code=200), False),
        ({"code": [{"anything-but": [500, 503]}]}, attrs(code=200), True),
        ({"tags": ["b"]}, attrs(tags=["a", "b"]), True),  # String.Array: any element
        ({"tags": ["c"]}, attrs(tags=["a", "b"]), False),
    ],
)
def test_a_filter_policy_matches_message_attributes_as_sns_does(policy, attributes, expected):
    check_filter_policy(policy)
    assert filter_policy_matches(policy, attributes) is expected


@pytest.mark.parametrize(
    ("policy", "reason"),
    [
        ({}, "Filter policy must be a non-empty JSON object"),
        (["red"], "Filter policy must be a non-empty JSON object"),
        ({"a": []}, "a: Empty arrays are not allowed"),
        ({"a": "red"}, "a: Empty arrays are not allowed"),
        ({"a": [True]}, "a: Match value must be String or number"),
        ({"a": [{"prefix": "x"}]}, "a: Unrecognized match type prefix"),
        ({"a": [{"anything-but": []}]}, "a: Unrecognized match type anything-but"),
        ({"a": {"b": ["x"]}}, "a: nested policies (MessageBody scope) are not supported by LambdaViz"),
        ({f"k{i}": ["x"] for i in range(6)}, "Filter policy can not have more than 5 keys"),
    ],
)
def test_an_unsupported_or_malformed_filter_policy_is_refused_with_sns_wording(policy, reason):
    with pytest.raises(InvalidParameterValueException) as info:
        check_filter_policy(policy)
    assert info.value.message.startswith(f"Invalid parameter: FilterPolicy: {reason}")


def test_publish_style_attributes_become_the_type_and_value_a_subscriber_receives():
    # semantics §2: Lambda's DLQ attributes (RequestID String, ErrorCode Number, ErrorMessage String).
    dlq = {
        "RequestID": {"DataType": "String", "StringValue": "r-1"},
        "ErrorCode": {"DataType": "Number", "StringValue": "200"},
    }
    assert sns_message_attributes(dlq) == {
        "RequestID": {"Type": "String", "Value": "r-1"},
        "ErrorCode": {"Type": "Number", "Value": "200"},
    }


# semantics §3 (SNS event shape)
def test_a_published_message_reaches_each_accepting_subscription_of_its_topic_as_an_sns_event():
    subscribers = [
        TopicSubscriber(TOPIC, "all", "sub-1"),
        TopicSubscriber(TOPIC, "errors:prod", "sub-2", {"ErrorCode": [200]}),
        TopicSubscriber(TOPIC, "throttles", "sub-3", {"ErrorCode": [429]}),
        TopicSubscriber(TOPIC + "-other", "elsewhere", "sub-4"),
    ]
    deliveries = sns_deliveries(
        subscribers,
        TOPIC,
        '{"k": 1}',
        attributes={"ErrorCode": {"DataType": "Number", "StringValue": "200"}},
        message_id="m-1",
        at=1_700_000_000.5,
    )
    assert [target for target, _ in deliveries] == ["all", "errors:prod"]
    (record,) = deliveries[1][1]["Records"]
    assert record["EventSource"] == "aws:sns"
    assert record["EventSubscriptionArn"] == f"{TOPIC}:sub-2"
    sns = record["Sns"]
    assert (sns["TopicArn"], sns["Message"], sns["MessageId"]) == (TOPIC, '{"k": 1}', "m-1")
    assert sns["MessageAttributes"] == {"ErrorCode": {"Type": "Number", "Value": "200"}}
    assert sns["Timestamp"] == "2023-11-14T22:13:20.500Z"


# --- EventBridge -----------------------------------------------------------------------------------------------


def failure_event() -> dict:
    # semantics §2: the destination envelope (source lambda, detail-type ... - Failure, detail = the record).
    record = {"requestContext": {"condition": "RetriesExhausted", "approximateInvokeCount": 3}, "requestPayload": {}}
    entry = eventbridge_envelope(BUS, FN, record, success=False)
    return eventbridge_event(entry, event_id="e-1", at=1_700_000_000.9, region="eu-west-1", account="111122223333")


def test_the_bus_completes_lambdas_envelope_into_a_full_eventbridge_event():
    event = failure_event()
    assert event == {
        "version": "0",
        "id": "e-1",
        "detail-type": "Lambda Function Invocation Result - Failure",
        "source": "lambda",
        "account": "111122223333",
        "time": "2023-11-14T22:13:20Z",
        "region": "eu-west-1",
        "resources": [BUS, FN],
        "detail": {
            "requestContext": {"condition": "RetriesExhausted", "approximateInvokeCount": 3},
            "requestPayload": {},
        },
    }


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ({"source": ["lambda"]}, True),
        ({"source": ["aws.s3", "lambda"], "detail-type": ["Lambda Function Invocation Result - Failure"]}, True),
        ({"detail-type": ["Lambda Function Invocation Result - Success"]}, False),
        ({"detail": {"requestContext": {"condition": ["RetriesExhausted"]}}}, True),
        ({"detail": {"requestContext": {"condition": ["EventAgeExceeded"]}}}, False),
        ({"detail": {"requestContext": {"approximateInvokeCount": [{"numeric": [">=", 3]}]}}}, True),
        ({"detail-type": [{"prefix": "Lambda Function Invocation Result"}]}, True),
        ({"detail": {"responsePayload": [{"exists": True}]}}, False),
    ],
)
def test_a_rule_matches_events_by_its_pattern(pattern, expected):
    rule = BusRule(BUS, "r", "fn", pattern)
    assert rule.matches(failure_event()) is expected


def test_only_matching_rules_of_the_same_bus_receive_the_event():
    rules = [
        BusRule(BUS, "failures", "alerts", {"detail-type": ["Lambda Function Invocation Result - Failure"]}),
        BusRule(BUS, "successes", "audit", {"detail-type": ["Lambda Function Invocation Result - Success"]}),
        BusRule(BUS + "-other", "all", "elsewhere", {"source": ["lambda"]}),
    ]
    event = failure_event()
    assert eventbridge_deliveries(rules, BUS, event) == [("alerts", event)]
