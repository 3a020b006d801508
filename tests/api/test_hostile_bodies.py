"""Deeply nested or huge JSON on every write: AWS's 400 InvalidRequestContentException, nothing changed, never a
RecursionError's 500 debug page (issue 10, point 5). Through Django's views and through the lean Invoke route."""

import base64
import json

import pytest
from django.test import Client

from invocations.rules.json_input import MAX_NESTING_DEPTH, PREFIX

from .conftest import behaviour_zip, send_signed
from .signed_test_client import aws_error, database_state, function_with_prod_alias, signed

pytestmark = pytest.mark.django_db

NESTED = ('{"a":' * 3000 + "1" + "}" * 3000).encode()
DEPTH_MESSAGE = (
    f"{PREFIX}Document nesting depth ({MAX_NESTING_DEPTH + 1}) exceeds the maximum allowed ({MAX_NESTING_DEPTH}, "
    "from `StreamReadConstraints.getMaxNestingDepth()`)"
)
FN = "/2015-03-31/functions/fn"
WRITES = [
    ("POST", "/2015-03-31/functions"),  # CreateFunction
    ("PUT", f"{FN}/configuration"),  # UpdateFunctionConfiguration
    ("PUT", f"{FN}/code"),  # UpdateFunctionCode
    ("PUT", "/2019-09-25/functions/fn/event-invoke-config"),  # PutFunctionEventInvokeConfig
    ("POST", "/2019-09-25/functions/fn/event-invoke-config"),  # UpdateFunctionEventInvokeConfig
    ("POST", f"{FN}/aliases"),  # CreateAlias
    ("PUT", f"{FN}/aliases/prod"),  # UpdateAlias
    ("PUT", "/2017-10-31/functions/fn/concurrency"),  # PutFunctionConcurrency
    ("POST", f"{FN}/versions"),  # PublishVersion
    ("PUT", "/2019-09-30/functions/fn/provisioned-concurrency?Qualifier=prod"),  # PutProvisionedConcurrencyConfig
    ("POST", "/2015-03-31/event-source-mappings"),  # CreateEventSourceMapping
]
# Bodies no member accepts, each refused before anything is written.
HUGE_NUMBER = b'{"MemorySize": 1' + b"0" * 5000 + b"}"
# 1e999 is JSON, but parses as infinity: a number member refuses it, it never reaches int() (an OverflowError).
INFINITE_MEMBERS = [
    ("POST", "/2015-03-31/functions", '{"FunctionName": "g", "MemorySize": 1e999}'),
    ("PUT", f"{FN}/configuration", '{"Timeout": 1e999}'),
    ("PUT", "/2019-09-25/functions/fn/event-invoke-config", '{"MaximumRetryAttempts": 1e999}'),
    ("POST", "/2019-09-25/functions/fn/event-invoke-config", '{"MaximumEventAgeInSeconds": -1e999}'),
    (
        "POST",
        f"{FN}/aliases",
        '{"Name": "b", "FunctionVersion": "1", "RoutingConfig": {"AdditionalVersionWeights": {"1": 1e999}}}',
    ),
    ("PUT", f"{FN}/aliases/prod", '{"RoutingConfig": {"AdditionalVersionWeights": {"1": 1e999}}}'),
    ("PUT", "/2017-10-31/functions/fn/concurrency", '{"ReservedConcurrentExecutions": 1e999}'),
    (
        "PUT",
        "/2019-09-30/functions/fn/provisioned-concurrency?Qualifier=prod",
        '{"ProvisionedConcurrentExecutions": 1e999}',
    ),
    ("POST", "/2015-03-31/event-source-mappings", '{"FunctionName": "fn", "BatchSize": 1e999}'),
]
NOT_A_NUMBER = b'{"MemorySize": NaN, "ReservedConcurrentExecutions": NaN, "FunctionVersion": NaN}'


@pytest.fixture
def api(redis_client):
    """A test client, with function fn published as version 1 and alias prod → 1."""
    return function_with_prod_alias(Client())


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_deeply_nested_body_is_invalid_request_content_and_changes_nothing(api, method, path):
    before = database_state()
    error_type, message = aws_error(signed(api, method, path, body=NESTED))
    assert error_type == "InvalidRequestContentException"
    assert message == DEPTH_MESSAGE
    assert database_state() == before


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize("body", [HUGE_NUMBER, NOT_A_NUMBER], ids=["digits", "nan"])
def test_huge_or_non_numeric_numbers_are_refused_and_change_nothing(api, method, path, body):
    before = database_state()
    error_type, _ = aws_error(signed(api, method, path, body=body))
    assert error_type == "InvalidRequestContentException"
    assert database_state() == before


@pytest.mark.parametrize(("method", "path", "body"), INFINITE_MEMBERS)
def test_an_infinite_number_is_refused_by_the_member_and_changes_nothing(api, method, path, body):
    before = database_state()
    error_type, message = aws_error(signed(api, method, path, body=body.encode()))
    assert error_type == "InvalidRequestContentException", message
    assert database_state() == before


