"""The CloudWatch Logs endpoint: POST / with `X-Amz-Target: Logs_20140328.<Op>` (routed by api/root.py), SigV4
first (signing name "logs"), then the operation; every answer, error or not, in awsJson1_1."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

from ...errors import LambdaError
from ...services import logs
from ...services.logs_errors import LogsError
from ..botocore_models import operation
from ..responses import new_request_id
from ..sigv4 import verify_request

log = logging.getLogger(__name__)
SERVICE = "logs"
TARGET_PREFIX = "Logs_20140328"
CONTENT_TYPE = "application/x-amz-json-1.1"

OPERATIONS: dict[str, Callable[[dict], dict]] = {
    "DescribeLogGroups": logs.describe_log_groups,
    "DescribeLogStreams": logs.describe_log_streams,
    "GetLogEvents": logs.get_log_events,
    "FilterLogEvents": logs.filter_log_events,
}


class _Refusal(LogsError):
    def __init__(self, error_type: str, status_code: int, message: str) -> None:
        super().__init__(message)
        self.error_type, self.status_code = error_type, status_code


def is_logs_request(request: HttpRequest) -> bool:
    return request.headers.get("X-Amz-Target", "").startswith(f"{TARGET_PREFIX}.")


def json_1_1(request: HttpRequest) -> HttpResponse:
    request_id = new_request_id()
    try:
        verify_request(request, service=SERVICE)
    except LambdaError as error:
        return _error(_Refusal(error.error_type, error.status_code, error.message), request_id)
    except RequestDataTooBig:
        return _error(_Refusal("InvalidParameterException", 413, "Request too large."), request_id)
    name = request.headers["X-Amz-Target"].partition(".")[2]
    handler = OPERATIONS.get(name)
    if handler is None or operation(SERVICE, name) is None:
        return _error(_Refusal("UnknownOperationException", 400, f"The action {name} is not valid."), request_id)
    try:
        params = json.loads(request.body or b"{}")
        if not isinstance(params, dict):
            raise ValueError
    except ValueError:
        return _error(_Refusal("SerializationException", 400, "The request body is not valid JSON."), request_id)
    try:
        output = handler(params)
    except LogsError as error:
        return _error(error, request_id)
    except Exception:  # never a traceback to the client: AWS's 500, logged here
        log.exception("CloudWatch Logs %s failed", name)
        return _error(LogsError("Internal service error."), request_id)
    return _response(json.dumps(output, separators=(",", ":")), 200, request_id)


def _error(error: LogsError, request_id: str) -> HttpResponse:
    body = json.dumps({"__type": error.error_type, "message": error.message}, separators=(",", ":"))
    return _response(body, error.status_code, request_id)


def _response(body: str, status: int, request_id: str) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPE)
    response["x-amzn-RequestId"] = request_id
    return response
