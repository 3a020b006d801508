"""Real HTTP requests (the `requests` client) through a function URL to a real Python handler on the live engine
host: the payload format 2.0 event checked against AWS's documented example, the response mapping, and the 403 and
502 answers (semantics §10)."""

import base64
import json
import re
import uuid
from pathlib import Path

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from .conftest import ACCESS_KEY_ID, ROLE, SECRET_ACCESS_KEY, zip_of

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = json.loads((Path(__file__).parent / "fixtures" / "function_url_event.json").read_text())["event"]
# What the docs call optional ("Lambda sets this to null or excludes this from the JSON"), and AWS's recorded events
# leave out: they are not sent.
OPTIONAL = {"pathParameters", "stageVariables", "authentication"}
HANDLER = """
import base64, json

def handler(event, context):
    path = event["rawPath"]
    if path == "/plain":
        return {"hello": "world"}
    if path == "/string":
        return "Hello, world!"
    if path == "/custom":
        return {"statusCode": 201, "headers": {"Content-Type": "text/plain", "My-Custom-Header": "Custom Value"},
                "body": "made", "cookies": ["Cookie_1=Value1; Max-Age=78000", "Cookie_2=Value2"]}
    if path == "/binary":
        return {"statusCode": 200, "headers": {"content-type": "application/octet-stream"},
                "body": base64.b64encode(bytes([0, 1, 255])).decode(), "isBase64Encoded": True}
    if path == "/fail":
        raise RuntimeError("boom")
    if path == "/malformed":
        return {"statusCode": "two hundred"}
    return {"statusCode": 200, "headers": {"content-type": "application/json"},
            "body": json.dumps({"event": event, "version": context.function_version,
                                "arn": context.invoked_function_arn})}
"""


def _grant(client, **extra):
    for sid, action, auth in (("url", "lambda:InvokeFunctionUrl", "NONE"), ("invoke", "lambda:InvokeFunction", None)):
        params = {"FunctionUrlAuthType": auth} if auth else {}
        client.add_permission(FunctionName="web", StatementId=sid, Action=action, Principal="*", **params, **extra)


@pytest.fixture
def web(client, clock_speed):
    """`web` (a real Python handler) published as 1, alias live → 1, with a public URL granted as AWS's console does."""
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
    url = client.create_function_url_config(FunctionName="web", AuthType="NONE")["FunctionUrl"]
    _grant(client)
    return url


def url_id(function_url: str) -> str:
    return re.match(r"^http://([a-z0-9]{32})\.", function_url)[1]


def via_path(live_server, function_url: str, path: str = "/") -> str:
    """The LAN form of the same URL: /lambda-url/<url-id>/<path> on the server's own address."""
    return f"{live_server.url}/lambda-url/{url_id(function_url)}{path}"


def via_host(live_server, function_url: str, path: str, **kwargs) -> requests.Response:
    """The host-based form, sent to 127.0.0.1 with the URL's Host (this machine's resolver may not know
    *.localhost; browsers and curl do)."""
    host = function_url.removeprefix("http://").rstrip("/")
    return requests.request(
        kwargs.pop("method", "GET"),
        f"{live_server.url}{path}",
        headers={"Host": host, **kwargs.pop("headers", {})},
        timeout=30,
        **kwargs,
    )


def shape(value):
    """The JSON's shape: keys and the type of every leaf."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return type(value).__name__


def documented_shape(*, with_authorizer: bool):
    event = {k: v for k, v in DOCS.items() if k not in OPTIONAL}
    context = {k: v for k, v in event["requestContext"].items() if k not in OPTIONAL}
    if not with_authorizer:
        context.pop("authorizer")
    return shape({**event, "requestContext": context})


def docs_request(live_server, web, **kwargs):
    """The docs' example request: POST /my/path?parameter1=value1&parameter1=value2&parameter2=value."""
    return requests.post(
        via_path(live_server, web, "/my/path") + "?parameter1=value1&parameter1=value2&parameter2=value",
        data=b"Hello from client!",
        headers={
            "header1": "value1",
            "header2": "value1,value2",
            "Cookie": "cookie1; cookie2",
            "User-Agent": "agent",
            "Content-Type": "text/plain",
            **kwargs.pop("headers", {}),
        },
        timeout=30,
        **kwargs,
    )


