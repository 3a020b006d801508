"""Fuzz (hypothesis) over every Lambda API operation and every dashboard JSON endpoint (issue 10, "Tests that must
exist"): nested, huge, wrong-typed and unicode input. 0 answers ≥ 500; every error AWS-shaped (x-amzn-ErrorType and a
JSON body with its message; JSON on the dashboard's endpoints); the database unchanged after every refused write.

The operations are every one in botocore's Lambda model whose path the API serves, so a new route is fuzzed too.
Requests go through Django's test client (SigV4-signed, signed_test_client.py); each example runs in a savepoint
that is rolled back, so every example starts from the same function fn (version 1, alias prod) and queue.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django import forms as django_forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invocations import urls as dashboard_urls
from invocations.api.lambda_api.common import lambda_model, unknown_operation
from invocations.dashboard import forms as dashboard_forms
from invocations.http_errors import not_found
from invocations.services import queue_create

from .conftest import ROLE, behaviour_zip, send_signed
from .signed_test_client import database_state, function_with_prod_alias, signed

pytestmark = pytest.mark.django_db

LABEL = re.compile(r"\{(\w+)\+?\}")
FUZZ = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def served_operations() -> list[tuple[str, str, str]]:
    """(operation, method, requestUri) for every operation of the model whose path the API serves."""
    model = lambda_model()
    served = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        path = LABEL.sub("x", http["requestUri"].split("?")[0])
        if resolve(path).func not in (unknown_operation, not_found):
            served.append((name, http["method"], http["requestUri"]))
    return served


OPERATIONS = served_operations()


# --- values ----------------------------------------------------------------------------------------------------

ODD_TEXT = st.sampled_from(["ƒ", "😀", "\u202e", "\ud800", "\udfff", "\x00", "a:b", "../..", "%", "$LATEST", " ", ""])
TEXT = st.one_of(st.text(max_size=40), ODD_TEXT, st.text(min_size=130, max_size=300), st.just("x" * 5000))
NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.sampled_from([0, -1, 2**31, 2**63, 10**400, 0.5, 1e308]),
)
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), NUMBERS, TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=12,
)


@st.composite
def nested_json(draw) -> bytes:
    depth = draw(st.sampled_from([499, 500, 501, 1000, 3000]))
    opener, closer = draw(st.sampled_from([('{"a":', "}"), ("[", "]")]))
    return (opener * depth + "1" + closer * depth).encode()


RAW_BODIES = st.one_of(
    nested_json(),
    st.sampled_from(
        [
            b'{"a": NaN}',
            b'{"a": -Infinity}',
            b'{"MemorySize": 1e999}',
            b'{"Timeout": 1' + b"0" * 5000 + b"}",
            b'{"Description": "\\ud800"}',
            b'{"a": "\\u0000"}',
            b'{"Description": "\\u0000", "Name": "b\\u0000", "FunctionVersion": "1", "Qualifier": "\\u0000"}',
            b'{"Description": "\\udfff", "Name": "c", "FunctionVersion": "1"}',
            b"\xff\xfe{}",
            b'{"a": 1,',
            b"[]",
            b'"string"',
            b"null",
            b" ",
        ]
    ),
    st.binary(max_size=64),
)


def body_members(operation: str) -> dict[str, Any]:
    shape = lambda_model().operation_model(operation).input_shape
    if shape is None:
        return {}
    return {name: member for name, member in shape.members.items() if not member.serialization.get("location")}


def well_typed(shape, depth: int = 0) -> st.SearchStrategy:
    """A value of the member's own type (often still out of range or badly formatted)."""
    kind = shape.type_name
    if kind == "structure" and depth < 3:
        return st.fixed_dictionaries({}, optional={n: well_typed(m, depth + 1) for n, m in shape.members.items()})
    if kind == "list" and depth < 3:
        return st.lists(well_typed(shape.member, depth + 1), max_size=3)
    if kind == "map" and depth < 3:
        return st.dictionaries(TEXT, well_typed(shape.value, depth + 1), max_size=3)
    if kind in ("integer", "long"):
        return st.one_of(st.integers(min_value=-5, max_value=2000), NUMBERS)
    if kind in ("float", "double"):
        return NUMBERS
    if kind == "boolean":
        return st.booleans()
    if kind == "blob":
        return st.one_of(st.just(base64.b64encode(behaviour_zip()).decode()), TEXT)
    if getattr(shape, "enum", None):
        return st.one_of(st.sampled_from(shape.enum), TEXT)
    return TEXT


