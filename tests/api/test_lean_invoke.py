"""The lean Invoke route (daphne, no Django middleware) answers exactly as the Django view does (WSGI live server):
same status, AWS headers and body, for every kind of answer Invoke gives (semantics §1, §2, §8)."""

import base64
import http.client
import json
from urllib.parse import urlsplit

import pytest

from invocations.models import InvocationRecord

from .conftest import create_modelled, lambda_api_client, lambda_client, send_signed

pytestmark = pytest.mark.django_db(transaction=True)

FAST = {"duration_ms": 5, "init_ms": 5, "response": {"order": "{{event.order}}"}}
# What an SDK reads from an Invoke answer (x-amzn-RequestId is checked for presence: it is new on every call).
AWS_HEADERS = (
    "content-type",
    "x-amzn-errortype",
    "x-amz-executed-version",
    "x-amz-function-error",
    "retry-after",
)


@pytest.fixture
def servers(live_server, lean_daphne_url, clock_speed):
    """(Django view client, lean route client) on the same database, Redis and engine host."""
    clock_speed(10)
    return lambda_api_client(live_server.url), lambda_api_client(lean_daphne_url)


def answer_of(call) -> dict:
    """Status, the AWS headers, the body and the Tail log's lines of a boto3 Invoke, answered or refused."""
    client_error = None
    try:
        answer = call()
    except Exception as error:  # noqa: BLE001 (botocore's ClientError subclasses; their response is compared)
        client_error = error
        answer = error.response
        body = {key: value for key, value in answer.items() if key not in ("ResponseMetadata", "Error")}
        body["Error"] = answer["Error"]
    else:
        body = answer["Payload"].read()
        if body:
            body = json.loads(body)
            if isinstance(body, dict):
                body.pop("requestId", None)  # a function error names its own invocation
    headers = answer["ResponseMetadata"]["HTTPHeaders"]
    log = headers.get("x-amz-log-result")
    return {
        "status": answer["ResponseMetadata"]["HTTPStatusCode"],
        "headers": {name: headers.get(name) for name in AWS_HEADERS},
        "body": body,
        "error": type(client_error).__name__ if client_error else None,
        "log": [line.split()[0] for line in base64.b64decode(log).decode().splitlines()] if log else None,
        "has_request_id": bool(headers.get("x-amzn-requestid")),
        "served_by_django": "x-frame-options" in headers,  # Django's middleware adds it; the lean route does not
    }


def assert_same(django_call, lean_call) -> dict:
    django, lean = answer_of(django_call), answer_of(lean_call)
    assert django.pop("served_by_django") and not lean.pop("served_by_django"), "the lean route did not answer"
    assert lean == django
    assert lean["has_request_id"]
    return lean


def test_a_sync_invoke_with_a_tail_log_answers_as_the_django_view(servers):
    # semantics §1: 200, the function's return value, the executed version, the last 4 KB of the log.
    django, lean = servers
    create_modelled(django, "checkout", FAST)
    django.invoke(FunctionName="checkout")  # the cold start: both calls below run warm
    answer = assert_same(
        lambda: django.invoke(FunctionName="checkout", Payload=b'{"order": 7}', LogType="Tail"),
        lambda: lean.invoke(FunctionName="checkout", Payload=b'{"order": 7}', LogType="Tail"),
    )
    assert (answer["status"], answer["body"]) == (200, {"order": 7})
    assert answer["headers"]["x-amz-executed-version"] == "$LATEST"
    assert answer["log"] == ["START", "END", "REPORT"]


def test_a_function_error_answers_as_the_django_view(servers):
    # semantics §1: a function error is still a 200, with X-Amz-Function-Error.
    django, lean = servers
    create_modelled(django, "flaky", {**FAST, "fail_when": [{"path": "poison"}], "error_type": "ValueError"})
    answer = assert_same(
        lambda: django.invoke(FunctionName="flaky", Payload=b'{"poison": true}'),
        lambda: lean.invoke(FunctionName="flaky", Payload=b'{"poison": true}'),
    )
    assert (answer["status"], answer["headers"]["x-amz-function-error"]) == (200, "Unhandled")
    assert answer["body"]["errorType"] == "ValueError"