def test_the_event_has_the_documented_shape_and_values(live_server, web):
    # semantics §10: function URLs send payload format 2.0 with routeKey and stage "$default".
    answer = docs_request(live_server, web)
    assert answer.status_code == 200, answer.text
    event = answer.json()["event"]
    expected = documented_shape(with_authorizer=False)
    # Lambda adds its own headers (x-forwarded-*, x-amzn-trace-id) and the client sends its own (host, ...).
    assert shape({**event, "headers": {}}) == {**expected, "headers": {}}
    for key in ("version", "routeKey", "rawPath", "rawQueryString", "cookies", "queryStringParameters", "body"):
        assert event[key] == DOCS[key], key
    assert event["isBase64Encoded"] is False
    assert (event["headers"]["header1"], event["headers"]["header2"]) == ("value1", "value1,value2")
    assert "cookie" not in event["headers"]
    assert event["headers"]["x-forwarded-for"] == "127.0.0.1"
    assert re.match(r"^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$", event["headers"]["x-amzn-trace-id"])
    context = event["requestContext"]
    assert context["http"] == {**DOCS["requestContext"]["http"], "sourceIp": "127.0.0.1"}
    assert context["accountId"] == "anonymous"  # AuthType NONE: no caller identity (AWS's recorded events)
    assert (context["apiId"], context["domainPrefix"]) == (url_id(web), url_id(web))
    assert context["domainName"] == f"{url_id(web)}.lambda-url.us-east-1.localhost"
    assert (context["routeKey"], context["stage"]) == ("$default", "$default")
    assert re.match(r"^\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000$", context["time"])
    assert context["requestId"] == answer.headers["x-amzn-RequestId"]
    # The unqualified URL runs $LATEST.
    assert answer.json()["version"] == "$LATEST"


def test_an_aws_iam_url_needs_sigv4_for_lambda_and_the_event_carries_the_caller(live_server, web, client):
    signed_url = client.create_function_url_config(FunctionName="web", Qualifier="live", AuthType="AWS_IAM")
    address = via_path(live_server, signed_url["FunctionUrl"], "/my/path")
    unsigned = requests.post(address, data=b"hi", timeout=30)
    assert (unsigned.status_code, unsigned.json()) == (403, {"Message": "Forbidden"})

    def signed(service: str) -> requests.Response:
        request = AWSRequest(
            method="POST", url=address, data=b"Hello from client!", headers={"Content-Type": "text/plain"}
        )
        SigV4Auth(Credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY), service, "us-east-1").add_auth(request)
        return requests.post(address, data=b"Hello from client!", headers=dict(request.headers.items()), timeout=30)

    assert signed("execute-api").status_code == 403
    answer = signed("lambda")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert shape(body["event"]["requestContext"]["authorizer"]) == shape(DOCS["requestContext"]["authorizer"])
    assert body["event"]["requestContext"]["authorizer"]["iam"]["accessKey"] == ACCESS_KEY_ID
    assert body["event"]["requestContext"]["accountId"] == "123456789012"
    # The alias URL runs the alias's version, under the alias's ARN.
    assert (body["version"], body["arn"]) == ("1", "arn:aws:lambda:us-east-1:123456789012:function:web:live")


def test_the_host_based_address_reaches_the_same_function(live_server, web):
    answer = via_host(live_server, web, "/a/b?x=1")
    assert answer.status_code == 200, answer.text
    event = answer.json()["event"]
    assert (event["rawPath"], event["rawQueryString"], event["queryStringParameters"]) == ("/a/b", "x=1", {"x": "1"})
    assert event["headers"]["host"] == web.removeprefix("http://").rstrip("/")
    assert "body" not in event


@pytest.mark.parametrize(
    ("path", "status", "content_type", "body"),
    [
        ("/plain", 200, "application/json", b'{"hello": "world"}'),
        ("/string", 200, "application/json", b'"Hello, world!"'),
        ("/custom", 201, "text/plain", b"made"),
        ("/binary", 200, "application/octet-stream", bytes([0, 1, 255])),
    ],
)
def test_the_answer_is_mapped_as_lambda_maps_it(live_server, web, path, status, content_type, body):
    answer = requests.get(via_path(live_server, web, path), timeout=30)
    assert (answer.status_code, answer.headers["content-type"], answer.content) == (status, content_type, body)


def test_custom_headers_and_cookies_become_http_headers(live_server, web):
    answer = requests.get(via_path(live_server, web, "/custom"), timeout=30)
    assert answer.headers["my-custom-header"] == "Custom Value"
    assert answer.raw.headers.getlist("Set-Cookie") == ["Cookie_1=Value1; Max-Age=78000", "Cookie_2=Value2"]


def test_a_binary_request_body_reaches_the_function_base64_encoded(live_server, web):
    answer = requests.post(
        via_path(live_server, web, "/echo"),
        data=bytes([0, 159, 146]),
        headers={"Content-Type": "image/png"},
        timeout=30,
    )
    event = answer.json()["event"]
    assert (event["body"], event["isBase64Encoded"]) == (base64.b64encode(bytes([0, 159, 146])).decode(), True)


