"""The function URL door: real HTTP requests to a function URL invoke its function (or alias) with the payload
format 2.0 event, through the same inbox and engine host as Invoke (services/invoke.py), and the function's answer
goes back as Lambda maps it.

Two addresses reach a URL: the host-based one the API answers (`<url-id>.lambda-url.<region>.localhost:<port>`:
`*.localhost` is loopback for browsers and curl), routed by `FunctionUrlHosts`, and the path-based one for the LAN
(`/lambda-url/<url-id>/<path>`), where `*.localhost` would name the student's own laptop.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import UTC, datetime

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt

from invocations.errors import LambdaError, ServiceException
from invocations.rules import function_url_cors as cors_rules
from invocations.rules import function_url_payload as payload
from invocations.rules.function_urls import HOST_PATTERN, PATH_PREFIX
from invocations.rules.policies import allows_everyone
from invocations.selectors.function_urls import UrlDoor, url_door
from invocations.services.invoke import SyncInvokeResult, invoke_sync

from .lambda_api import invoke as invoke_api
from .lambda_api.invoke_targets import Target
from .sigv4 import verify_request, wire_path

log = logging.getLogger(__name__)

SOURCE = "url"  # how the dashboard tells these invocations from SDK calls
FORBIDDEN = {"Message": "Forbidden"}
_PATH_FORM = re.compile(rf"^{re.escape(PATH_PREFIX)}(?P<url_id>[a-z0-9]{{32}})(?P<rest>/.*)?$")


class FunctionUrlHosts:
    """Middleware: a request whose Host is a function URL's goes to the door, whatever its path."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = HOST_PATTERN.match(request.get_host())
        if match is not None:
            request.urlconf = __name__  # this module's urlpatterns: every path is the function's
            request.function_url_id = match["url_id"]
        return self.get_response(request)


@csrf_exempt
async def host_based(request: HttpRequest, path: str = "") -> HttpResponse:
    return await answer(request, request.function_url_id, raw_path=wire_path(request), path=request.path)


@csrf_exempt
async def path_based(request: HttpRequest, url_id: str, rest: str = "") -> HttpResponse:
    prefix = f"{PATH_PREFIX}{url_id}"
    raw = wire_path(request)
    return await answer(
        request,
        url_id,
        raw_path=raw[len(prefix) :] or "/" if raw.startswith(prefix) else rest or "/",
        path=request.path[len(prefix) :] or "/",
    )


urlpatterns = [re_path(r"^(?P<path>.*)$", host_based, name="function-url-host")]
path_urlpatterns = [
    re_path(r"^lambda-url/(?P<url_id>[a-z0-9]{32})(?P<rest>/.*)?$", path_based, name="function-url-path")
]


async def answer(request: HttpRequest, url_id: str, *, raw_path: str, path: str) -> HttpResponse:
    request_id = str(uuid.uuid4())
    try:
        door = await sync_to_async(url_door)(url_id)
        if door is None:
            response = _json(404, {"Message": "Not Found"})  # ⚠ AWS's answer for an unknown URL id is unconfirmed
        else:
            response = await _through(request, door, request_id=request_id, raw_path=raw_path, path=path)
    except Exception:  # a bug or Redis down: a 500 in the door's own words, never Django's page
        log.exception("function URL %s failed", url_id)
        response = _json(500, {"Message": "Internal Server Error"})
    response["x-amzn-RequestId"] = request_id
    return response


