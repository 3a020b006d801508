"""The REST API stage door: real HTTP requests to a deployed stage reach the integration's function with the payload
format 1.0 event, through the same inbox and engine host as Invoke (services/invoke.py), and the answer goes back
as API Gateway maps it; its own failures are API Gateway's (500, 502, 504, 403 for an unknown route).

Two addresses reach a stage: host-based, `http://<api-id>.execute-api.localhost:<port>/<stage>/<path>` (`*.localhost`
is loopback for browsers and curl), routed by `ExecuteApiHosts`; and path-based for the LAN,
`/restapis/<api-id>/<stage>/_user_request_/<path>`.
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
from invocations.rules import apigateway as rules
from invocations.rules import apigateway_payload as payload
from invocations.rules.policies import allows_service
from invocations.selectors import apigateway as reads
from invocations.services.invoke import SyncInvokeResult, invoke_sync

from .lambda_api import invoke as invoke_api

log = logging.getLogger(__name__)

SOURCE = "apigw"  # how the dashboard tells these invocations from SDK calls
PRINCIPAL = "apigateway.amazonaws.com"
HOST_PATTERN = re.compile(r"^(?P<api_id>[a-z0-9]{10})\.execute-api(?:\.[a-z0-9-]+)?\.localhost(?::\d+)?$")
USER_REQUEST = "_user_request_"
_REPLY_MARGIN_S = 0.5  # wall seconds for the host's reply to travel back once the simulated timeout is reached


class ExecuteApiHosts:
    """Middleware: a request whose Host is a REST API's goes to the stage door, whatever its path."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = HOST_PATTERN.match(request.get_host())
        if match is not None:
            request.urlconf = __name__  # this module's urlpatterns: every path is the API's
            request.execute_api_id = match["api_id"]
        return self.get_response(request)


@csrf_exempt
async def host_based(request: HttpRequest, stage: str, rest: str = "") -> HttpResponse:
    return await answer(request, request.execute_api_id, stage, path=rest or "/")


@csrf_exempt
async def path_based(request: HttpRequest, api_id: str, stage: str, rest: str = "") -> HttpResponse:
    return await answer(request, api_id, stage, path=rest or "/")


urlpatterns = [
    re_path(r"^(?P<stage>[^/]+)(?P<rest>/.*)?$", host_based, name="execute-api-host"),
    re_path(r"^$", host_based, {"stage": ""}, name="execute-api-host-root"),
]
path_urlpatterns = [
    re_path(
        rf"^restapis/(?P<api_id>[a-z0-9]{{10}})/(?P<stage>[^/]+)/{USER_REQUEST}(?P<rest>/.*)?$",
        path_based,
        name="execute-api-path",
    )
]


