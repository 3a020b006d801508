"""CloudWatch Logs' error shapes (botocore's logs model): the type awsJson1_1 names in `__type`, the HTTP status
(400 for every client error, as CloudWatch Logs sends them) and AWS's message."""

from __future__ import annotations


class LogsError(Exception):
    error_type = "ServiceUnavailableException"
    status_code = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ResourceNotFound(LogsError):
    error_type, status_code = "ResourceNotFoundException", 400


class InvalidParameter(LogsError):
    error_type, status_code = "InvalidParameterException", 400


GROUP_NOT_FOUND = "The specified log group does not exist."
STREAM_NOT_FOUND = "The specified log stream does not exist."
INVALID_FILTER_PATTERN = "Invalid filter pattern"
INVALID_NEXT_TOKEN = "The specified nextToken is invalid."  # ⚠ wording unconfirmed
