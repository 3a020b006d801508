"""No visitor ever sees a traceback or a debug page, DEBUG or not (issue 10, point 4): page errors are plain pages,
/dashboard/api/ errors are JSON, Lambda API errors are AWS-shaped. Bad names in page URLs are 404s (point 5)."""

import json

import pytest
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.test import Client

from invocations.ws_routing import UNKNOWN_PATH_CLOSE_CODE

pytestmark = pytest.mark.django_db

DEBUG_MARKS = ("Traceback", "technical", "DEBUG = True", "/secret/server/paths", "lambdaviz/settings", "Django tried")


@pytest.fixture(params=[True, False], ids=["debug", "no-debug"])
def debug(request, settings):
    """Every rule holds with DEBUG on (local use) and off (a class on the LAN)."""
    settings.DEBUG = request.param
    settings.ROOT_URLCONF = "tests.error_urls"
    return request.param


def assert_plain_page(response, status: int) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert len(text) < 10_000, "a debug page"  # Django's debug pages run to tens of KB; ours, top bar included, ~2.5 KB
    assert not [mark for mark in DEBUG_MARKS if mark in text]


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    message = body.get("message") or body.get("Message")  # AWS spells it per error type
    assert message and not [mark for mark in DEBUG_MARKS if mark in message]
    assert response["x-amzn-ErrorType"]
    return body


@pytest.mark.parametrize(
    "path",
    ["/functions/%C6%92/", f"/functions/{'a' * 300}/", "/functions/a:b/", "/functions/arn:aws:lambda:x/", "/nope"],
)
def test_a_bad_function_name_or_unknown_page_is_a_plain_404(debug, path):
    assert_plain_page(Client().get(path), 404)


def test_a_missing_slash_is_still_added(debug):
    response = Client().get("/admin")
    assert response.status_code == 301 and response["Location"] == "/admin/"


def test_a_view_that_fails_gives_a_plain_500_page_and_logs_the_traceback(debug, caplog):
    assert_plain_page(Client().get("/test-only/boom"), 500)
    assert "a bug in a view" in caplog.text


def test_a_failing_dashboard_endpoint_answers_json(debug):
    body = assert_json_error(Client().get("/dashboard/api/test-only/boom"), 500)
    assert body["Type"] == "Service"


def test_a_failing_api_view_answers_aws_service_exception(debug):
    response = Client().get("/2015-03-31/test-only/boom")
    assert_json_error(response, 500)
    assert response["x-amzn-ErrorType"] == "ServiceException"
    assert response["x-amzn-RequestId"]


@pytest.mark.parametrize("path", ["/dashboard/api/nope", "/dashboard/api/functions/f/nope", "/dashboard/api/"])
def test_an_unknown_dashboard_endpoint_answers_json(debug, path):
    response = Client().get(path)
    assert_json_error(response, 404)
    assert response["x-amzn-ErrorType"] == "ResourceNotFoundException"


def test_a_dashboard_endpoint_with_the_wrong_method_answers_json(debug):
    response = Client().post("/dashboard/api/traffic")
    assert_json_error(response, 405)
    assert response["Allow"] == "GET"


def test_a_dashboard_control_without_its_csrf_token_answers_json(debug):
    staff = get_user_model().objects.create_user("teacher", password="pw", is_staff=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post("/dashboard/api/clock", data="{}", content_type="application/json")
    body = assert_json_error(response, 403)
    assert response["x-amzn-ErrorType"] == "AccessDeniedException"
    assert "CSRF" in body["message"]


def test_a_form_without_its_csrf_token_gets_a_plain_403_page(debug):
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "a", "password": "b"})
    assert_plain_page(response, 403)


@pytest.mark.parametrize("path", ["/", "/functions/f/", "/admin/login/"])
def test_a_host_not_allowed_gets_a_plain_400_page(debug, path):
    assert_plain_page(Client(HTTP_HOST="evil.example").get(path), 400)


@pytest.mark.parametrize("path", ["/dashboard/api/traffic", "/2015-03-31/functions"])
def test_a_host_not_allowed_on_json_endpoints_gets_json(debug, path):
    response = Client(HTTP_HOST="evil.example").get(path)
    assert_json_error(response, 400)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/ws/nope/", "/ws/live/%C6%92/", "/ws/live/" + "a" * 300 + "/", "/"])
async def test_a_websocket_to_an_unknown_path_is_closed_with_a_code(path):
    from lambdaviz.asgi import application

    headers = [(b"host", b"127.0.0.1"), (b"origin", b"http://127.0.0.1")]
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_output() == {"type": "websocket.close", "code": UNKNOWN_PATH_CLOSE_CODE}
    await communicator.disconnect()