def _json(status: int, body: dict, *, error_type: str | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    if error_type:
        response["x-amzn-ErrorType"] = error_type
    return response


def _internal(status: int = 500) -> HttpResponse:
    return _json(status, payload.INTERNAL_ERROR, error_type="InternalServerErrorException")


async def answer(request: HttpRequest, api_id: str, stage: str, *, path: str) -> HttpResponse:
    request_id = str(uuid.uuid4())
    try:
        prepared = await sync_to_async(_prepare)(request, api_id, stage, path, request_id)
        if isinstance(prepared, HttpResponse):
            response = prepared
        else:
            response = await sync_to_async(_answer, thread_sensitive=False, executor=invoke_api._waiters)(
                *prepared, request_id
            )
    except Exception:  # a bug or Redis down: API Gateway's 500, never Django's page
        log.exception("REST API %s/%s failed", api_id, stage)
        response = _internal()
    response["x-amzn-RequestId"] = request_id
    return response


def _prepare(
    request: HttpRequest, api_id: str, stage_name: str, path: str, request_id: str
) -> HttpResponse | tuple[str, dict, float]:
    """API Gateway's own checks (stage, route, integration URI, resource policy) and the event; or its refusal."""
    door = reads.stage_door(api_id, stage_name)
    if door is None:
        # ⚠ AWS: an unknown stage is a 403 Missing Authentication Token (an unknown API id has no DNS name at all).
        return _json(403, payload.MISSING_TOKEN, error_type="MissingAuthenticationTokenException")
    method = request.method or "GET"
    found = rules.route(door.routes, path=path, method=method)
    if found is None:
        return _json(403, payload.MISSING_TOKEN, error_type="MissingAuthenticationTokenException")
    integration = found.method.get("methodIntegration") or {}
    uri = rules.parse_lambda_uri(integration.get("uri", ""))
    resolved = rules.resolve(uri.function, door.variables) if uri else None
    target = rules.function_target(resolved) if resolved else None
    if target is None:
        log.info("%s: execution failed: the integration URI resolves to no function (%s)", request_id, uri)
        return _internal()
    lambda_target = reads.lambda_target(*target)
    if lambda_target is None:
        log.info("%s: Lambda refused the invocation: function not found: %s", request_id, resolved)
        return _internal()
    source = rules.source_arn(
        region=door.region,
        account_id=door.account_id,
        api_id=api_id,
        stage=door.stage,
        method=method,
        resource_path=found.resource_path,
    )
    if not allows_service(
        lambda_target.statements,
        service=PRINCIPAL,
        action="lambda:InvokeFunction",
        source_arn=source,
        source_account=door.account_id,
    ):
        # AWS's execution log: "Execution failed due to configuration error: Invalid permissions on Lambda function"
        log.info("%s: Execution failed due to configuration error: Invalid permissions on Lambda function", request_id)
        return _internal()
    event = payload.build_event(
        payload.RestRequest(
            method=method,
            path=path,
            query_string=request.META.get("QUERY_STRING", ""),
            headers=list(request.headers.items()),
            body=request.body,
            source_ip=request.META.get("REMOTE_ADDR", ""),
            protocol=request.META.get("SERVER_PROTOCOL", "HTTP/1.1"),
            host=request.get_host(),
        ),
        route=found,
        stage=payload.StageContext(
            api_id=api_id,
            stage=door.stage,
            deployment_id=door.deployment_id,
            account_id=door.account_id,
            variables=door.variables,
        ),
        request_id=request_id,
        now=datetime.now(UTC),
    )
    timeout_ms = integration.get("timeoutInMillis") or rules.INTEGRATION_TIMEOUT_MS
    return lambda_target.target, event, timeout_ms / 1000


def _answer(target: str, event: dict, timeout_s: float, request_id: str) -> HttpResponse:
    """The invocation and API Gateway's mapping of its outcome."""
    try:
        result = _invoke(target, event, request_id, timeout_s=timeout_s)
    except ServiceException:
        return _json(504, payload.TIMED_OUT, error_type="IntegrationTimeout")  # ⚠ error-type header name ours
    except LambdaError:
        return _internal()  # Lambda refused the invocation: API Gateway's 500
    if result.outcome in ("Throttled", "ServiceError"):
        return _internal()  # a throttle is Lambda refusing the invocation: 500, as Lambda's docs say
    if result.function_error:
        return _internal(502)
    mapped = payload.map_response(result.payload)
    if mapped is None:
        log.info("%s: Execution failed due to configuration error: Malformed Lambda proxy response", request_id)
        return _internal(502)
    response = HttpResponse(mapped.body, status=mapped.status)
    del response["Content-Type"]
    for name, value in mapped.headers:
        if name.lower() in response.headers and name.lower() != "content-type":
            response[name] = f"{response[name]}, {value}"  # repeated names folded (Django keeps one per name)
        else:
            response[name] = value
    response.xframe_options_exempt = True
    return response


def _invoke(target: str, event: dict, request_id: str, *, timeout_s: float) -> SyncInvokeResult:
    """The same sync path as Invoke; the wait is the integration timeout in simulated seconds, as wall seconds."""
    clock = invoke_api._clock().state()
    wait = invoke_api.PAUSED_WAIT_S if clock.paused else timeout_s / clock.factor + _REPLY_MARGIN_S
    return invoke_sync(target, event, wait_s=wait, source=SOURCE, client=invoke_api._redis(), request_id=request_id)
