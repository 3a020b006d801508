"""JSON plumbing for the dashboard's endpoints: staff checks, request bodies and AWS-shaped error bodies."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse

from ..errors import AccessDeniedException, LambdaError, ServiceException
from ..rules.json_input import parse_json_object

log = logging.getLogger(__name__)


def controls_allowed(request: HttpRequest) -> bool:
    """Staff get the controls unless the deployment chose a read-only dashboard (LAMBDAVIZ_READONLY_DASHBOARD)."""
    return bool(request.user.is_staff) and not settings.LAMBDAVIZ_READONLY_DASHBOARD


def error_response(error: LambdaError) -> JsonResponse:
    response = JsonResponse(error.body(), status=error.status_code)
    response["x-amzn-ErrorType"] = error.error_type
    return response


def request_data(request: HttpRequest) -> dict[str, Any]:
    """The body as a dict: JSON (what the dashboard sends) or form-encoded."""
    if request.content_type == "application/json":
        return parse_json_object(request.body)
    return request.POST.dict()


def staff_action(view: Callable[..., Any]) -> Callable[..., JsonResponse]:
    """A POST-only control: staff only, CSRF-checked by the middleware, LambdaError → {"Type","message"}."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        try:
            if request.method != "POST":
                response = JsonResponse({"Type": "User", "message": "Use POST."}, status=405)
                response["Allow"] = "POST"
                return response
            if not controls_allowed(request):
                raise AccessDeniedException("Only staff may change the simulation, and this dashboard is read-only.")
            result = view(request, request_data(request), *args, **kwargs)
            return JsonResponse(result if result is not None else {"ok": True}, status=200)
        except LambdaError as error:
            return error_response(error)
        except Exception:  # a bug must still answer in AWS's shape rather than as an HTML 500 page
            log.exception("dashboard action %s failed", view.__name__)
            return error_response(ServiceException("The simulator could not complete the request."))

    return wrapped


def read_endpoint(view: Callable[..., Any]) -> Callable[..., JsonResponse]:
    """A GET endpoint anyone may read; LambdaError → its AWS-shaped body, anything else (Redis down) → a 500 in
    the same shape."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        try:
            return JsonResponse(view(request, *args, **kwargs), safe=False)
        except LambdaError as error:
            return error_response(error)
        except Exception:
            log.exception("dashboard read %s failed", view.__name__)
            return error_response(ServiceException("The simulator could not complete the request."))

    return wrapped