def test_a_throttle_answers_429_with_its_reason_as_the_django_view(servers):
    # semantics §8
    django, lean = servers
    create_modelled(django, "checkout", FAST)
    django.put_function_concurrency(FunctionName="checkout", ReservedConcurrentExecutions=0)
    answer = assert_same(
        lambda: django.invoke(FunctionName="checkout", Payload=b"{}"),
        lambda: lean.invoke(FunctionName="checkout", Payload=b"{}"),
    )
    assert answer["status"] == 429 and answer["error"] == "TooManyRequestsException"
    assert answer["body"]["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"
    assert answer["headers"]["retry-after"]


def test_unknown_functions_and_qualifiers_answer_404_as_the_django_view(servers):
    # semantics §1
    django, lean = servers
    create_modelled(django, "checkout", FAST)
    for kwargs in ({"FunctionName": "ghost"}, {"FunctionName": "checkout", "Qualifier": "nope"}):
        answer = assert_same(lambda kw=kwargs: django.invoke(**kw), lambda kw=kwargs: lean.invoke(**kw))
        assert answer["status"] == 404 and answer["error"] == "ResourceNotFoundException"


def test_a_bad_signature_answers_403_as_the_django_view(servers, live_server, lean_daphne_url):
    django, _ = servers
    create_modelled(django, "checkout", FAST)
    answer = assert_same(
        lambda: lambda_client(live_server.url, secret_access_key="wrong").invoke(FunctionName="checkout"),
        lambda: lambda_client(lean_daphne_url, secret_access_key="wrong").invoke(FunctionName="checkout"),
    )
    assert answer["status"] == 403 and answer["headers"]["x-amzn-errortype"] == "InvalidSignatureException"
    assert not InvocationRecord.objects.exists()


def test_payload_limits_answer_413_as_the_django_view(servers):
    # semantics §1: 6 MB sync, 1 MB Event
    django, lean = servers
    create_modelled(django, "checkout", FAST)
    too_big = json.dumps({"blob": "x" * 6_291_456}).encode()
    answer = assert_same(
        lambda: django.invoke(FunctionName="checkout", Payload=too_big),
        lambda: lean.invoke(FunctionName="checkout", Payload=too_big),
    )
    assert answer["status"] == 413
    event = json.dumps({"blob": "x" * 1_048_576}).encode()
    answer = assert_same(
        lambda: django.invoke(FunctionName="checkout", InvocationType="Event", Payload=event),
        lambda: lean.invoke(FunctionName="checkout", InvocationType="Event", Payload=event),
    )
    assert answer["status"] == 413


def test_bad_input_answers_as_the_django_view(servers, live_server, lean_daphne_url):
    # Not JSON, an unknown invocation type: AWS's 400s, the same from both.
    django, _ = servers
    create_modelled(django, "checkout", FAST)
    for headers, body in (({}, b"{not json"), ({"X-Amz-Invocation-Type": "Sometimes"}, b"{}")):
        path = "/2015-03-31/functions/checkout/invocations"
        expected = send_signed(live_server.url, "POST", path, body=body, headers=headers)
        got = send_signed(lean_daphne_url, "POST", path, body=body, headers=headers)
        assert (got[0], got[2]) == (expected[0], expected[2])
        assert got[1]["x-amzn-ErrorType"] == expected[1]["x-amzn-ErrorType"]
        assert got[0] == 400 and "X-Frame-Options" not in got[1]


def test_dry_run_and_event_answer_as_the_django_view(servers):
    # semantics §1 (DryRun 204, nothing runs), §2 (Event 202, queued)
    django, lean = servers
    create_modelled(django, "checkout", FAST)
    answer = assert_same(
        lambda: django.invoke(FunctionName="checkout", InvocationType="DryRun"),
        lambda: lean.invoke(FunctionName="checkout", InvocationType="DryRun"),
    )
    assert (answer["status"], answer["body"]) == (204, b"")
    answer = assert_same(
        lambda: django.invoke(FunctionName="checkout", InvocationType="Event", Payload=b'{"order": 1}'),
        lambda: lean.invoke(FunctionName="checkout", InvocationType="Event", Payload=b'{"order": 1}'),
    )
    assert (answer["status"], answer["body"]) == (202, b"")


def test_a_deleted_function_or_alias_is_seen_by_the_next_lean_invoke(servers):
    # The lean route caches lookups per configuration version; every change must be seen at once.
    django, lean = servers
    create_modelled(django, "checkout", FAST, Publish=True)
    django.create_alias(FunctionName="checkout", Name="prod", FunctionVersion="1")
    assert lean.invoke(FunctionName="checkout", Qualifier="prod")["ExecutedVersion"] == "1"
    assert lean.invoke(FunctionName="checkout", Qualifier="prod")["ExecutedVersion"] == "1"  # cached now
    django.delete_alias(FunctionName="checkout", Name="prod")
    assert answer_of(lambda: lean.invoke(FunctionName="checkout", Qualifier="prod"))["status"] == 404
    assert lean.invoke(FunctionName="checkout")["StatusCode"] == 200
    django.delete_function(FunctionName="checkout")
    assert answer_of(lambda: lean.invoke(FunctionName="checkout"))["status"] == 404
    create_modelled(django, "checkout", {**FAST, "response": {"again": True}})
    assert json.loads(lean.invoke(FunctionName="checkout")["Payload"].read()) == {"again": True}


def test_what_the_lean_route_does_not_serve_goes_to_django(servers, lean_daphne_url):
    # Another method on the Invoke path: Django's UnknownOperationException; a Host outside ALLOWED_HOSTS: Django's 400.
    path = "/2015-03-31/functions/checkout/invocations"
    status, headers, _ = send_signed(lean_daphne_url, "GET", path)
    assert (status, headers["x-amzn-ErrorType"]) == (404, "UnknownOperationException")
    assert headers["X-Frame-Options"] == "DENY"  # Django's middleware answered
    parts = urlsplit(lean_daphne_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("POST", path, body=b"{}", headers={"Host": "evil.example", "Content-Length": "2"})
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    assert response.status == 400


def test_a_caller_waits_as_long_as_the_clock_says_when_it_slowed_down_since_the_last_call(servers):
    # The lean route guesses the wait from the clock it saw last and learns the current one in the same round trip:
    # slowed from x10 to x0.2, a 1.5 s function takes 7.5 s of wall time, beyond the guess ((3 + 10) / 10 + 5 s).
    from invocations.services import simulation_clock_set

    django, lean = servers
    create_modelled(django, "slow", {"duration_ms": 1500, "init_ms": 1, "response": {"done": True}}, Timeout=3)
    assert lean.invoke(FunctionName="slow")["StatusCode"] == 200  # seen at x10
    simulation_clock_set(factor=0.2)
    answer = lean.invoke(FunctionName="slow")
    assert (answer["StatusCode"], json.loads(answer["Payload"].read())) == (200, {"done": True})
