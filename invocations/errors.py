"""AWS-named exceptions: one hierarchy that the API, the forms and the dashboard all render from.

Pure Python (no Django), so the engine may raise these too. Status codes and types follow
lambda-semantics.md and botocore's Lambda model.
"""

from __future__ import annotations


class LambdaError(Exception):
    """Base class: an AWS error type, its HTTP status and AWS's message."""

    status_code = 400
    error_type = "ServiceException"
    # "User" or "Service", as AWS puts in the body's Type field.
    fault = "User"

    def __init__(self, message: str, **extra: object) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra

    def body(self) -> dict:
        """The JSON body AWS sends for this error."""
        return {"Type": self.fault, "message": self.message, **self.extra}


class InvalidParameterValueException(LambdaError):
    error_type = "InvalidParameterValueException"


class ValidationException(LambdaError):
    error_type = "ValidationException"


class InvalidRequestContentException(LambdaError):
    error_type = "InvalidRequestContentException"


class ResourceNotFoundException(LambdaError):
    status_code = 404
    error_type = "ResourceNotFoundException"


class ResourceConflictException(LambdaError):
    status_code = 409
    error_type = "ResourceConflictException"


class ResourceInUseException(LambdaError):
    error_type = "ResourceInUseException"


class PreconditionFailedException(LambdaError):
    status_code = 412
    error_type = "PreconditionFailedException"


class RequestTooLargeException(LambdaError):
    # AWS sends the type name RequestEntityTooLargeException on the wire (semantics §1).
    status_code = 413
    error_type = "RequestEntityTooLargeException"


class UnsupportedMediaTypeException(LambdaError):
    status_code = 415
    error_type = "UnsupportedMediaTypeException"


class TooManyRequestsException(LambdaError):
    status_code = 429
    error_type = "TooManyRequestsException"

    def __init__(self, reason: str, message: str = "Rate Exceeded.", retry_after: int = 1) -> None:
        super().__init__(message)
        self.reason = reason
        self.retry_after = retry_after

    def body(self) -> dict:
        return {"Reason": self.reason, "Type": self.fault, "message": self.message}


class ProvisionedConcurrencyConfigNotFoundException(LambdaError):
    status_code = 404
    error_type = "ProvisionedConcurrencyConfigNotFoundException"


class ServiceException(LambdaError):
    status_code = 500
    error_type = "ServiceException"
    fault = "Service"


class AccessDeniedException(LambdaError):
    status_code = 403
    error_type = "AccessDeniedException"


class InvalidSignatureException(LambdaError):
    status_code = 403
    error_type = "InvalidSignatureException"


class UnrecognizedClientException(LambdaError):
    status_code = 403
    error_type = "UnrecognizedClientException"


class CodeStorageExceededException(LambdaError):
    error_type = "CodeStorageExceededException"


class KMSAccessDeniedException(LambdaError):
    # Raised at invoke when secret environment values cannot be decrypted (semantics §7).
    status_code = 502
    error_type = "KMSAccessDeniedException"
    fault = "Service"


def error_class_for(error_type: str) -> type[LambdaError] | None:
    """The exception class whose AWS type name is `error_type` (None when no class claims it)."""
    pending: list[type[LambdaError]] = [LambdaError]
    while pending:
        cls = pending.pop()
        if cls.error_type == error_type and cls is not LambdaError:
            return cls
        pending.extend(cls.__subclasses__())
    return None


# Refusals from AWS's request-signing front door (issue 5, point 2). On AWS they come before Lambda sees the
# request: 403, the type in x-amzn-ErrorType, and a body that is only {"message": ...} (no Type field).
class MissingAuthenticationTokenException(LambdaError):
    status_code = 403
    error_type = "MissingAuthenticationTokenException"

    def __init__(self, message: str = "Missing Authentication Token") -> None:
        super().__init__(message)


class IncompleteSignatureException(LambdaError):
    status_code = 403
    error_type = "IncompleteSignatureException"


AUTHENTICATION_ERRORS: tuple[type[LambdaError], ...] = (
    MissingAuthenticationTokenException,
    IncompleteSignatureException,
    UnrecognizedClientException,
    InvalidSignatureException,
)


# SQS's own error codes (its query/JSON protocol names them without the "Exception" suffix), for the dashboard's
# "put a message" control and the traffic generator feeding simulated queues.
class SqsMissingParameter(LambdaError):
    error_type = "MissingParameter"


class SqsInvalidParameterValue(LambdaError):
    error_type = "InvalidParameterValue"