def member_bodies(operation: str) -> st.SearchStrategy:
    """JSON objects with the operation's own members, each well typed or of any JSON type."""
    members = body_members(operation)
    optional = {name: st.one_of(well_typed(member), JSON_VALUES) for name, member in members.items()}
    return st.fixed_dictionaries({}, optional=optional).map(lambda data: json.dumps(data).encode())


def label_values() -> st.SearchStrategy:
    return st.one_of(st.sampled_from(["fn", "fn:prod", "fn:1", "nope"]), TEXT.filter(bool))


def querystring(operation: str) -> st.SearchStrategy:
    shape = lambda_model().operation_model(operation).input_shape
    names = [
        member.serialization.get("name", name)
        for name, member in (shape.members.items() if shape else ())
        if member.serialization.get("location") == "querystring"
    ]
    if not names:
        return st.just({})
    return st.fixed_dictionaries({}, optional={name: st.one_of(TEXT, NUMBERS.map(str)) for name in names})


INVOKE_HEADERS = st.fixed_dictionaries(
    # Never RequestResponse (nor "", which means it): no engine host runs here, so a valid sync invoke would wait
    # out its timeout.
    {"X-Amz-Invocation-Type": st.sampled_from(["DryRun", "Event", "Sideways", "requestresponse "])},
    optional={
        "X-Amz-Log-Type": st.sampled_from(["Tail", "None", "All"]),
        "X-Amz-Client-Context": st.one_of(
            st.binary(max_size=40).map(lambda raw: base64.b64encode(raw).decode()),
            st.just(base64.b64encode(b'{"a":' * 600 + b"1" + b"}" * 600).decode()),
            st.text(alphabet="abc=+/", max_size=20),
        ),
    },
)


@st.composite
def api_requests(draw) -> tuple[str, str, bytes, dict[str, str]]:
    operation, method, uri = draw(st.sampled_from(OPERATIONS))
    path, _, fixed_query = uri.partition("?")

    def fill(match: re.Match) -> str:
        label = match.group(1)
        default = {"FunctionName": "fn", "Name": "prod", "UUID": str(uuid.uuid4()), "StatementId": "sid-1"}[label]
        value = draw(st.one_of(st.just(default), label_values()))
        return quote(value.encode("utf-8", "surrogatepass"), safe="")

    path = LABEL.sub(fill, path)
    query = dict(q.split("=", 1) for q in fixed_query.split("&") if q)
    query.update(draw(querystring(operation)))
    if query:
        path += "?" + urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in query.items()})
    body = b"" if method in ("GET", "DELETE") else draw(st.one_of(member_bodies(operation), RAW_BODIES))
    headers = draw(INVOKE_HEADERS) if operation == "Invoke" else {}
    return method, path, body, headers


# --- fixtures and checks ---------------------------------------------------------------------------------------


@pytest.fixture
def world(redis_client):
    """Function fn (version 1, alias prod) and a queue, made through the API itself."""
    client = function_with_prod_alias(Client())
    queue_create(name="orders")
    return client


def checked(response, *, dashboard: bool = False) -> None:
    """No 5xx; an error carries its type and a JSON message."""
    assert response.status_code < 500, (response.status_code, response.content[:300])
    if response.status_code < 400:
        return
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    body = json.loads(response.content)
    assert body.get("message") or body.get("Message"), body
    if not dashboard or response.status_code != 405:
        assert response["x-amzn-ErrorType"], body


def run_in_savepoint(send) -> None:
    """One example: the request, its checks, and the database as it was before when the request was refused."""
    with transaction.atomic():
        before = database_state()
        response, method, dashboard = send()
        checked(response, dashboard=dashboard)
        if response.status_code >= 400 and method != "GET":
            assert database_state() == before, "a refused write changed the database"
        transaction.set_rollback(True)


def test_every_operation_of_the_api_is_fuzzed():
    names = {name for name, _, _ in OPERATIONS}
    assert len(names) >= 33
    assert {"CreateFunction", "Invoke", "UpdateAlias", "PutFunctionConcurrency", "UpdateEventSourceMapping"} <= names


