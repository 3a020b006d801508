"""API Gateway's error shapes (botocore's apigateway model): the type sent in x-amzn-ErrorType, the HTTP status and
AWS's message, rendered as {"message": …} (rest-json)."""

from __future__ import annotations


class ApiGatewayError(Exception):
    error_type = "BadRequestException"
    status_code = 400

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class BadRequestException(ApiGatewayError):
    pass


class NotFoundException(ApiGatewayError):
    error_type = "NotFoundException"
    status_code = 404


class ConflictException(ApiGatewayError):
    error_type = "ConflictException"
    status_code = 409


INVALID_RESOURCE = "Invalid Resource identifier specified"
INVALID_METHOD = "Invalid Method identifier specified"
INVALID_INTEGRATION = "Invalid Integration identifier specified"
INVALID_STAGE = "Invalid Stage identifier specified"
INVALID_DEPLOYMENT = "Invalid Deployment identifier specified"  # ⚠ wording of a missing deploymentId unconfirmed


def invalid_api(*, account_id: str, api_id: str) -> NotFoundException:
    """AWS names the account and the id: "Invalid API identifier specified 123456789012:abc123"."""
    return NotFoundException(f"Invalid API identifier specified {account_id}:{api_id}")
