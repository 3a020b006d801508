"""The lean Invoke route: POST /2015-03-31/functions/{name}/invocations served straight from ASGI.

Invoke is the one call a class makes thousands of times, and it needs none of Django's middleware (sessions,
CSRF, auth, messages): the SigV4 signature is its authentication. This route answers it with the same rules and
the same responses as the Django view (invoke.py's helpers, sigv4.verify_request, responses.aws_*), waiting on
redis.asyncio instead of a thread, and looking the function up only when the configuration version changed
(invoke_targets.py). Anything it does not serve goes to Django unchanged: other methods and paths, a Host not in
ALLOWED_HOSTS (Django's 400), a body without Content-Length or over DATA_UPLOAD_MAX_MEMORY_SIZE, and everything
when the URLconf does not route this path to the Invoke view (the test servers' URLconfs).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import redis.asyncio
from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.http.request import split_domain_port, validate_host
from django.urls import Resolver404, resolve

from invocations.errors import LambdaError, ServiceException
from invocations.services.invoke import (
    AsyncInbox,
    ClockState,
    Queued,
    SyncInvokeResult,
    invoke_request,
    new_reply_key,
    state_of,
    sync_result,
)

from ..responses import aws_error_response, new_request_id
from ..sigv4 import asgi_wire_request, verify_request
from . import invoke as invoke_view
from .invoke import SOURCE, InvokeCall, accepted, invocation_response, no_reply_error, read_call, wait_budget
from .invoke_targets import Target, targets

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PATH = re.compile(r"^/2015-03-31/functions/(?P<function_name>[^/]+)/invocations$")


class LeanInvoke:
    """ASGI middleware in front of Django's application: serves Invoke itself, hands everything else on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._routed_here: bool | None = None  # does the URLconf send this path to invoke.invoke? (decided once)
        self._inboxes: dict[asyncio.AbstractEventLoop, AsyncInbox] = {}
        self._clock: ClockState | None = None  # the shared clock as the last Redis round trip saw it

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = PATH.match(scope.get("path", "")) if scope["type"] == "http" and scope["method"] == "POST" else None
        if match is None or not self._serves(scope):
            return await self.app(scope, receive, send)
        body = await _read_body(receive)
        if body is None:  # the caller went away before sending the whole request
            return None
        response = await self.answer(scope, body, match["function_name"])
        await _send_response(send, response)

    def _serves(self, scope: Scope) -> bool:
        if self._routed_here is None:
            try:
                self._routed_here = resolve("/2015-03-31/functions/f/invocations").func is invoke_view.invoke
            except Resolver404:
                self._routed_here = False
        if not self._routed_here:
            return False
        headers = dict(scope.get("headers", ()))
        length = headers.get(b"content-length", b"")
        if not length.isdigit() or int(length) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return False
        return _host_allowed(headers.get(b"host", b"").decode("latin-1"))

    async def answer(self, scope: Scope, body: bytes, function_name: str) -> HttpResponse:
        request_id = new_request_id()
        try:
            wire = asgi_wire_request(scope, body)
            verify_request(wire)
            qualifier = QueryDict(wire.query_string).get("Qualifier")
            response = await self.invoke(read_call(function_name, qualifier, wire.headers, body), request_id)
        except LambdaError as error:
            response = aws_error_response(error, request_id=request_id)
        except Exception:  # a bug or Redis down: AWS's 500 shape rather than Django's HTML page
            log.exception("Invoke %s failed", function_name)
            response = aws_error_response(ServiceException("An internal error occurred."), request_id=request_id)
        response["x-amzn-RequestId"] = request_id
        return response

    async def invoke(self, call: InvokeCall, request_id: str) -> HttpResponse:
        """Queue the call with the target cached under the current configuration version and, for a sync invoke,
        wait for the host's reply: one round trip that also checks the version. If nothing is cached, or the version
        moved on, look the target up first (as the Django view always does)."""
        inbox = self._inbox()
        reply = new_reply_key() if call.invocation_type == "RequestResponse" else None
        version = targets.version
        target = targets.get(version, call.function_name, call.qualifier)
        queued = None
        if target is not None:
            wait = await self._wait_guess(inbox, target)
            request = _request(call, target, reply, request_id)
            queued = await inbox.queue(request, version=version, reply=reply, wait_s=wait)
        if queued is None or not queued.done:
            version = await inbox.config_version()
            target = targets.get(version, call.function_name, call.qualifier) or await sync_to_async(
                targets.resolve_outside_request
            )(version, call.function_name, call.qualifier)
            wait = await self._wait_guess(inbox, target)
            request = _request(call, target, reply, request_id)
            queued = await inbox.queue(request, version=None, reply=reply, wait_s=wait)
        self._clock = state_of(queued.clock) or self._clock
        answer = accepted(call, request_id)
        if answer is not None:
            return answer
        return invocation_response(request_id, await self._result(inbox, target, reply, queued), tail=call.tail)

    async def _wait_guess(self, inbox: AsyncInbox, target: Target) -> float:
        """The wait budget by the clock as last seen (the queueing round trip reads it afresh, see _result)."""
        if self._clock is None:
            self._clock = state_of(await inbox.clock()) or await sync_to_async(invoke_view._clock().state)()
        return wait_budget(target, self._clock)

    async def _result(self, inbox: AsyncInbox, target: Target, reply: str, queued: Queued) -> SyncInvokeResult:
        wait = wait_budget(target, self._clock)
        answer = queued.answer
        if answer is None and wait > queued.waited_s:  # the clock slowed down since the guess: wait as it says
            answer = await inbox.wait(reply, wait - queued.waited_s)
        try:
            return sync_result(answer)
        except ServiceException as error:
            raise no_reply_error(error, wait, state_of(await inbox.clock())) from None

    def _inbox(self) -> AsyncInbox:
        """One client per event loop (daphne has one); no socket timeout, so a long BLPOP is not cut short."""
        loop = asyncio.get_running_loop()
        inbox = self._inboxes.get(loop)
        if inbox is None:
            client = redis.asyncio.Redis.from_url(settings.REDIS_URL, socket_timeout=None)
            inbox = self._inboxes[loop] = AsyncInbox(client)
        return inbox


def _request(call: InvokeCall, target: Target, reply: str | None, request_id: str) -> dict[str, Any] | None:
    """The inbox request for the host, under the answer's x-amzn-RequestId (the invocation's id); DryRun queues
    nothing."""
    if call.invocation_type == "DryRun":
        return None
    return invoke_request(
        call.invocation_type,
        target.name,
        call.payload,
        source=SOURCE,
        reply=reply,
        request_id=request_id,
        **call.fields,
    )


def _host_allowed(host: str) -> bool:
    """Django's ALLOWED_HOSTS check (HttpRequest.get_host), so a refused Host still gets Django's 400."""
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    domain, _ = split_domain_port(host)
    return bool(domain) and validate_host(domain, allowed)


async def _read_body(receive: Receive) -> bytes | None:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _send_response(send: Send, response: HttpResponse) -> None:
    content = response.content
    headers = [(name.encode("ascii"), value.encode("latin-1")) for name, value in response.items()]
    headers.append((b"content-length", str(len(content)).encode("ascii")))
    await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": content})
