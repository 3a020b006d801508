"""A function URL's translator, pure: an HTTP request becomes the payload format 2.0 event, and the function's
answer becomes the HTTP response, as Lambda builds and maps them (developer guide, urls-invocation.md "Request and
response payloads"; semantics §10)."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

ROUTE_KEY = "$default"  # function URLs have no routes or stages: AWS puts this placeholder in both
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript")
_TEXT_SUFFIXES = ("+json", "+xml")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class HttpRequest:
    """The request as it arrived at the URL: raw path and query as sent, headers in arrival order."""

    method: str
    raw_path: str
    path: str  # decoded
    raw_query_string: str
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str
    protocol: str = "HTTP/1.1"
    scheme: str = "http"
    port: str = "80"


@dataclass(frozen=True)
class Caller:
    """Who a request came from: anonymous (AuthType NONE) or a SigV4-verified identity (AWS_IAM)."""

    account_id: str | None = None  # None: anonymous
    access_key_id: str | None = None


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    cookies: list[str] = field(default_factory=list)
    body: bytes = b""


def event_time(moment: datetime) -> str:
    """requestContext.time: "12/Mar/2020:19:03:58 +0000" (English month names whatever the locale)."""
    moment = moment.astimezone(UTC)
    return f"{moment.day:02d}/{_MONTHS[moment.month - 1]}/{moment:%Y:%H:%M:%S} +0000"


def trace_id(moment: datetime) -> str:
    """X-Amzn-Trace-Id's Root: 1-<epoch seconds in hex>-<96 random bits>."""
    return f"Root=1-{int(moment.timestamp()):08x}-{secrets.token_hex(12)}"


def is_text(content_type: str | None) -> bool:
    """Bodies of these types reach the function as text; any other body (or none declared) as base64."""
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return bool(kind) and (kind.startswith(_TEXT_TYPES) or kind.endswith(_TEXT_SUFFIXES))


def _joined(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Repeated names are combined with commas (payload format 2.0 has no multiValue* members)."""
    joined: dict[str, str] = {}
    for name, value in pairs:
        joined[name] = f"{joined[name]},{value}" if name in joined else value
    return joined


def build_event(
    request: HttpRequest,
    *,
    url_id: str,
    region: str,
    caller: Caller,
    request_id: str,
    now: datetime,
) -> dict[str, Any]:
    """The event, members in the order AWS sends them. Absent cookies, query strings and body are left out, as in
    AWS's recorded events; Lambda's own headers (x-forwarded-*, x-amzn-trace-id) are added."""
    headers = _joined((name.lower(), value) for name, value in request.headers)
    cookie_header = headers.pop("cookie", "")
    headers.update(
        {
            "x-amzn-trace-id": headers.get("x-amzn-trace-id") or trace_id(now),
            "x-forwarded-proto": request.scheme,
            "x-forwarded-port": str(request.port),
            "x-forwarded-for": request.source_ip,
        }
    )
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": ROUTE_KEY,
        "rawPath": request.raw_path,
        "rawQueryString": request.raw_query_string,
    }
    cookies = [c.strip() for c in cookie_header.split(";") if c.strip()]
    if cookies:
        event["cookies"] = cookies
    event["headers"] = headers
    query = _joined(parse_qsl(request.raw_query_string, keep_blank_values=True))
    if query:
        event["queryStringParameters"] = query
    domain = f"{url_id}.lambda-url.{region}.localhost"
    context: dict[str, Any] = {"accountId": caller.account_id or "anonymous", "apiId": url_id}
    if caller.account_id is not None:
        context["authorizer"] = {
            "iam": {
                "accessKey": caller.access_key_id,
                "accountId": caller.account_id,
                # The simulator's key pair stands for the account's root user, whose user id is the account id.
                "callerId": caller.account_id,
                "cognitoIdentity": None,
                "principalOrgId": None,
                "userArn": f"arn:aws:iam::{caller.account_id}:root",
                "userId": caller.account_id,
            }
        }
    context.update(
        {
            "domainName": domain,
            "domainPrefix": url_id,
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": request.protocol,
                "sourceIp": request.source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": request_id,
            "routeKey": ROUTE_KEY,
            "stage": ROUTE_KEY,
            "time": event_time(now),
            "timeEpoch": int(now.timestamp() * 1000),
        }
    )
    event["requestContext"] = context
    if request.body:
        if is_text(headers.get("content-type")):
            try:
                event["body"], encoded = request.body.decode("utf-8"), False
            except UnicodeDecodeError:
                event["body"], encoded = base64.b64encode(request.body).decode("ascii"), True
        else:
            event["body"], encoded = base64.b64encode(request.body).decode("ascii"), True
        event["isBase64Encoded"] = encoded
    else:
        event["isBase64Encoded"] = False
    return event


# --- the function's answer --------------------------------------------------------------------------------------

BAD_GATEWAY = HttpResponse(
    status=502, headers={"content-type": "application/json"}, body=b'{"Message":"Internal Server Error"}'
)


def map_response(payload: Any, *, function_error: str | None) -> HttpResponse:
    """Lambda's response rules for function URLs: a function error, or an answer it cannot read, is a 502; an answer
    with a statusCode is taken member by member; any other JSON answer is a 200 whose body is that JSON."""
    if function_error:
        return BAD_GATEWAY
    if not (isinstance(payload, Mapping) and "statusCode" in payload):
        return HttpResponse(status=200, headers={"content-type": "application/json"}, body=json.dumps(payload).encode())
    status = payload.get("statusCode")
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        return BAD_GATEWAY
    headers = payload.get("headers") or {}
    cookies = payload.get("cookies") or []
    if not isinstance(headers, Mapping) or not isinstance(cookies, list):
        return BAD_GATEWAY
    body = payload.get("body")
    if body is None:
        content = b""
    elif isinstance(body, str):
        content = body.encode()
    else:  # ⚠ AWS's handling of a non-string body is unconfirmed: sent as its JSON
        content = json.dumps(body).encode()
    if payload.get("isBase64Encoded") is True and content:
        try:
            content = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            return BAD_GATEWAY
    mapped = {str(name).lower(): _header_value(value) for name, value in headers.items()}
    mapped.setdefault("content-type", "application/json")
    return HttpResponse(status=status, headers=mapped, cookies=[str(c) for c in cookies], body=content)


def _header_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
