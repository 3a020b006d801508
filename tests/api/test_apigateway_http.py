"""Real HTTP requests (the `requests` client) through a REST API stage to the function on the live engine host: the
payload format 1.0 event checked against AWS's documented example, the response mapping, API Gateway's failure
answers (502, 500, 504, 403), and the Prod stage's 95/5 split through the alias's weights (semantics §10)."""

import json
from collections import Counter
from pathlib import Path

import pytest
import requests

from .conftest import ROLE, behaviour_zip, create_modelled, zip_of
from .test_apigateway_api import ACCOUNT, apigateway_client, uri

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "apigateway_proxy_event.json").read_text())
DOCS = FIXTURE["event"]
HANDLER = """
import json

def handler(event, context):
    path = event["path"]
    if path == "/plain":
        return {"statusCode": 200, "body": "hi"}
    if path == "/custom":
        return {"statusCode": 201, "headers": {"Content-Type": "text/plain", "X-One": "1"},
                "multiValueHeaders": {"X-Many": ["a", "b"]}, "body": "made"}
    if path == "/fail":
        raise RuntimeError("boom")
    if path == "/no-status":
        return {"hello": "world"}
    if path == "/object-body":
        return {"statusCode": 200, "body": {"not": "a string"}}
    if path == "/extra-key":
        return {"statusCode": 200, "body": "x", "cookies": ["a=b"]}
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"},
            "body": json.dumps({"event": event, "version": context.function_version})}
"""


def build_api(apigw, *, function: str, stages: dict[str, dict[str, str]]) -> str:
    """ANY / and ANY /{proxy+}, each a Lambda proxy integration to function:${stageVariables.lambdaAlias}."""
    api = apigw.create_rest_api(name=f"{function}-api")
    api_id, root = api["id"], api["rootResourceId"]
    proxy = apigw.create_resource(restApiId=api_id, parentId=root, pathPart="{proxy+}")["id"]
    for resource in (root, proxy):
        apigw.put_method(restApiId=api_id, resourceId=resource, httpMethod="ANY", authorizationType="NONE")
        apigw.put_integration(
            restApiId=api_id,
            resourceId=resource,
            httpMethod="ANY",
            type="AWS_PROXY",
            integrationHttpMethod="POST",
            uri=uri(f"{function}:${{stageVariables.lambdaAlias}}"),
        )
    deployment = apigw.create_deployment(restApiId=api_id)["id"]
    for name, variables in stages.items():
        apigw.create_stage(restApiId=api_id, stageName=name, deploymentId=deployment, variables=variables)
    return api_id


def grant(client, function: str, alias: str, api_id: str, sid: str = "apigw") -> None:
    client.add_permission(
        FunctionName=function,
        Qualifier=alias,
        StatementId=sid,
        Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com",
        SourceArn=f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{api_id}/*/*/*",
    )


@pytest.fixture
def web(live_server, client, clock_speed):
    """`web` (a real Python handler) published as 1, alias live → 1, behind a REST API with a testStage stage."""
    clock_speed(10)
    client.create_function(
        FunctionName="web",
        Runtime="python3.12",
        Role=ROLE,
        Handler="lambda_function.handler",
        Code={"ZipFile": zip_of({"lambda_function.py": HANDLER})},
        Publish=True,
    )
    client.create_alias(FunctionName="web", Name="live", FunctionVersion="1")
    apigw = apigateway_client(live_server.url)
    variables = {"lambdaAlias": "live", **FIXTURE["request"]["stageVariables"]}
    api_id = build_api(apigw, function="web", stages={"testStage": variables, "NoAlias": {"other": "x"}})
    grant(client, "web", "live", api_id)
    return api_id


def stage_url(live_server, api_id: str, stage: str, path: str) -> str:
    """The LAN form: /restapis/<api-id>/<stage>/_user_request_/<path> on the server's own address."""
    return f"{live_server.url}/restapis/{api_id}/{stage}/_user_request_{path}"


def shape(value):
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return type(value).__name__


