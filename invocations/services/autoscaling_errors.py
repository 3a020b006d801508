"""Application Auto Scaling's error shapes (botocore's application-autoscaling model): the type awsJson1_1 names
in `__type`, the HTTP status and AWS's message."""

from __future__ import annotations


class AutoScalingError(Exception):
    error_type = "InternalServiceException"
    status_code = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationException(AutoScalingError):
    error_type, status_code = "ValidationException", 400


class ObjectNotFoundException(AutoScalingError):
    error_type, status_code = "ObjectNotFoundException", 400


class InvalidNextTokenException(AutoScalingError):
    error_type, status_code = "InvalidNextTokenException", 400


class ConcurrentUpdateException(AutoScalingError):
    error_type, status_code = "ConcurrentUpdateException", 400