def test_a_number_longer_than_the_parser_allows_is_named_as_aws_parser_names_it(api):
    _, message = aws_error(signed(api, "PUT", f"{FN}/configuration", body=HUGE_NUMBER))
    assert message == (
        f"{PREFIX}Number value length (5001) exceeds the maximum allowed (1000, from "
        "`StreamReadConstraints.getMaxNumberLength()`)"
    )


def test_nesting_up_to_the_limit_is_still_json(api):
    # An Invoke payload as deep as the limit is accepted (DryRun: validated, nothing runs).
    payload = ("[" * MAX_NESTING_DEPTH + "]" * MAX_NESTING_DEPTH).encode()
    response = signed(api, "POST", f"{FN}/invocations", body=payload, headers={"X-Amz-Invocation-Type": "DryRun"})
    assert response.status_code == 204


def test_a_nested_behaviour_profile_in_the_zip_is_an_invalid_parameter(api):
    code = base64.b64encode(behaviour_zip()).decode()
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("behaviour.json", NESTED)
    code = base64.b64encode(buffer.getvalue()).decode()
    before = database_state()
    error_type, message = aws_error(signed(api, "PUT", f"{FN}/code", body=json.dumps({"ZipFile": code}).encode()))
    assert error_type == "InvalidParameterValueException"
    assert "nesting depth" in message
    assert database_state() == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("invocation_type", ["RequestResponse", "Event", "DryRun"])
def test_the_lean_invoke_route_refuses_a_nested_payload_as_aws_does(lean_daphne_url, redis_client, invocation_type):
    # semantics §1: the payload must be JSON; the lean ASGI route (no Django) answers as the view does.
    status, headers, body = send_signed(
        lean_daphne_url, "POST", f"{FN}/invocations", body=NESTED, headers={"X-Amz-Invocation-Type": invocation_type}
    )
    assert status == 400
    assert headers["x-amzn-ErrorType"] == "InvalidRequestContentException"
    assert "x-frame-options" not in headers  # served by the lean route, not Django
    assert body["message"] == DEPTH_MESSAGE
    assert redis_client.dbsize() == 0  # nothing queued


@pytest.mark.django_db(transaction=True)
def test_the_lean_invoke_route_refuses_a_non_numeric_payload(lean_daphne_url, redis_client):
    status, headers, body = send_signed(lean_daphne_url, "POST", f"{FN}/invocations", body=b'{"n": NaN}')
    assert status == 400
    assert headers["x-amzn-ErrorType"] == "InvalidRequestContentException"
    assert "NaN" in body["message"]


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ude00\\ud83d"])
def test_half_a_surrogate_pair_is_refused_and_changes_nothing(api, escape):
    # JSON escapes UTF-16 units; a lone half is no character, and could be neither stored nor sent to a handler.
    before = database_state()
    body = ('{"Description": "a' + escape + 'b"}').encode()
    error_type, message = aws_error(signed(api, "PUT", f"{FN}/configuration", body=body))
    assert error_type == "InvalidRequestContentException"
    assert "surrogate" in message
    assert database_state() == before


@pytest.mark.parametrize(("escape", "text"), [("\\ud83d\\ude00", "😀"), ("\\u0192", "ƒ"), ("\\u202e", "\u202e")])
def test_unicode_escapes_that_are_characters_are_kept(api, escape, text):
    body = ('{"Description": "a' + escape + 'b"}').encode()
    response = signed(api, "PUT", f"{FN}/configuration", body=body)
    assert response.status_code == 200
    assert json.loads(response.content)["Description"] == f"a{text}b"


NUL_WRITES = [
    ("PUT", f"{FN}/configuration", '{"Description": "a\\u0000b"}'),
    ("POST", f"{FN}/aliases", '{"Name": "b", "FunctionVersion": "1", "Description": "\\u0000"}'),
    ("PUT", f"{FN}/aliases/prod", '{"Description": "\\u0000"}'),
    ("GET", f"{FN}?Qualifier=%00", ""),
    ("GET", "/2015-03-31/event-source-mappings/%00", ""),
]


@pytest.mark.parametrize(("method", "path", "body"), NUL_WRITES)
def test_a_nul_character_is_refused_not_a_database_error(api, method, path, body):
    # PostgreSQL cannot store U+0000 in text: without this check the write was a 500 there (SQLite stores it).
    before = database_state()
    aws_error(signed(api, method, path, body=body.encode()))
    assert database_state() == before


def test_a_nul_character_in_an_invoke_payload_is_just_data(api):
    response = signed(
        api, "POST", f"{FN}/invocations", body=b'{"a": "\\u0000"}', headers={"X-Amz-Invocation-Type": "DryRun"}
    )
    assert response.status_code == 204


def test_an_integer_too_big_for_a_float_is_out_of_range_not_a_500(api):
    body = json.dumps({"FunctionName": "fn", "BatchSize": 10**400}).encode()
    error_type, _ = aws_error(signed(api, "POST", "/2015-03-31/event-source-mappings", body=body))
    assert error_type == "ValidationException"
