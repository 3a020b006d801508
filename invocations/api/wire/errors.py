"""What the wire itself refuses (an unknown operation, a body that does not parse), shaped like every service's
own errors: the `__type` name, the query code and fault (for query-compatible services), the HTTP status."""

from __future__ import annotations


class WireError(Exception):
    error_type = "InternalFailure"
    query_code = "InternalFailure"
    status_code = 500
    fault = "Receiver"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownOperation(WireError):
    error_type, query_code, status_code, fault = "UnknownOperationException", "InvalidAction", 400, "Sender"

    def __init__(self, name: str) -> None:
        super().__init__(f"The action {name} is not valid for this web service.")


class SerializationError(WireError):
    error_type, query_code, status_code, fault = "SerializationException", "MalformedQueryString", 400, "Sender"


class InvalidQueryParameter(WireError):
    """A query form value that does not fit its shape (the query protocol's InvalidParameterValue)."""

    error_type, query_code = "InvalidParameterValueException", "InvalidParameterValue"
    status_code, fault = 400, "Sender"
