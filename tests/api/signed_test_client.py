"""SigV4-signed requests through Django's test client (no server, no thread): fast enough for a fuzz test.

The request is signed for http://testserver + the path exactly as given (still percent-encoded), and that raw path
is handed to the view as REQUEST_URI, as a WSGI server that keeps it would (sigv4.wire_path)."""

from __future__ import annotations

import base64
import json
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from django.apps import apps
from django.http import HttpResponse
from django.test import Client

from .conftest import ACCESS_KEY_ID, ROLE, SECRET_ACCESS_KEY, behaviour_zip

UNSENT_AS_META = {"content-type", "content-length"}


def signed(
    client: Client,
    method: str,
    path_and_query: str,
    *,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    request = AWSRequest(method=method, url="http://testserver" + path_and_query, data=body, headers=headers or {})
    SigV4Auth(Credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY), "lambda", "us-east-1").add_auth(request)
    extra = {
        "HTTP_" + name.upper().replace("-", "_"): value
        for name, value in request.headers.items()
        if name.lower() not in UNSENT_AS_META
    }
    return client.generic(
        method,
        path_and_query,
        data=body,
        content_type=request.headers.get("Content-Type", "application/json"),
        HTTP_HOST="testserver",
        REQUEST_URI=path_and_query.split("?", 1)[0],
        **extra,
    )


def function_with_prod_alias(client: Client) -> Client:
    """Function fn published as version 1 with alias prod → 1, made through the API itself (signed requests)."""
    code = base64.b64encode(behaviour_zip()).decode()
    create = {"FunctionName": "fn", "Role": ROLE, "Runtime": "python3.12", "Handler": "a.b", "Code": {"ZipFile": code}}
    response = signed(client, "POST", "/2015-03-31/functions", body=json.dumps({**create, "Publish": True}).encode())
    assert response.status_code == 201, response.content
    alias = json.dumps({"Name": "prod", "FunctionVersion": "1"}).encode()
    assert signed(client, "POST", "/2015-03-31/functions/fn/aliases", body=alias).status_code == 201
    return client


def aws_error(response: HttpResponse) -> tuple[str, str]:
    """(x-amzn-ErrorType, message) of an API error; fails unless it is AWS-shaped."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body: dict[str, Any] = json.loads(response.content)
    message = body.get("message") or body.get("Message")
    assert message, body
    return response["x-amzn-ErrorType"], message


def database_state() -> dict[str, list[dict]]:
    """Every row of the app's tables: compared before and after a refused write."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("invocations").get_models()
    }
