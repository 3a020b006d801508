"""CodeDeploy's wire, byte for byte, with requests signed by botocore's SigV4Auth (signing name "codedeploy"): the
CBOR path's headers and error shape, awsJson1_1 on the shared POST /, and the signing front door."""

from __future__ import annotations

import json

import cbor2
import pytest
from django.test import Client

from .test_cloudwatch_wire import send

pytestmark = pytest.mark.django_db(transaction=True)

CBOR_PATH = "/service/CodeDeploy_20141006/operation/"
CBOR_HEADERS = {"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor", "Accept": "application/cbor"}


def json_headers(operation: str) -> dict[str, str]:
    return {"X-Amz-Target": f"CodeDeploy_20141006.{operation}", "Content-Type": "application/x-amz-json-1.1"}


def test_a_cbor_call_answers_in_cbor_with_the_smithy_protocol_header(live_server):
    status, headers, body = send(
        live_server.url, CBOR_PATH + "ListApplications", cbor2.dumps({}), CBOR_HEADERS, service="codedeploy"
    )
    assert (status, headers["smithy-protocol"], headers["Content-Type"]) == (200, "rpc-v2-cbor", "application/cbor")
    assert cbor2.loads(body) == {"applications": []}


def test_a_cbor_error_names_its_type_in_the_codedeploy_namespace(live_server):
    status, headers, body = send(
        live_server.url,
        CBOR_PATH + "GetApplication",
        cbor2.dumps({"applicationName": "ghost"}),
        CBOR_HEADERS,
        service="codedeploy",
    )
    assert status == 400 and headers["x-amzn-RequestId"]
    assert "x-amzn-query-error" not in headers  # CodeDeploy is not awsQueryCompatible
    assert cbor2.loads(body) == {
        "__type": "com.amazonaws.codedeploy#ApplicationDoesNotExistException",
        "message": "The application does not exist with the user or Amazon Web Services account.",
    }


def test_json_1_1_on_the_shared_root_reaches_codedeploy(live_server):
    body = json.dumps({"applicationName": "checkout-app", "computePlatform": "Lambda"}).encode()
    status, headers, answer = send(live_server.url, "/", body, json_headers("CreateApplication"), service="codedeploy")
    assert (status, headers["Content-Type"]) == (200, "application/x-amz-json-1.1")
    assert set(json.loads(answer)) == {"applicationId"}


def test_an_unknown_operation_and_a_body_that_is_not_json_are_refused_in_json(live_server):
    status, _, answer = send(live_server.url, "/", b"{}", json_headers("LaunchRockets"), service="codedeploy")
    assert (status, json.loads(answer)["__type"]) == (400, "com.amazonaws.codedeploy#UnknownOperationException")
    status, _, answer = send(live_server.url, "/", b"{nope", json_headers("ListApplications"), service="codedeploy")
    assert (status, json.loads(answer)["__type"]) == (400, "com.amazonaws.codedeploy#SerializationException")


def test_an_unsigned_call_is_refused_before_anything_runs(live_server):
    body = json.dumps({"applicationName": "checkout-app"}).encode()
    status, _, answer = send(live_server.url, "/", body, json_headers("CreateApplication"), sign=False)
    assert status == 403
    assert json.loads(answer)["__type"] == "com.amazonaws.codedeploy#MissingAuthenticationTokenException"
    status, _, answer = send(live_server.url, "/", b"{}", json_headers("ListApplications"), service="codedeploy")
    assert json.loads(answer) == {"applications": []}


def test_the_home_page_still_answers_get_on_the_root():
    assert Client().get("/").status_code == 200
