"""The messages async invocation sends out (semantics §2): invocation records, DLQ attributes, carriers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

SUCCESS = "Success"
RETRIES_EXHAUSTED = "RetriesExhausted"
EVENT_AGE_EXCEEDED = "EventAgeExceeded"
ZERO_RESERVED_CONCURRENCY = "ZeroReservedConcurrency"


def iso_timestamp(unix_seconds: float) -> str:
    """AWS's record timestamp: ISO 8601, milliseconds, Z (e.g. 2019-11-14T18:16:05.568Z)."""
    return datetime.fromtimestamp(unix_seconds, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def invocation_record(
    *,
    timestamp: str,
    request_id: str,
    function_arn: str,
    condition: str,
    approximate_invoke_count: int,
    request_payload: Any,
    status_code: int | None = None,
    executed_version: str | None = None,
    function_error: str | None = None,
    response_payload: Any = None,
) -> dict[str, Any]:
    """The exact record destinations receive. Without a response (ZeroReservedConcurrency, or an event that was
    never run) there is no responseContext/responsePayload; on success there is no functionError."""
    record: dict[str, Any] = {
        "version": "1.0",
        "timestamp": timestamp,
        "requestContext": {
            "requestId": request_id,
            "functionArn": function_arn,
            "condition": condition,
            "approximateInvokeCount": approximate_invoke_count,
        },
        "requestPayload": request_payload,
    }
    if status_code is not None:
        context: dict[str, Any] = {"statusCode": status_code, "executedVersion": executed_version}
        if function_error is not None:
            context["functionError"] = function_error
        record["responseContext"] = context
        record["responsePayload"] = response_payload
    return record


def dlq_attributes(request_id: str, error_code: int, error_message: str) -> dict[str, dict[str, str]]:
    """SQS message attributes of a DLQ message: ErrorCode is the HTTP status ("200" for a function error) and
    ErrorMessage its first 1 KB."""
    message = error_message.encode()[:1024].decode(errors="ignore")
    return {
        "RequestID": {"DataType": "String", "StringValue": request_id},
        "ErrorCode": {"DataType": "Number", "StringValue": str(error_code)},
        "ErrorMessage": {"DataType": "String", "StringValue": message},
    }


def eventbridge_envelope(bus_arn: str, function_arn: str, record: dict[str, Any], success: bool) -> dict[str, Any]:
    """An EventBridge destination carries the record as `detail` (semantics §2)."""
    outcome = "Success" if success else "Failure"
    return {
        "version": "0",
        "source": "lambda",
        "detail-type": f"Lambda Function Invocation Result - {outcome}",
        "resources": [bus_arn, function_arn],
        "detail": record,
    }
