"""CloudWatch's wire, byte for byte, with requests signed by botocore's SigV4Auth: the CBOR path's headers and error
shape, the query protocol's XML, and the signing front door (signing name "monitoring")."""

from __future__ import annotations

import http.client
from urllib.parse import urlencode, urlsplit

import cbor2
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from django.test import Client

from .conftest import ACCESS_KEY_ID, SECRET_ACCESS_KEY

pytestmark = pytest.mark.django_db(transaction=True)

CBOR_PATH = "/service/GraniteServiceVersion20100801/operation/"


def send(endpoint_url: str, path: str, body: bytes, headers: dict[str, str], *, service: str = "monitoring", sign=True):
    request = AWSRequest(method="POST", url=endpoint_url + path, data=body, headers=headers)
    if sign:
        SigV4Auth(Credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY), service, "us-east-1").add_auth(request)
    parts = urlsplit(endpoint_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("POST", path, body=body, headers=dict(request.headers.items()))
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


CBOR_HEADERS = {"smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor", "Accept": "application/cbor"}


def test_a_cbor_call_answers_in_cbor_with_the_smithy_protocol_header(live_server):
    status, headers, body = send(live_server.url, CBOR_PATH + "DescribeAlarms", cbor2.dumps({}), CBOR_HEADERS)
    assert status == 200
    assert headers["smithy-protocol"] == "rpc-v2-cbor" and headers["Content-Type"] == "application/cbor"
    assert cbor2.loads(body) == {"MetricAlarms": [], "CompositeAlarms": []}


def test_an_unknown_cbor_operation_is_refused_in_cbor(live_server):
    status, headers, body = send(live_server.url, CBOR_PATH + "PutDashboardz", cbor2.dumps({}), CBOR_HEADERS)
    assert status == 400
    assert cbor2.loads(body)["__type"] == "com.amazonaws.cloudwatch#UnknownOperationException"


def test_cbor_errors_carry_the_query_compatible_code(live_server):
    status, headers, body = send(
        live_server.url, CBOR_PATH + "DeleteAlarms", cbor2.dumps({"AlarmNames": ["ghost"]}), CBOR_HEADERS
    )
    assert status == 404
    assert headers["x-amzn-query-error"] == "ResourceNotFound;Sender"
    assert cbor2.loads(body) == {
        "__type": "com.amazonaws.cloudwatch#ResourceNotFound",
        "message": "ghost does not exist",
    }


def test_the_query_protocol_answers_xml(live_server):
    form = urlencode({"Action": "DescribeAlarms", "Version": "2010-08-01", "StateValue": "ALARM"}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    status, response_headers, body = send(live_server.url, "/", form, headers)
    assert status == 200
    text = body.decode()
    assert text.startswith('<DescribeAlarmsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">')
    assert "<DescribeAlarmsResult>" in text and "<RequestId>" in text


def test_a_request_signed_for_another_service_is_refused(live_server):
    status, headers, body = send(live_server.url, CBOR_PATH + "DescribeAlarms", cbor2.dumps({}), CBOR_HEADERS,
                                 service="lambda")  # fmt: skip
    assert status == 403
    assert cbor2.loads(body) == {
        "__type": "com.amazonaws.cloudwatch#InvalidSignatureException",
        "message": "Credential should be scoped to correct service: 'monitoring'. ",
    }


def test_an_unsigned_query_call_is_refused_in_xml(live_server):
    form = urlencode({"Action": "ListMetrics", "Version": "2010-08-01"}).encode()
    status, _, body = send(live_server.url, "/", form, {"Content-Type": "application/x-www-form-urlencoded"},
                           sign=False)  # fmt: skip
    # Unsigned, the request names no service: it is not CloudWatch's, and / stays the home page's (no 500).
    assert status in (200, 403, 405)
    assert b"Traceback" not in body


def test_the_home_page_is_still_served_at_the_root():
    assert Client().get("/").status_code == 200
