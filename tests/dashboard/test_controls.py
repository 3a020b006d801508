"""The dashboard's pages and JSON controls through the Django test client: permissions, CSRF, validation."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from invocations.models import Alias, FunctionConcurrency, Version
from invocations.services.demo import demo_seed

pytestmark = pytest.mark.django_db

WEIGHT_URL = "/dashboard/api/functions/checkout/aliases/prod/weight"


@pytest.fixture
def seeded(redis_client):
    demo_seed()


@pytest.fixture
def staff():
    return get_user_model().objects.create_user("teacher", password="pw", is_staff=True)


@pytest.fixture
def staff_client(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    return client


def csrf_token(client: Client, path: str = "/functions/checkout/") -> str:
    html = client.get(path).content.decode()
    marker = 'data-csrf-token="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def post(client: Client, url: str, data: dict, token: str | None = None):
    headers = {"HTTP_X_CSRFTOKEN": token} if token else {}
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


def prod_weight() -> float:
    return Alias.objects.get(function__name="checkout", name="prod").routing_weight


def test_anonymous_visitors_get_the_diagram_without_controls(client, seeded):
    html = client.get("/functions/checkout/").content.decode()
    assert 'data-function="checkout"' in html
    assert "Read-only view." in html
    assert 'role="slider"' not in html
    assert "Start traffic" not in html
    assert "data-scenario" not in client.get("/").content.decode()


def test_staff_get_the_slider_and_every_labelled_control(admin_client, seeded):
    html = admin_client.get("/functions/checkout/").content.decode()
    assert '<label for="slider-prod">prod weight</label>' in html
    assert 'role="slider" id="slider-prod"' in html and 'aria-valuenow="5"' in html
    for label in (
        "Rate (per simulated second)",
        "Reserved concurrent executions",
        "Error rate (0–1)",
        "Queue",
        "Speed",
    ):
        assert label in html
    assert "Read-only view." not in html


def test_a_read_only_deployment_hides_the_controls_even_from_staff(admin_client, seeded, settings):
    settings.LAMBDAVIZ_READONLY_DASHBOARD = True
    html = admin_client.get("/functions/checkout/").content.decode()
    assert 'role="slider"' not in html
    assert "This dashboard was deployed read-only." in html
    response = post(admin_client, WEIGHT_URL, {"weight": 50})
    assert response.status_code == 403
    assert response.json()["Type"] == "User"
    assert prod_weight() == 0.05


def test_an_anonymous_post_is_refused_with_403_and_changes_nothing(seeded):
    client = Client(enforce_csrf_checks=True)
    token = csrf_token(client)
    response = post(client, WEIGHT_URL, {"weight": 50}, token)
    assert response.status_code == 403
    assert response["x-amzn-ErrorType"] == "AccessDeniedException"
    assert prod_weight() == 0.05


def test_a_forged_staff_post_without_the_csrf_token_is_refused(staff_client, seeded):
    response = post(staff_client, WEIGHT_URL, {"weight": 50})
    assert response.status_code == 403
    assert prod_weight() == 0.05


def test_staff_with_the_csrf_token_move_the_prod_alias_to_50_50(staff_client, seeded):
    response = post(staff_client, WEIGHT_URL, {"weight": 50}, csrf_token(staff_client))
    assert response.status_code == 200, response.content
    assert response.json() == {"alias": "prod", "function_version": "1", "weights": {"2": 0.5}}
    assert prod_weight() == 0.5


@pytest.mark.parametrize(
    ("url", "body", "status", "error_type"),
    [
        (WEIGHT_URL, {"weight": 150}, 400, "InvalidParameterValueException"),
        (WEIGHT_URL, {"weight": "half"}, 400, "InvalidParameterValueException"),
        ("/dashboard/api/functions/checkout/aliases/dev/weight", {"weight": 10}, 400, "InvalidParameterValueException"),
        ("/dashboard/api/functions/nope/aliases/prod/weight", {"weight": 10}, 404, "ResourceNotFoundException"),
        ("/dashboard/api/functions/checkout/aliases/prod", {"function_version": "9"}, 404, "ResourceNotFoundException"),
        ("/dashboard/api/functions/checkout/concurrency", {"reserved": -1}, 400, "InvalidParameterValueException"),
        (
            "/dashboard/api/functions/checkout/provisioned",
            {"qualifier": "$LATEST", "count": 2},
            400,
            "InvalidParameterValueException",
        ),
        (
            "/dashboard/api/traffic/start",
            {"name": "x", "target": "checkout:prod", "kind": "sync", "rate": 0},
            400,
            "InvalidParameterValueException",
        ),
        (
            "/dashboard/api/traffic/start",
            {"name": "x", "target": "checkout:prod", "kind": "sync", "rate": 5, "payload": "[1]"},
            400,
            "InvalidParameterValueException",
        ),
        ("/dashboard/api/traffic/stop", {"name": "never-started"}, 404, "ResourceNotFoundException"),
        ("/dashboard/api/sources/message", {"queue": "no-such-queue", "body": "x"}, 404, "ResourceNotFoundException"),
        ("/dashboard/api/clock", {"factor": -1}, 400, "InvalidParameterValueException"),
        ("/dashboard/api/scenarios/nope", {}, 404, "ResourceNotFoundException"),
    ],
)
def test_invalid_input_is_a_4xx_aws_error_body(staff_client, seeded, url, body, status, error_type):
    response = post(staff_client, url, body, csrf_token(staff_client))
    assert response.status_code == status, response.content
    assert response["x-amzn-ErrorType"] == error_type
    assert set(response.json()) >= {"Type", "message"}


def test_a_body_that_is_not_json_is_refused(staff_client, seeded):
    response = staff_client.post(
        WEIGHT_URL, "{nope", content_type="application/json", HTTP_X_CSRFTOKEN=csrf_token(staff_client)
    )
    assert response.status_code == 400
    assert response["x-amzn-ErrorType"] == "InvalidRequestContentException"


def test_get_on_a_control_is_405(staff_client, seeded):
    assert staff_client.get(WEIGHT_URL).status_code == 405


def test_staff_publish_a_version_from_the_profile_editor(staff_client, seeded):
    body = {
        "description": "v3: faster",
        "duration_mean_ms": 40,
        "duration_stddev_ms": 5,
        "init_ms": 200,
        "error_rate": 0.5,
        "timeout_rate": 0.1,
    }
    response = post(staff_client, "/dashboard/api/functions/checkout/versions", body, csrf_token(staff_client))
    assert response.status_code == 200, response.content
    assert response.json() == {"version": "3"}
    profile = Version.objects.get(function__name="checkout", number=3).behaviour_profile
    assert profile["error_rate"] == 0.5 and profile["timeout_rate"] == 0.1
    assert profile["duration_ms"] == {"mean": 40.0, "stddev": 5.0}
    assert profile["error_type"] == "PaymentGatewayError"  # keys the editor does not show are kept


def test_staff_set_reserved_concurrency_and_remove_it(staff_client, seeded):
    token = csrf_token(staff_client)
    assert (
        post(staff_client, "/dashboard/api/functions/checkout/concurrency", {"reserved": 0}, token).status_code == 200
    )
    assert FunctionConcurrency.objects.get(function__name="checkout").reserved_concurrent_executions == 0
    assert (
        post(staff_client, "/dashboard/api/functions/checkout/concurrency", {"reserved": ""}, token).status_code == 200
    )
    assert not FunctionConcurrency.objects.filter(function__name="checkout").exists()


def test_staff_set_an_alias_versions_and_the_event_invoke_config(staff_client, seeded):
    token = csrf_token(staff_client)
    response = post(
        staff_client,
        "/dashboard/api/functions/checkout/aliases/test",
        {"function_version": "1", "additional_version": "2", "weight": 20},
        token,
    )
    assert response.json()["weights"] == {"2": 0.2}
    response = post(
        staff_client,
        "/dashboard/api/functions/checkout/event-invoke-config",
        {"qualifier": "prod", "maximum_retry_attempts": 0, "maximum_event_age_in_seconds": 120},
        token,
    )
    assert response.status_code == 200, response.content
    assert response.json()["maximum_retry_attempts"] == 0


def test_staff_start_and_stop_traffic_and_put_messages_and_records(staff_client, seeded, redis_client):
    token = csrf_token(staff_client)
    start = {"name": "room", "target": "checkout:prod", "kind": "sync", "rate": 25, "payload": '{"a": 1}'}
    response = post(staff_client, "/dashboard/api/traffic/start", start, token)
    assert response.json()["rate"] == 25.0 and response.json()["payload"] == {"a": 1}
    assert [s["name"] for s in staff_client.get("/dashboard/api/traffic").json()["streams"]] == ["room"]
    assert post(staff_client, "/dashboard/api/traffic/stop", {"name": "room"}, token).status_code == 200
    assert staff_client.get("/dashboard/api/traffic").json()["streams"] == []
    response = post(staff_client, "/dashboard/api/sources/message", {"queue": "orders", "body": '{"o": 1}'}, token)
    assert response.status_code == 200 and response.json()["MessageId"]
    arn = "arn:aws:kinesis:us-east-1:123456789012:stream/clickstream"
    response = post(
        staff_client,
        "/dashboard/api/sources/record",
        {"stream": arn, "partition_key": "u1", "data": '{"poison": true}'},
        token,
    )
    assert response.status_code == 200, response.content
    assert response.json()["ShardId"].startswith("shardId-")


def test_the_topology_and_log_endpoints_are_readable_by_anyone(client, seeded):
    topology = client.get("/dashboard/api/functions/checkout/topology").json()
    assert [a["name"] for a in topology["aliases"]] == ["dev", "prod", "test"]
    assert {s["stage"] for s in topology["invokers"]["api_stages"]} == {"Prod", "Test", "Dev"}
    assert client.get("/dashboard/api/functions/checkout/logs?version=2").json()["entries"] == []
    thumbnailer = client.get("/dashboard/api/functions/thumbnailer/topology").json()
    assert thumbnailer["event_invoke_configs"][0]["on_success"].endswith(":thumbnails-done")
    assert client.get("/dashboard/api/functions/nope/topology").status_code == 404
    assert client.get("/functions/nope/").status_code == 404
