"""Responses in AWS's rest-json protocol: Lambda's error shape and JSON successes, each with x-amzn-RequestId."""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Mapping
from typing import Any

import botocore.session
from django.http import HttpRequest, HttpResponse

from invocations.errors import AUTHENTICATION_ERRORS, LambdaError, TooManyRequestsException

CONTENT_TYPE = "application/json"


def new_request_id() -> str:
    return str(uuid.uuid4())


def request_id_for(request: HttpRequest) -> str:
    """The request's x-amzn-RequestId: the one `aws_signed` gave it, or a new one kept on the request."""
    request_id = getattr(request, "aws_request_id", None)
    if not request_id:
        request_id = request.aws_request_id = new_request_id()
    return request_id


@functools.cache
def _lambda_model():
    return botocore.session.get_session().get_service_model("lambda")


@functools.cache
def message_key(error_type: str) -> str:
    """How AWS spells the message field for this error: "Message" for some shapes (ResourceNotFoundException,
    ServiceException, ...), "message" for the rest, as botocore's Lambda model records it."""
    model = _lambda_model()
    if error_type in model.shape_names:
        members = model.shape_for(error_type).members
        if "Message" in members and "message" not in members:
            return "Message"
    return "message"


def error_body(error: LambdaError) -> dict[str, Any]:
    """The JSON body AWS sends: {"message": ...} alone for the signing front door's refusals; otherwise the
    error's own body (Type, message, Reason, ...) with the message key spelled as AWS spells it for that type."""
    if isinstance(error, AUTHENTICATION_ERRORS):
        return {"message": error.message}
    body = dict(error.body())
    key = message_key(error.error_type)
    if key != "message" and "message" in body:
        body = {(key if name == "message" else name): value for name, value in body.items()}
    return body


def aws_error_response(error: LambdaError, *, request_id: str | None = None) -> HttpResponse:
    """Render a LambdaError as AWS does: its status, x-amzn-ErrorType, x-amzn-RequestId and JSON body.

    TooManyRequestsException also carries Retry-After (botocore reads it into retryAfterSeconds).
    """
    response = HttpResponse(
        _dump(error_body(error)),
        status=error.status_code,
        content_type=CONTENT_TYPE,
    )
    response["x-amzn-ErrorType"] = error.error_type
    response["x-amzn-RequestId"] = request_id or new_request_id()
    if isinstance(error, TooManyRequestsException) and error.retry_after is not None:
        response["Retry-After"] = str(error.retry_after)
    return response


def aws_json_response(
    data: Any = None,
    *,
    status: int = 200,
    request_id: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    """A success: `data` as compact JSON (bytes are sent as they are; None sends an empty body, as for 204)."""
    if data is None:
        content = b""
    elif isinstance(data, bytes | bytearray):
        content = bytes(data)
    else:
        content = _dump(data)
    response = HttpResponse(content, status=status, content_type=CONTENT_TYPE)
    response["x-amzn-RequestId"] = request_id or new_request_id()
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _dump(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()
