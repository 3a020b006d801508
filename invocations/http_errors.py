"""What a visitor sees when a request fails: never a traceback or a debug page, whatever DEBUG says (issue 10).

Every failure is answered in the shape its audience reads:
- the Lambda API (/20YY-MM-DD/...): AWS's error, x-amzn-ErrorType and a JSON body, as the SDKs parse it;
- the dashboard's endpoints (/dashboard/api/...): the same JSON body the endpoints answer their own errors with;
- pages: a plain page with the status and one sentence.
Tracebacks still go to the server's log. The pieces: `VisitorSafeErrors` (the outermost middleware), the
handler views named in the root URLconf, `csrf_failure` (CSRF_FAILURE_VIEW), `not_found` (the last URL pattern)
and `PlainExceptionReporter` (DEFAULT_EXCEPTION_REPORTER: whatever Django itself still renders in DEBUG).
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import BadRequest, DisallowedHost, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.deprecation import MiddlewareMixin
from django.utils.html import escape
from django.views.debug import ExceptionReporter

from .errors import (
    AccessDeniedException,
    InvalidRequestContentException,
    LambdaError,
    RequestTooLargeException,
    ResourceNotFoundException,
    ServiceException,
)

log = logging.getLogger("django.request")

API_PATH = re.compile(r"^/20\d\d-\d\d-\d\d/")
DASHBOARD_API_PREFIX = "/dashboard/api/"
JSON_TYPES = ("application/json",)


class HttpStatusError(LambdaError):
    """A refusal with no AWS error type of its own (a method not allowed, ...): its status, AWS's body shape."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status
        self.error_type = HTTPStatus(status).phrase.replace(" ", "") + "Exception"


def audience(path: str) -> str:
    """ "api", "dashboard" or "page": who reads the answer to a request for `path`."""
    if API_PATH.match(path):
        return "api"
    if path.startswith(DASHBOARD_API_PREFIX):
        return "dashboard"
    return "page"


def error_for(status: int, message: str, *, path: str = "") -> LambdaError:
    """The AWS-named error that says `status`."""
    if status == 404:
        if audience(path) == "api":
            from .api.lambda_api.common import UnknownOperationException

            return UnknownOperationException(message)
        return ResourceNotFoundException(message)
    if status == 400:
        return InvalidRequestContentException(message)
    if status == 403:
        return AccessDeniedException(message)
    if status == 413:
        return RequestTooLargeException(message)
    if status >= 500:
        return ServiceException(message)
    return HttpStatusError(status, message)


def failure_response(request: HttpRequest, error: LambdaError) -> HttpResponse:
    """`error` answered in the shape the request's audience reads."""
    kind = audience(request.path)
    if kind == "api":
        from .api.responses import aws_error_response, request_id_for

        return aws_error_response(error, request_id=request_id_for(request))
    if kind == "dashboard":
        from .dashboard.http import error_response

        return error_response(error)
    return plain_page(error.status_code, error.message)


def plain_page(status: int, message: str) -> HttpResponse:
    """A small page that names the status; no template, so it renders even when templates or the database fail."""
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    html = (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{status} {escape(phrase)}</title>"
        f"</head><body><h1>{status} {escape(phrase)}</h1><p>{escape(message)}</p>"
        "<p><a href='/'>LambdaViz</a></p></body></html>"
    )
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


def response_for_exception(request: HttpRequest, exception: BaseException) -> HttpResponse:
    """What a view's uncaught exception becomes; anything unexpected is logged with its traceback first."""
    if isinstance(exception, LambdaError):
        return failure_response(request, exception)
    if isinstance(exception, Http404 | Resolver404):
        return failure_response(request, error_for(404, "Not found.", path=request.path))
    if isinstance(exception, PermissionDenied):
        return failure_response(request, error_for(403, "Permission denied."))
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return failure_response(request, error_for(413, f"Request must be smaller than {limit} bytes."))
    if isinstance(exception, SuspiciousOperation | BadRequest):
        log.warning("Bad request %s %s: %s", request.method, request.path, exception)
        return failure_response(request, error_for(400, "Bad request."))
    if isinstance(exception, RecursionError):  # input too deep for some step that walks it (logged: may be a bug)
        log.warning("RecursionError on %s %s", request.method, request.path, exc_info=exception)
        return failure_response(request, InvalidRequestContentException("The request is nested too deeply."))
    log.error("Internal Server Error: %s", request.path, exc_info=exception)
    return failure_response(request, error_for(500, "An internal error occurred."))


class VisitorSafeErrors(MiddlewareMixin):
    """The outermost middleware: refuses a Host not in ALLOWED_HOSTS with a plain 400 (before any other middleware
    meets it and DEBUG renders it), answers a view's uncaught exception in its audience's shape, and gives an API or
    dashboard-endpoint error that is not already in their shape (Django's 405, ...) that shape."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        try:
            request.get_host()
        except DisallowedHost as refused:
            log.warning("Refused %s %s: %s", request.method, request.path, refused)
            return failure_response(request, error_for(400, "Bad request: this server does not answer for that host."))
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse:
        return response_for_exception(request, exception)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code < 400:
            return response
        kind = audience(request.path)
        if kind == "api" and "x-amzn-ErrorType" not in response:
            reshaped = failure_response(request, error_for(response.status_code, _reason(response), path=request.path))
        elif kind == "dashboard" and not response.get("Content-Type", "").startswith(JSON_TYPES):
            reshaped = failure_response(request, error_for(response.status_code, _reason(response)))
        else:
            return response
        if "Allow" in response:
            reshaped["Allow"] = response["Allow"]
        return reshaped


def _reason(response: HttpResponse) -> str:
    return f"{response.reason_phrase}."


# --- views -----------------------------------------------------------------------------------------------------


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400."""
    return failure_response(request, error_for(400, "Bad request."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403."""
    return failure_response(request, error_for(403, "Permission denied."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404."""
    return failure_response(request, error_for(404, "Not found.", path=request.path))


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500 (the traceback is already in the log)."""
    return failure_response(request, error_for(500, "An internal error occurred."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a dashboard control without its token gets JSON, a form a plain page."""
    return failure_response(request, AccessDeniedException(f"CSRF verification failed: {reason}"))


def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """The last URL pattern: any path nothing else serves, answered in its audience's shape even in DEBUG (which
    would list the URLconf). Adds the missing slash as CommonMiddleware would (it cannot: every path resolves)."""
    if settings.APPEND_SLASH and not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found and getattr(match.func, "should_append_slash", True):
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return page_not_found(request)


class PlainExceptionReporter(ExceptionReporter):
    """DEFAULT_EXCEPTION_REPORTER: what DEBUG's technical 500 page would show is replaced by a plain page (the
    traceback is logged, never sent to the visitor)."""

    def get_traceback_html(self) -> str:
        return plain_page(*self._status_and_message()).content.decode()

    def get_traceback_text(self) -> str:
        return self._status_and_message()[1]

    def _status_and_message(self) -> tuple[int, str]:
        if isinstance(self.exc_value, SuspiciousOperation | BadRequest):  # DEBUG renders these with this page too
            return 400, "Bad request."
        return 500, "An internal error occurred; the details are in the server's log."
