"""Invoke's ClientContext (X-Amz-Client-Context) through real boto3 to a real Python handler (semantics §1)."""

import base64
import json

import pytest

from .conftest import ROLE, error_of, lambda_api_client, zip_of

pytestmark = pytest.mark.django_db(transaction=True)

HANDLER = """
def handler(event, context):
    cc = context.client_context
    if cc is None:
        return None
    client = cc.client  # None when the context has no "client" member, as in AWS's runtime
    return {"custom": cc.custom, "env": cc.env, "app_title": client and client.app_title,
            "app_package_name": client and client.app_package_name}
"""
INVALID = "Client context must be a valid Base64-encoded JSON object."


@pytest.fixture
def echo(client, clock_speed):
    clock_speed(10)
    client.create_function(
        FunctionName="echo",
        Runtime="python3.12",
        Role=ROLE,
        Handler="lambda_function.handler",
        Code={"ZipFile": zip_of({"lambda_function.py": HANDLER})},
    )
    return "echo"


def encoded(context) -> str:
    return base64.b64encode(json.dumps(context).encode()).decode()


def test_the_client_context_reaches_the_handler_with_client_custom_and_env(client, echo):
    context = {
        "client": {"installation_id": "i-7", "app_title": "Shop", "app_package_name": "com.example.shop"},
        "custom": {"cart": "42"},
        "env": {"platform": "Android", "locale": "en_GB"},
    }
    answer = client.invoke(FunctionName=echo, ClientContext=encoded(context), Payload=b"{}")
    assert json.loads(answer["Payload"].read()) == {
        "custom": {"cart": "42"},
        "env": {"platform": "Android", "locale": "en_GB"},
        "app_title": "Shop",
        "app_package_name": "com.example.shop",
    }


def test_without_a_client_context_the_handler_sees_none(client, echo):
    assert json.loads(client.invoke(FunctionName=echo, Payload=b"{}")["Payload"].read()) is None


@pytest.mark.parametrize("value", ["not base64!", base64.b64encode(b"not json").decode(), encoded(["a list"])])
def test_an_invalid_client_context_is_refused_with_aws_error(client, echo, value):
    error = error_of(lambda: client.invoke(FunctionName=echo, ClientContext=value, Payload=b"{}"))
    assert isinstance(error, client.exceptions.InvalidRequestContentException)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error.response["Error"]["Message"] == INVALID


def test_a_client_context_over_3583_bytes_is_refused(client, echo):
    value = encoded({"custom": {"padding": "x" * 3000}})
    assert len(value) > 3583
    error = error_of(lambda: client.invoke(FunctionName=echo, ClientContext=value, Payload=b"{}"))
    assert isinstance(error, client.exceptions.InvalidRequestContentException)
    assert "3583" in error.response["Error"]["Message"]


def test_the_longest_client_context_within_3583_bytes_is_accepted(client, echo):
    padding = 0
    while len(encoded({"custom": {"p": "x" * (padding + 1)}})) <= 3583:
        padding += 1
    value = encoded({"custom": {"p": "x" * padding}})
    assert 3580 <= len(value) <= 3583  # base64 comes in blocks of 4 characters
    answer = client.invoke(FunctionName=echo, ClientContext=value, Payload=b"{}")
    assert json.loads(answer["Payload"].read()) == {
        "custom": {"p": "x" * padding},
        "env": None,
        "app_title": None,
        "app_package_name": None,
    }


def test_the_lean_invoke_route_passes_the_client_context_too(echo, lean_daphne_url):
    # The daphne route that bypasses Django's middleware (invoke_route.py) shares read_call with the view.
    lean = lambda_api_client(lean_daphne_url)
    context = {"custom": {"cart": "7"}, "env": {"platform": "iOS"}}
    answer = lean.invoke(FunctionName=echo, ClientContext=encoded(context), Payload=b"{}")
    assert "x-frame-options" not in answer["ResponseMetadata"]["HTTPHeaders"]  # the lean route answered
    assert json.loads(answer["Payload"].read()) == {**context, "app_title": None, "app_package_name": None}
