"""API Gateway's pure rules: which resource a path reaches, stage variables in the integration URI, the proxy answer
API Gateway accepts, and the resource-policy check for a service principal (semantics §10)."""

import pytest

from invocations.rules import apigateway as rules
from invocations.rules.apigateway_payload import map_response
from invocations.rules.policies import allows_service

RESOURCES = [
    {"id": "root", "path": "/", "methods": {"GET": {"httpMethod": "GET"}}},
    {"id": "proxy", "path": "/{proxy+}", "methods": {"ANY": {"httpMethod": "ANY"}}},
    {"id": "orders", "path": "/orders", "methods": {"POST": {"httpMethod": "POST"}}},
    {"id": "order", "path": "/orders/{id}", "methods": {"GET": {"httpMethod": "GET"}}},
]


@pytest.mark.parametrize(
    ("method", "path", "resource", "params"),
    [
        ("GET", "/", "root", {}),
        ("POST", "/", "proxy", None),  # no POST on /, and {proxy+} needs at least one segment
        ("POST", "/orders", "orders", {}),  # a literal beats the greedy variable
        ("GET", "/orders", "proxy", {"proxy": "orders"}),  # /orders has no GET: ANY /{proxy+} takes it
        ("GET", "/orders/7", "order", {"id": "7"}),
        ("DELETE", "/orders/7", "proxy", {"proxy": "orders/7"}),
        ("GET", "/a/b/c", "proxy", {"proxy": "a/b/c"}),
    ],
)
def test_the_most_specific_resource_and_method_win(method, path, resource, params):
    found = rules.route(RESOURCES, path=path, method=method)
    if params is None:
        assert found is None
        return
    assert (found.resource_id, found.path_parameters) == (resource, params)


def test_stage_variables_in_the_integration_uri():
    uri = rules.parse_lambda_uri(
        "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
        "arn:aws:lambda:us-east-1:123456789012:function:checkout:${stageVariables.lambdaAlias}/invocations"
    )
    assert uri.stage_variables == ["lambdaAlias"]
    resolved = rules.resolve(uri.function, {"lambdaAlias": "prod"})
    assert rules.function_target(resolved) == ("checkout", "prod")
    assert rules.resolve(uri.function, {}) is None  # resolves to nothing: the request is a 500
    assert rules.parse_lambda_uri("arn:aws:s3:::bucket") is None


def test_headers_and_multi_value_headers_merge_multi_value_winning():
    answer = map_response(
        {"statusCode": 200, "headers": {"A": "1", "B": "1"}, "multiValueHeaders": {"B": ["2", "3"]}, "body": "x"}
    )
    assert answer.headers == [("A", "1"), ("B", "2"), ("B", "3"), ("Content-Type", "application/json")]
    assert (answer.status, answer.body) == (200, b"x")


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "text",
        [],
        {"body": "no status"},
        {"statusCode": "200"},
        {"statusCode": 200, "body": {}},
        {"statusCode": 200, "x": 1},
    ],
)
def test_malformed_proxy_answers(payload):
    assert map_response(payload) is None


def test_the_service_principal_needs_a_matching_source_arn():
    source = "arn:aws:execute-api:us-east-1:123456789012:abc1234567/Prod/GET/{proxy+}"
    grant = {
        "Effect": "Allow",
        "Principal": {"Service": "apigateway.amazonaws.com"},
        "Action": "lambda:InvokeFunction",
        "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:execute-api:us-east-1:123456789012:abc1234567/*/*/*"}},
    }

    def allows(statement, arn=source):
        return allows_service(
            [statement],
            service="apigateway.amazonaws.com",
            action="lambda:InvokeFunction",
            source_arn=arn,
            source_account="123456789012",
        )

    assert allows(grant)
    assert not allows(grant, arn=source.replace("abc1234567", "other00000"))
    assert not allows({**grant, "Principal": {"Service": "elasticloadbalancing.amazonaws.com"}})
    assert not allows({**grant, "Action": "lambda:GetFunction"})
    assert allows({**grant, "Condition": {"StringEquals": {"AWS:SourceAccount": "123456789012"}}})
    assert not allows({**grant, "Condition": {"StringEquals": {"AWS:SourceAccount": "999999999999"}}})
