"""CloudWatch's error shapes (botocore's cloudwatch model): the type the JSON/CBOR protocols name in `__type`, the
query code (x-amzn-query-error, and the query protocol's <Code>), the HTTP status and AWS's message."""

from __future__ import annotations


class CloudWatchError(Exception):
    error_type = "InternalServiceFault"
    query_code = "InternalServiceError"
    status_code = 500
    fault = "Receiver"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidParameterValue(CloudWatchError):
    error_type, query_code, status_code, fault = (
        "InvalidParameterValueException",
        "InvalidParameterValue",
        400,
        "Sender",
    )


class MissingParameter(CloudWatchError):
    error_type, query_code, status_code, fault = "MissingRequiredParameterException", "MissingParameter", 400, "Sender"


class InvalidParameterCombination(CloudWatchError):
    error_type, query_code, status_code, fault = (
        "InvalidParameterCombinationException",
        "InvalidParameterCombination",
        400,
        "Sender",
    )


class ResourceNotFound(CloudWatchError):
    error_type, query_code, status_code, fault = "ResourceNotFound", "ResourceNotFound", 404, "Sender"


class InvalidFormat(CloudWatchError):
    error_type, query_code, status_code, fault = "InvalidFormatFault", "InvalidFormat", 400, "Sender"


class InvalidNextToken(CloudWatchError):
    error_type, query_code, status_code, fault = "InvalidNextToken", "InvalidNextToken", 400, "Sender"


class ValidationError(CloudWatchError):
    error_type, query_code, status_code, fault = "ValidationException", "ValidationError", 400, "Sender"


class UnknownOperation(CloudWatchError):
    error_type, query_code, status_code, fault = "UnknownOperationException", "InvalidAction", 400, "Sender"
