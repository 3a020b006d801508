"""ARNs in AWS's formats: build and parse (semantics §12)."""

import pytest

from invocations import arns

WHERE = {"region": "us-east-2", "account": "123456789012"}


# semantics §12
def test_function_version_alias_and_partial_arns_follow_the_lambda_formats():
    assert arns.function_arn("my-function", **WHERE) == "arn:aws:lambda:us-east-2:123456789012:function:my-function"
    assert arns.qualified_function_arn("my-function", "7", **WHERE).endswith(":function:my-function:7")
    assert arns.qualified_function_arn("my-function", "$LATEST", **WHERE).endswith(":function:my-function:$LATEST")
    assert arns.alias_arn("my-function", "PROD", **WHERE).endswith(":function:my-function:PROD")
    assert arns.partial_function_arn("my-function", account="123456789012") == "123456789012:function:my-function"


# semantics §12
def test_an_event_source_mapping_arn_carries_its_uuid():
    uuid = "a1b2c3d4-5678-90ab-cdef-111122223333"
    arn = arns.event_source_mapping_arn(uuid, **WHERE)
    assert arn == f"arn:aws:lambda:us-east-2:123456789012:event-source-mapping:{uuid}"
    assert arns.event_source_mapping_uuid(arn) == uuid


# semantics §12
def test_other_services_arns_use_their_own_formats():
    assert arns.sqs_queue_arn("orders", **WHERE) == "arn:aws:sqs:us-east-2:123456789012:orders"
    assert arns.sns_topic_arn("alerts", **WHERE) == "arn:aws:sns:us-east-2:123456789012:alerts"
    assert arns.event_bus_arn("default", **WHERE) == "arn:aws:events:us-east-2:123456789012:event-bus/default"
    assert arns.s3_bucket_arn("uploads") == "arn:aws:s3:::uploads"
    assert arns.kinesis_stream_arn("clicks", **WHERE) == "arn:aws:kinesis:us-east-2:123456789012:stream/clicks"
    assert (
        arns.dynamodb_stream_arn("Orders", "2024-01-01T00:00:00.000", **WHERE)
        == "arn:aws:dynamodb:us-east-2:123456789012:table/Orders/stream/2024-01-01T00:00:00.000"
    )
    assert (
        arns.target_group_arn("web", "0123456789abcdef", **WHERE)
        == "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/web/0123456789abcdef"
    )


# semantics §10
def test_the_api_gateway_integration_uri_takes_the_alias_from_a_stage_variable():
    uri = arns.apigateway_integration_uri("checkout", "lambdaAlias", **WHERE)
    assert uri == (
        "arn:aws:apigateway:us-east-2:lambda:path/2015-03-31/functions/"
        "arn:aws:lambda:us-east-2:123456789012:function:checkout:${stageVariables.lambdaAlias}/invocations"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("checkout", arns.FunctionRef("checkout")),
        ("checkout:prod", arns.FunctionRef("checkout", "prod")),
        ("123456789012:function:checkout", arns.FunctionRef("checkout", account="123456789012")),
        (
            "arn:aws:lambda:us-east-2:123456789012:function:checkout:$LATEST",
            arns.FunctionRef("checkout", "$LATEST", "us-east-2", "123456789012"),
        ),
        (
            "arn:aws:lambda:us-east-2:123456789012:function:checkout",
            arns.FunctionRef("checkout", None, "us-east-2", "123456789012"),
        ),
    ],
)
# semantics §12
def test_a_function_name_may_be_a_name_a_partial_arn_or_a_full_arn(text, expected):
    assert arns.parse_function_ref(text) == expected


@pytest.mark.parametrize("text", ["", "bad name", "arn:aws:lambda:us-east-2:123456789012:checkout", "a:b:c"])
def test_text_that_names_no_function_does_not_parse(text):
    assert arns.parse_function_ref(text) is None


def test_any_arn_splits_into_its_parts_and_names_its_resource():
    parsed = arns.parse_arn("arn:aws:sqs:us-east-2:123456789012:orders")
    assert (parsed.service, parsed.region, parsed.account, parsed.resource) == (
        "sqs",
        "us-east-2",
        "123456789012",
        "orders",
    )
    assert str(parsed) == "arn:aws:sqs:us-east-2:123456789012:orders"
    assert arns.resource_name("arn:aws:kinesis:us-east-2:123456789012:stream/clicks") == "clicks"
    assert arns.resource_name("arn:aws:s3:::uploads") == "uploads"
    assert arns.resource_name("arn:aws:lambda:us-east-2:123456789012:function:fn:3") == "fn"
    assert arns.resource_name("arn:aws:elasticloadbalancing:us-east-2:1:targetgroup/web/abc") == "web"
    assert arns.dynamodb_stream_parts("arn:aws:dynamodb:us-east-2:1:table/T/stream/label") == ("T", "label")
    assert arns.parse_arn("not-an-arn") is None
    assert arns.service_of("arn:aws:sns:us-east-2:123456789012:t") == "sns"
