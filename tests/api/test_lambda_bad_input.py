"""Bad input is always an AWS error (4xx, x-amzn-ErrorType, a JSON body), never a 500: raw signed requests that an
SDK's own validation would have stopped."""

import json

import pytest

from invocations.services import queue_create

from .conftest import ROLE, create_modelled, send_signed

pytestmark = pytest.mark.django_db(transaction=True)

EMPTY_ZIP = "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="
BASE = {"FunctionName": "f", "Role": ROLE, "Runtime": "python3.12", "Handler": "a.b", "Code": {"ZipFile": EMPTY_ZIP}}
FUNCTIONS = "/2015-03-31/functions"
MAPPINGS = "/2015-03-31/event-source-mappings"

CASES = [
    ("POST", FUNCTIONS, b'{"FunctionName": "f",', "InvalidRequestContentException"),
    ("POST", FUNCTIONS, [1, 2], "InvalidRequestContentException"),
    ("POST", FUNCTIONS, {**BASE, "Code": "zip"}, "InvalidRequestContentException"),
    ("POST", FUNCTIONS, {**BASE, "Timeout": 1.5}, "InvalidRequestContentException"),
    ("POST", FUNCTIONS, {**BASE, "Environment": {"Variables": {"A": 1}}}, "InvalidRequestContentException"),
    ("POST", FUNCTIONS, {**BASE, "Code": {"ZipFile": "!!!"}}, "InvalidParameterValueException"),
    ("POST", FUNCTIONS, {**BASE, "Handler": "nodot"}, "InvalidParameterValueException"),
    ("POST", FUNCTIONS, {k: v for k, v in BASE.items() if k != "Role"}, "ValidationException"),
    ("GET", f"{FUNCTIONS}?MaxItems=0", None, "ValidationException"),
    ("GET", f"{FUNCTIONS}?MaxItems=many", None, "ValidationException"),
    ("GET", f"{FUNCTIONS}?Marker=zz", None, "InvalidParameterValueException"),
    ("GET", f"{FUNCTIONS}?FunctionVersion=SOME", None, "ValidationException"),
    ("GET", f"{FUNCTIONS}/fn?Qualifier=a%20b", None, "ValidationException"),
    ("GET", f"{FUNCTIONS}/fn%3A1%3A2", None, "ValidationException"),
    ("DELETE", f"{FUNCTIONS}/fn?Qualifier=prod", None, "InvalidParameterValueException"),
    ("PUT", f"{FUNCTIONS}/fn/configuration", {"MemorySize": True}, "InvalidRequestContentException"),
    (
        "PUT",
        f"{FUNCTIONS}/fn/configuration",
        {"DeadLetterConfig": {"TargetArn": "x"}},
        "InvalidParameterValueException",
    ),
    ("PUT", f"{FUNCTIONS}/fn/code", {}, "InvalidParameterValueException"),
    ("PUT", f"{FUNCTIONS}/fn/code", {"ZipFile": 5}, "InvalidRequestContentException"),
    ("POST", f"{FUNCTIONS}/fn/aliases", {"Name": "a", "FunctionVersion": "x"}, "ValidationException"),
    (
        "POST",
        f"{FUNCTIONS}/fn/aliases",
        {"Name": "a", "FunctionVersion": "1", "RoutingConfig": {"AdditionalVersionWeights": {"x": 0.5}}},
        "ValidationException",
    ),
    (
        "POST",
        f"{FUNCTIONS}/fn/aliases",
        {"Name": "a", "FunctionVersion": "1", "RoutingConfig": {"AdditionalVersionWeights": {"2": "half"}}},
        "InvalidRequestContentException",
    ),
    ("PUT", "/2017-10-31/functions/fn/concurrency", {}, "ValidationException"),
    (
        "PUT",
        "/2019-09-30/functions/fn/provisioned-concurrency",
        {"ProvisionedConcurrentExecutions": 1},
        "ValidationException",
    ),
    ("GET", "/2019-09-30/functions/fn/provisioned-concurrency", None, "ValidationException"),
    (
        "PUT",
        "/2019-09-25/functions/fn/event-invoke-config",
        {"DestinationConfig": {"OnFailure": "arn"}},
        "InvalidRequestContentException",
    ),
    ("POST", MAPPINGS, {"FunctionName": "fn"}, "InvalidParameterValueException"),
    ("POST", MAPPINGS, {"FunctionName": "fn", "EventSourceArn": "garbage"}, "InvalidParameterValueException"),
    (
        "POST",
        MAPPINGS,
        {"FunctionName": "fn", "EventSourceArn": "QUEUE", "StartingPosition": "NOW"},
        "ValidationException",
    ),
    (
        "POST",
        MAPPINGS,
        {"FunctionName": "fn", "EventSourceArn": "QUEUE", "StartingPositionTimestamp": 1e20},
        "InvalidParameterValueException",
    ),
    (
        "POST",
        MAPPINGS,
        {"FunctionName": "fn", "EventSourceArn": "QUEUE", "FilterCriteria": {"Filters": [{"Pattern": "{bad"}]}},
        "InvalidParameterValueException",
    ),
    ("GET", f"{MAPPINGS}/not-a-uuid", None, "ResourceNotFoundException"),
    ("POST", f"{FUNCTIONS}/fn/invocations", b"not json", "InvalidRequestContentException"),
    ("GET", f"{FUNCTIONS}/fn/invocations", None, "UnknownOperationException"),
    ("PUT", "/2016-08-19/account-settings", {}, "UnknownOperationException"),
    ("GET", f"{FUNCTIONS}/fn/policy", None, "ResourceNotFoundException"),
    ("PUT", f"{FUNCTIONS}/fn/policy", {}, "UnknownOperationException"),
    (
        "POST",
        f"{FUNCTIONS}/fn/policy",
        {"StatementId": "s", "Action": "lambda:*", "Principal": 7},
        "InvalidRequestContentException",
    ),
    ("POST", "/2021-10-31/functions/fn/url", {"AuthType": "BASIC"}, "ValidationException"),
    ("POST", "/2021-10-31/functions/fn/url", {"AuthType": "NONE", "Cors": {"MaxAge": -1}}, "ValidationException"),
    ("GET", "/2021-10-31/functions/fn/urls?MaxItems=0", None, "ValidationException"),
    (
        "GET",
        "/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Afn",
        None,
        "UnknownOperationException",
    ),
]


@pytest.mark.parametrize(("method", "path", "body", "error_type"), CASES)
def test_bad_input_is_answered_with_an_aws_error_not_a_500(live_server, client, method, path, body, error_type):
    queue = queue_create(name="orders")
    create_modelled(client, "fn", Publish=True)
    client.create_alias(FunctionName="fn", Name="prod", FunctionVersion="1")
    if isinstance(body, bytes):
        raw = body
    else:
        raw = b"" if body is None else json.dumps(body).replace("QUEUE", queue.arn).encode()
    status, headers, answer = send_signed(live_server.url, method, path, body=raw)
    assert 400 <= status < 500
    assert headers["x-amzn-ErrorType"] == error_type
    assert answer.get("message") or answer.get("Message")