@pytest.mark.parametrize("path", ["/fail", "/malformed"])
def test_a_function_error_or_an_unreadable_answer_is_a_502(live_server, web, path):
    answer = requests.get(via_path(live_server, web, path), timeout=30)
    assert answer.status_code == 502
    assert answer.json() == {"Message": "Internal Server Error"}


def test_auth_type_none_needs_both_invoke_permissions_for_everyone(live_server, web, client):
    # Since October 2025: lambda:InvokeFunctionUrl and lambda:InvokeFunction, both for Principal "*".
    address = via_path(live_server, web, "/plain")
    assert requests.get(address, timeout=30).status_code == 200
    client.remove_permission(FunctionName="web", StatementId="invoke")
    refused = requests.get(address, timeout=30)
    assert (refused.status_code, refused.json()) == (403, {"Message": "Forbidden"})
    # A grant limited to a source ARN is not a grant to everyone.
    client.add_permission(
        FunctionName="web",
        StatementId="invoke",
        Action="lambda:InvokeFunction",
        Principal="*",
        SourceArn="arn:aws:execute-api:us-east-1:123456789012:abc/*",
    )
    assert requests.get(address, timeout=30).status_code == 403
    client.remove_permission(FunctionName="web", StatementId="invoke")
    client.add_permission(FunctionName="web", StatementId="invoke", Action="lambda:*", Principal="*")
    assert requests.get(address, timeout=30).status_code == 200
    client.remove_permission(FunctionName="web", StatementId="url")
    assert requests.get(address, timeout=30).status_code == 200  # lambda:* grants lambda:InvokeFunctionUrl too
    client.remove_permission(FunctionName="web", StatementId="invoke")
    client.add_permission(FunctionName="web", StatementId="invoke", Action="lambda:InvokeFunction", Principal="*")
    # A grant for the other auth type does not hold for this URL.
    client.add_permission(
        FunctionName="web",
        StatementId="url",
        Action="lambda:InvokeFunctionUrl",
        Principal="*",
        FunctionUrlAuthType="AWS_IAM",
    )
    assert requests.get(address, timeout=30).status_code == 403


def test_an_alias_url_reads_the_alias_policy_not_the_function_policy(live_server, web, client):
    alias_url = client.create_function_url_config(FunctionName="web", Qualifier="live", AuthType="NONE")["FunctionUrl"]
    address = via_path(live_server, alias_url, "/plain")
    assert requests.get(address, timeout=30).status_code == 403
    _grant(client, Qualifier="live")
    assert requests.get(address, timeout=30).status_code == 200


def test_cors_preflight_is_answered_without_invoking_and_responses_carry_the_origin(live_server, web, client):
    client.update_function_url_config(
        FunctionName="web",
        Cors={"AllowOrigins": ["https://shop.example"], "AllowMethods": ["GET", "POST"], "MaxAge": 300},
    )
    address = via_path(live_server, web, "/plain")
    preflight = requests.options(
        address,
        headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"},
        timeout=30,
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://shop.example"
    assert preflight.headers["access-control-allow-methods"] == "GET,POST"
    assert preflight.headers["access-control-max-age"] == "300"
    assert preflight.content == b""
    answer = requests.get(address, headers={"Origin": "https://shop.example"}, timeout=30)
    assert answer.headers["access-control-allow-origin"] == "https://shop.example"
    other = requests.get(address, headers={"Origin": "https://evil.example"}, timeout=30)
    assert "access-control-allow-origin" not in other.headers


def test_an_unknown_url_id_is_not_found(live_server, web):
    answer = requests.get(f"{live_server.url}/lambda-url/{uuid.uuid4().hex}/", timeout=30)
    assert answer.status_code == 404
    assert answer.json() == {"Message": "Not Found"}


def test_daphne_serves_the_url_as_make_run_does(lean_daphne_url, web):
    # Under ASGI (daphne, as `make run` serves the site) the host routing, the mapping and both cookies hold.
    port = lean_daphne_url.rsplit(":", 1)[1]
    host = f"{url_id(web)}.lambda-url.us-east-1.localhost:{port}"
    custom = requests.get(f"{lean_daphne_url}/custom", headers={"Host": host}, timeout=30)
    assert (custom.status_code, custom.content) == (201, b"made")
    assert custom.raw.headers.getlist("Set-Cookie") == ["Cookie_1=Value1; Max-Age=78000", "Cookie_2=Value2"]
    echoed = requests.post(f"{lean_daphne_url}/lambda-url/{url_id(web)}/x%20y?a=1", data=b"{}", timeout=30)
    assert echoed.status_code == 200, echoed.text
    event = echoed.json()["event"]
    assert (event["rawPath"], event["requestContext"]["http"]["path"]) == ("/x%20y", "/x y")
