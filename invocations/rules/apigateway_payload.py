"""API Gateway REST APIs' Lambda proxy integration (payload format 1.0): the event API Gateway builds from a request,
and how it maps the function's answer back to HTTP. Pure (no Django); tests check the event against AWS's documented
example (tests/api/fixtures/apigateway_proxy_event.json)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from .apigateway import Route

# What API Gateway answers for its own failures (the body is always this JSON, x-amzn-ErrorType beside it).
INTERNAL_ERROR = {"message": "Internal server error"}
TIMED_OUT = {"message": "Endpoint request timed out"}
MISSING_TOKEN = {"message": "Missing Authentication Token"}
_ANSWER_KEYS = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"}


@dataclass(frozen=True)
class RestRequest:
    method: str
    path: str  # after the stage: /hello/world
    query_string: str
    headers: list[tuple[str, str]]  # as received, repeated names kept
    body: bytes
    source_ip: str
    protocol: str
    host: str


@dataclass(frozen=True)
class StageContext:
    api_id: str
    stage: str
    deployment_id: str
    account_id: str
    variables: dict[str, str]


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]] | None:
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped or None


def _last(grouped: dict[str, list[str]] | None) -> dict[str, str] | None:
    """The single-value form: the last value of each name, as REST APIs send it."""
    return {name: values[-1] for name, values in grouped.items()} if grouped else None


def build_event(
    request: RestRequest, *, route: Route, stage: StageContext, request_id: str, now: datetime
) -> dict[str, Any]:
    """The payload format 1.0 event, keys in the order of AWS's documented example."""
    headers = _multi(request.headers)
    query = _multi(parse_qsl(request.query_string, keep_blank_values=True))
    user_agent = next((value for name, value in request.headers if name.lower() == "user-agent"), None)
    body, encoded = _body(request.body)
    return {
        "resource": route.resource_path,
        "path": request.path,
        "httpMethod": request.method,
        "headers": _last(headers),
        "multiValueHeaders": headers,
        "queryStringParameters": _last(query),
        "multiValueQueryStringParameters": query,
        "pathParameters": route.path_parameters or None,
        "stageVariables": stage.variables or None,
        "requestContext": {
            "resourceId": route.resource_id,
            "resourcePath": route.resource_path,
            "httpMethod": request.method,
            "extendedRequestId": base64.b64encode(request_id.encode()[:12]).decode(),  # ⚠ AWS's format is opaque
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "path": f"/{stage.stage}{request.path}",
            "accountId": stage.account_id,
            "protocol": request.protocol,
            "stage": stage.stage,
            "domainPrefix": request.host.split(".")[0],
            "requestTimeEpoch": int(now.timestamp() * 1000),
            "requestId": request_id,
            "identity": {
                "cognitoIdentityPoolId": None,
                "accountId": None,
                "cognitoIdentityId": None,
                "caller": None,
                "apiKey": None,
                "sourceIp": request.source_ip,
                "principalOrgId": None,
                "accessKey": None,
                "cognitoAuthenticationType": None,
                "cognitoAuthenticationProvider": None,
                "userArn": None,
                "userAgent": user_agent,
                "user": None,
            },
            "domainName": request.host.split(":")[0],
            "deploymentId": stage.deployment_id,
            "apiId": stage.api_id,
        },
        "body": body,
        "isBase64Encoded": encoded,
    }


def _body(raw: bytes) -> tuple[str | None, bool]:
    """Text as it came; bytes that are not UTF-8 travel base64-encoded.
    ⚠ AWS encodes only for the API's binaryMediaTypes, which are not modelled."""
    if not raw:
        return None, False
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(raw).decode(), True


@dataclass
class ProxyAnswer:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


def map_response(payload: Any) -> ProxyAnswer | None:
    """The function's answer as API Gateway sends it on; None for an answer it calls malformed (a 502).

    A REST API's proxy answer must be a JSON object with only the documented keys, an integer statusCode, a string
    (or absent) body, string header values and lists of them in multiValueHeaders; headers and multiValueHeaders
    merge, multiValueHeaders winning for a name both give."""
    if not isinstance(payload, dict) or set(payload) - _ANSWER_KEYS:
        return None
    status = payload.get("statusCode")
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        return None  # ⚠ AWS's handling of a missing or out-of-range statusCode: a 502, as we read its docs
    body = payload.get("body")
    if body is not None and not isinstance(body, str):
        return None
    single = payload.get("headers") or {}
    multi = payload.get("multiValueHeaders") or {}
    if not isinstance(single, dict) or not isinstance(multi, dict):
        return None
    headers: list[tuple[str, str]] = []
    for name, value in single.items():
        if name in multi:
            continue
        if isinstance(value, dict | list):
            return None
        headers.append((name, _text(value)))
    for name, values in multi.items():
        if not isinstance(values, list) or any(isinstance(value, dict | list) for value in values):
            return None
        headers.extend((name, _text(value)) for value in values)
    if not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("Content-Type", "application/json"))  # a REST API's default
    # ⚠ isBase64Encoded decodes only for binaryMediaTypes on AWS; they are not modelled, so the text goes as it is.
    return ProxyAnswer(status=status, headers=headers, body=(body or "").encode())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)