def test_the_event_has_the_documented_shape_and_values(live_server, web):
    # semantics §10: a REST API's Lambda proxy integration sends payload format 1.0.
    request = FIXTURE["request"]
    answer = requests.post(
        stage_url(live_server, web, "testStage", "/hello/world") + "?name=me&multivalueName=you&multivalueName=me",
        data=request["body"].encode(),
        headers=request["headers"],
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    event = answer.json()["event"]
    assert list(event) == list(DOCS)  # every documented key, in the documented order
    for key in ("resource", "path", "httpMethod", "queryStringParameters", "multiValueQueryStringParameters"):
        assert event[key] == DOCS[key], key
    assert (event["pathParameters"], event["body"], event["isBase64Encoded"]) == (
        DOCS["pathParameters"],
        DOCS["body"],
        False,
    )
    assert event["stageVariables"] == {"lambdaAlias": "live", **DOCS["stageVariables"]}
    # Header names arrive case-folded through Django (an approximation, README); values and the two forms agree.
    headers = {name.lower(): value for name, value in event["headers"].items()}
    assert (headers["headername"], headers["content-type"]) == ("headerValue", "application/json")
    assert {name: [value] for name, value in event["headers"].items()} == event["multiValueHeaders"]
    context = event["requestContext"]
    documented = DOCS["requestContext"]
    assert set(documented) | set(FIXTURE["requestContext_also"]) <= set(context)
    assert set(documented["identity"]) <= set(context["identity"])
    assert shape({k: context["identity"][k] for k in documented["identity"]}) == {
        **shape(documented["identity"]),
        "sourceIp": "str",
        "userAgent": "str",
    }
    assert (context["stage"], context["resourcePath"], context["httpMethod"]) == ("testStage", "/{proxy+}", "POST")
    assert (context["apiId"], context["accountId"], context["path"]) == (web, ACCOUNT, "/testStage/hello/world")
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert context["requestId"] == answer.headers["x-amzn-RequestId"]
    assert isinstance(context["requestTimeEpoch"], int)
    assert answer.json()["version"] == "1"  # the alias the stage variable names


def test_the_host_based_address_reaches_the_root_resource(live_server, web):
    port = live_server.url.rsplit(":", 1)[1]
    answer = requests.get(
        f"{live_server.url}/testStage/?x=1&x=2",
        headers={"Host": f"{web}.execute-api.localhost:{port}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    event = answer.json()["event"]
    assert (event["resource"], event["path"], event["pathParameters"]) == ("/", "/", None)
    assert (event["queryStringParameters"], event["multiValueQueryStringParameters"]) == ({"x": "2"}, {"x": ["1", "2"]})
    assert event["body"] is None


def test_the_answer_is_mapped_as_api_gateway_maps_it(live_server, web):
    plain = requests.get(stage_url(live_server, web, "testStage", "/plain"), timeout=30)
    assert (plain.status_code, plain.headers["content-type"], plain.text) == (200, "application/json", "hi")
    custom = requests.get(stage_url(live_server, web, "testStage", "/custom"), timeout=30)
    assert (custom.status_code, custom.headers["content-type"], custom.text) == (201, "text/plain", "made")
    assert (custom.headers["x-one"], custom.headers["x-many"]) == ("1", "a, b")


@pytest.mark.parametrize("path", ["/fail", "/no-status", "/object-body", "/extra-key"])
def test_a_function_error_or_a_malformed_answer_is_a_502(live_server, web, path):
    answer = requests.get(stage_url(live_server, web, "testStage", path), timeout=30)
    assert (answer.status_code, answer.json()) == (502, {"message": "Internal server error"})


def test_no_permission_in_the_resource_policy_is_a_500(live_server, web, client):
    client.remove_permission(FunctionName="web", Qualifier="live", StatementId="apigw")
    answer = requests.get(stage_url(live_server, web, "testStage", "/plain"), timeout=30)
    assert (answer.status_code, answer.json()) == (500, {"message": "Internal server error"})
    # A grant for another API's source ARN does not let this one through.
    client.add_permission(
        FunctionName="web",
        Qualifier="live",
        StatementId="other",
        Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com",
        SourceArn=f"arn:aws:execute-api:us-east-1:{ACCOUNT}:otherapi00/*/*/*",
    )
    assert requests.get(stage_url(live_server, web, "testStage", "/plain"), timeout=30).status_code == 500
    # One limited to this API's GET on the proxy resource does.
    client.add_permission(
        FunctionName="web",
        Qualifier="live",
        StatementId="get-proxy",
        Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com",
        SourceArn=f"arn:aws:execute-api:us-east-1:{ACCOUNT}:{web}/*/GET/{{proxy+}}",
    )
    assert requests.get(stage_url(live_server, web, "testStage", "/plain"), timeout=30).status_code == 200
    assert requests.post(stage_url(live_server, web, "testStage", "/plain"), timeout=30).status_code == 500


def test_a_stage_variable_that_resolves_to_nothing_is_a_500(live_server, web):
    answer = requests.get(stage_url(live_server, web, "NoAlias", "/plain"), timeout=30)
    assert (answer.status_code, answer.json()) == (500, {"message": "Internal server error"})


def test_an_unknown_stage_is_a_403_missing_authentication_token(live_server, web):
    answer = requests.get(stage_url(live_server, web, "Nope", "/plain"), timeout=30)
    assert (answer.status_code, answer.json()) == (403, {"message": "Missing Authentication Token"})


def test_a_lambda_throttle_is_a_500(live_server, web, client):
    # Lambda refuses the invocation (reserved concurrency 0): API Gateway answers 500 (Lambda's docs, "Handling
    # Lambda errors with an API Gateway API").
    client.put_function_concurrency(FunctionName="web", ReservedConcurrentExecutions=0)
    answer = requests.get(stage_url(live_server, web, "testStage", "/plain"), timeout=30)
    assert (answer.status_code, answer.json()) == (500, {"message": "Internal server error"})


def test_the_integration_timeout_of_29_seconds_is_a_504(live_server, client, clock_speed):
    clock_speed(20)
    create_modelled(client, "slow", {"duration_ms": 40_000, "init_ms": 0}, Timeout=60, Publish=True)
    client.create_alias(FunctionName="slow", Name="live", FunctionVersion="1")
    api_id = build_api(apigateway_client(live_server.url), function="slow", stages={"Prod": {"lambdaAlias": "live"}})
    grant(client, "slow", "live", api_id)
    answer = requests.get(stage_url(live_server, api_id, "Prod", "/"), timeout=60)
    assert (answer.status_code, answer.json()) == (504, {"message": "Endpoint request timed out"})


def test_the_prod_stage_splits_95_5_by_the_alias_weights(live_server, client, clock_speed):
    # semantics §10: the stage variable names the alias; the alias's weights pick the version per request.
    clock_speed(50)

    def profile(body: str) -> dict:
        return {"duration_ms": 0, "init_ms": 0, "response": {"statusCode": 200, "body": body}}

    create_modelled(client, "checkout", profile("v1"), Publish=True)
    client.update_function_code(FunctionName="checkout", ZipFile=behaviour_zip(profile("v2")))
    client.publish_version(FunctionName="checkout")
    client.create_alias(
        FunctionName="checkout",
        Name="prod",
        FunctionVersion="1",
        RoutingConfig={"AdditionalVersionWeights": {"2": 0.05}},
    )
    api_id = build_api(
        apigateway_client(live_server.url), function="checkout", stages={"Prod": {"lambdaAlias": "prod"}}
    )
    grant(client, "checkout", "prod", api_id)
    seen: Counter[str] = Counter()
    with requests.Session() as session:
        for _ in range(1000):
            answer = session.get(stage_url(live_server, api_id, "Prod", "/orders"), timeout=30)
            seen[answer.text if answer.status_code == 200 else str(answer.status_code)] += 1
    assert set(seen) == {"v1", "v2"}, seen
    # Binomial(1000, 0.05): mean 50, σ ≈ 6.9; ±4σ.
    assert 22 <= seen["v2"] <= 78, seen