@FUZZ
@given(request=api_requests())
def test_the_lambda_api_never_answers_5xx_and_refuses_in_aws_shape(world, request):
    method, path, body, headers = request
    run_in_savepoint(lambda: (signed(world, method, path, body=body, headers=headers), method, False))


# --- the dashboard's JSON endpoints ----------------------------------------------------------------------------


def dashboard_routes() -> list[str]:
    routes = [p.pattern._route for p in dashboard_urls.urlpatterns if isinstance(p, URLPattern)]
    return [route for route in routes if route.startswith("dashboard/api/")]


FORM_FIELDS = sorted(
    {
        name
        for form in vars(dashboard_forms).values()
        if isinstance(form, type) and issubclass(form, django_forms.Form)
        for name in form.base_fields
    }
)
DASHBOARD_BODIES = st.one_of(
    st.fixed_dictionaries({}, optional={name: JSON_VALUES for name in FORM_FIELDS}).map(
        lambda data: json.dumps(data).encode()
    ),
    RAW_BODIES,
)


@st.composite
def dashboard_requests(draw) -> tuple[str, str, bytes, str]:
    route = draw(st.sampled_from(dashboard_routes()))

    def fill(match: re.Match) -> str:
        default = {"name": "fn", "alias": "prod"}.get(match.group(1), "x")
        value = draw(st.one_of(st.just(default), label_values()))
        return quote(value.encode("utf-8", "surrogatepass"), safe="")

    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", fill, route)
    method = draw(st.sampled_from(["GET", "POST"]))
    if method == "GET":
        query = draw(st.dictionaries(st.sampled_from(["seconds", "arn", "limit", "version"]), TEXT, max_size=3))
        path += "?" + urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in query.items()}) if query else ""
        return method, path, b"", ""
    content_type = draw(st.sampled_from(["application/json", "application/x-www-form-urlencoded"]))
    return method, path, draw(DASHBOARD_BODIES), content_type


@pytest.fixture
def staff_client(world):
    client = Client()
    client.force_login(get_user_model().objects.create_user("teacher", password="pw", is_staff=True))
    return client


def test_every_dashboard_endpoint_is_fuzzed():
    assert len(dashboard_routes()) >= 20


@FUZZ
@given(request=dashboard_requests())
def test_the_dashboard_endpoints_never_answer_5xx_and_refuse_in_json(staff_client, request):
    method, path, body, content_type = request

    def send():
        response = staff_client.generic(method, path, data=body, content_type=content_type)
        return response, method, True

    run_in_savepoint(send)


# --- the lean Invoke route (daphne, no Django) -----------------------------------------------------------------


@pytest.fixture
def lean_function(lean_daphne_url, redis_client):
    """Function fn, created through the daphne that serves the lean route."""
    code = base64.b64encode(behaviour_zip()).decode()
    create = {"FunctionName": "fn", "Role": ROLE, "Runtime": "python3.12", "Handler": "a.b", "Code": {"ZipFile": code}}
    status, _, _ = send_signed(lean_daphne_url, "POST", "/2015-03-31/functions", body=json.dumps(create).encode())
    assert status == 201
    return lean_daphne_url


@pytest.mark.django_db(transaction=True)
@settings(FUZZ, max_examples=40)
@given(
    name=st.one_of(st.just("fn"), label_values()),
    body=st.one_of(RAW_BODIES, JSON_VALUES.map(lambda value: json.dumps(value).encode())),
    headers=INVOKE_HEADERS,
)
def test_the_lean_invoke_route_never_answers_5xx_and_refuses_in_aws_shape(lean_function, name, body, headers):
    path = f"/2015-03-31/functions/{quote(name.encode('utf-8', 'surrogatepass'), safe='')}/invocations"
    status, answer_headers, answer = send_signed(lean_function, "POST", path, body=body, headers=headers)
    if "/" not in name:  # an encoded "/" is decoded into the path, which the lean route leaves to Django
        assert "x-frame-options" not in answer_headers, "answered by Django, not the lean route"
    assert status < 500, (status, answer)
    if status >= 400:
        assert answer_headers["x-amzn-ErrorType"] and (answer.get("message") or answer.get("Message")), answer