async def _through(request: HttpRequest, door: UrlDoor, *, request_id: str, raw_path: str, path: str) -> HttpResponse:
    headers = {name.lower(): value for name, value in request.headers.items()}
    origin = headers.get("origin")
    if door.cors and cors_rules.is_preflight(request.method or "", headers):
        return _mapped(payload.HttpResponse(status=200, headers=cors_rules.preflight_headers(door.cors, origin)))
    caller = _caller(request, door)
    if caller is None:
        return _json(403, FORBIDDEN, error_type="AccessDeniedException")
    if len(request.body) > invoke_api.SYNC_PAYLOAD_LIMIT:
        return _json(413, {"Message": "Request must be smaller than 6291456 bytes for the InvokeFunction operation"})
    event = payload.build_event(
        payload.HttpRequest(
            method=request.method or "GET",
            raw_path=raw_path,
            path=path,
            raw_query_string=request.META.get("QUERY_STRING", ""),
            headers=list(request.headers.items()),
            body=request.body,
            source_ip=request.META.get("REMOTE_ADDR", ""),
            protocol=request.META.get("SERVER_PROTOCOL", "HTTP/1.1"),
            scheme=request.scheme,
            port=request.get_port(),
        ),
        url_id=door.url_id,
        region=door.region,
        caller=caller,
        request_id=request_id,
        now=datetime.now(UTC),
    )
    try:
        result = await sync_to_async(_invoke, thread_sensitive=False, executor=invoke_api._waiters)(
            door, event, request_id
        )
    except LambdaError as error:
        return _json(error.status_code, {"Message": error.message}, error_type=error.error_type)
    if result.outcome == "Throttled":
        # ⚠ a function URL's throttle answer is unconfirmed: 429 in Invoke's words
        return _json(429, {"Message": "Rate Exceeded."}, error_type="TooManyRequestsException")
    if result.outcome == "ServiceError":
        return _json(500, {"Message": "Internal Server Error"}, error_type="ServiceException")
    mapped = payload.map_response(result.payload, function_error=result.function_error)
    mapped.headers.update(cors_rules.response_headers(door.cors, origin))
    response = _mapped(mapped)
    if result.function_error:
        response["x-amzn-ErrorType"] = "FunctionError"  # ⚠ header name ours
    return response


def _caller(request: HttpRequest, door: UrlDoor) -> payload.Caller | None:
    """Who may pass. NONE: the policy must grant both lambda:InvokeFunctionUrl and lambda:InvokeFunction to
    Principal "*" (AWS's rule since October 2025). AWS_IAM: a SigV4 signature for service `lambda` by the account's
    key pair (there is no IAM here, so a signed caller is the account itself, allowed by its own identity)."""
    if door.auth_type == "NONE":
        granted = all(
            allows_everyone(door.statements, action=action, auth_type="NONE")
            for action in ("lambda:InvokeFunctionUrl", "lambda:InvokeFunction")
        )
        return payload.Caller() if granted else None
    try:
        signed_by = verify_request(request, service="lambda")
    except LambdaError:
        return None
    return payload.Caller(account_id=door.account_id, access_key_id=signed_by.access_key_id)


def _invoke(door: UrlDoor, event: dict, request_id: str) -> SyncInvokeResult:
    """The same sync path as Invoke: the inbox, the engine host, its reply (services/invoke.py)."""
    target = Target(name=door.target, timeout_s=door.timeout_s)
    wait = invoke_api.wait_budget(target, invoke_api._clock().state())
    try:
        return invoke_sync(
            door.target, event, wait_s=wait, source=SOURCE, client=invoke_api._redis(), request_id=request_id
        )
    except ServiceException as error:
        raise invoke_api.no_reply_error(error, wait, invoke_api._clock().state(fresh=True)) from None


def _json(status: int, body: dict, *, error_type: str | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(body, separators=(",", ":")), status=status, content_type="application/json")
    if error_type:
        response["x-amzn-ErrorType"] = error_type
    return response


class _RawSetCookie:
    """A Set-Cookie value sent exactly as the function wrote it (Django's cookie jar would re-parse it)."""

    def __init__(self, raw: str) -> None:
        self.raw = raw

    def output(self, attrs=None, header: str = "Set-Cookie:") -> str:
        return f"{header} {self.raw}".strip()


def _mapped(mapped: payload.HttpResponse) -> HttpResponse:
    response = HttpResponse(mapped.body, status=mapped.status)
    del response["Content-Type"]
    for name, value in mapped.headers.items():
        response[name] = value
    for index, cookie in enumerate(mapped.cookies):
        dict.__setitem__(response.cookies, f"lv-function-url-{index}", _RawSetCookie(cookie))
    response.xframe_options_exempt = True
    return response
