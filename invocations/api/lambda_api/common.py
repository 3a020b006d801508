"""What every Lambda API view shares: method dispatch, requests read as botocore's model types them, paging."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import botocore.session
from botocore.model import Shape
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from invocations.arns import parse_function_ref
from invocations.errors import (
    InvalidParameterValueException,
    InvalidRequestContentException,
    LambdaError,
    RequestTooLargeException,
    ValidationException,
)
from invocations.rules.json_input import parse_json_object
from invocations.rules.messages import at_least, at_most, constraint_failed

from ...services.announcements import api_call_announce
from ..auth import aws_signed
from ..responses import aws_json_response

DEFAULT_PAGE_SIZE = 50
DERIVED_QUALIFIER_MISMATCH = "The derived qualifier from the function name does not match the specified qualifier."


class UnknownOperationException(LambdaError):
    """A known path asked with a method that no operation uses. ⚠ AWS's exact answer here is unconfirmed."""

    status_code = 404
    error_type = "UnknownOperationException"


@functools.cache
def lambda_model():
    """botocore's Lambda model (the one the installed boto3 and AWS CLI speak)."""
    return botocore.session.get_session().get_service_model("lambda")


# --- routing -------------------------------------------------------------------------------------------------------


def operations(**by_method: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """One path, several operations told apart by the HTTP method, as in AWS's routes; SigV4 is checked first.

    The services announce a successful change live (issue 5): the function is the one the path names, or the one
    the operation created (CreateFunction sets `request.created_function`)."""

    def view(request: HttpRequest, **kwargs: str) -> HttpResponse:
        handler = by_method.get(request.method or "")
        if handler is None:
            raise UnknownOperationException(f"Unknown operation: {request.method} {request.path}")
        response = handler(request, **kwargs)
        if request.method != "GET" and response.status_code < 400:
            function = kwargs.get("function_name") or getattr(request, "created_function", None)
            api_call_announce(operation=handler.__name__, function=function, status=response.status_code)
        return response

    view.__name__ = view.__qualname__ = "_or_".join(handler.__name__ for handler in by_method.values())
    return aws_signed(view)


@aws_signed
def unknown_operation(request: HttpRequest, **kwargs: str) -> HttpResponse:
    """Any other path under an API version prefix (GetPolicy, tags, layers, ...): AWS's error, not an HTML 404."""
    raise UnknownOperationException(f"Unknown operation: {request.method} {request.path}")


# --- reading requests ----------------------------------------------------------------------------------------------


def request_params(request: HttpRequest, operation: str) -> dict[str, Any]:
    """The operation's input read as botocore's model defines it: JSON body members (types checked, unknown members
    ignored as AWS ignores them, nulls treated as absent), query-string members and headers.

    URI labels (FunctionName, Name, UUID) come from the URL pattern and are not included. Required members that are
    missing raise AWS's "Member must not be null" ValidationException.
    """
    shape = lambda_model().operation_model(operation).input_shape
    params: dict[str, Any] = {}
    body_members: dict[str, Shape] = {}
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        wire_name = member.serialization.get("name", name)
        if location == "uri":
            continue
        if location == "querystring":
            value = request.GET.get(wire_name)
            if value is not None:
                params[name] = _query_value(value, member, _camel(name))
        elif location == "header":
            value = request.headers.get(wire_name)
            if value is not None:
                params[name] = value
        else:
            body_members[name] = member
    if body_members and not shape.serialization.get("payload"):
        data = json_object(request.body)
        for name, member in body_members.items():
            if data.get(name) is not None:
                params[name] = typed(data[name], member, _camel(name))
    for name in shape.required_members:
        location = shape.members[name].serialization.get("location")
        if location != "uri" and params.get(name) is None:
            raise ValidationException(constraint_failed(None, _camel(name), "Member must not be null"))
    return params


def json_object(raw: bytes) -> dict[str, Any]:
    """The request body as a JSON object (an empty body is an empty object); anything else is AWS's
    InvalidRequestContentException, never a 500."""
    # ⚠ AWS quotes its own (Jackson) parser error here; ours is Python's, except for Jackson's limits (depth, ...).
    return parse_json_object(raw)


def typed(value: Any, shape: Shape, path: str) -> Any:
    """Check a JSON value against a botocore shape; integers also against the model's min/max (ValidationException)."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            raise _wrong_type(path, "an object")
        return {
            name: typed(item, shape.members[name], f"{path}.{_camel(name)}")
            for name, item in value.items()
            if name in shape.members and item is not None
        }
    if kind == "list":
        if not isinstance(value, list):
            raise _wrong_type(path, "a list")
        return [typed(item, shape.member, path) for item in value]
    if kind == "map":
        if not isinstance(value, dict):
            raise _wrong_type(path, "an object")
        return {key: typed(item, shape.value, path) for key, item in value.items()}
    if kind in ("string", "blob"):
        if not isinstance(value, str):
            raise _wrong_type(path, "a string")
        return _without_nul(value, path)
    if kind in ("integer", "long"):
        if not _finite_number(value) or int(value) != value:
            raise _wrong_type(path, "an integer")
        return _in_range(int(value), shape, path)
    if kind in ("float", "double"):
        if not _finite_number(value):
            raise _wrong_type(path, "a number")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise _wrong_type(path, "a boolean")
        return value
    if kind == "timestamp":
        if not (isinstance(value, str) or _finite_number(value)):
            raise _wrong_type(path, "a timestamp")
        return value
    return value


def _finite_number(value: Any) -> bool:
    """A JSON number (not a boolean); 1e400 parses as infinity, which no member accepts."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) or math.isfinite(value)  # isfinite(10**400) would raise OverflowError


def _query_value(value: str, shape: Shape, path: str) -> Any:
    if shape.type_name in ("integer", "long"):
        try:
            number = int(value)
        except ValueError:
            raise ValidationException(constraint_failed(value, path, "Member must be an integer")) from None
        return _in_range(number, shape, path)
    return _without_nul(value, path)


def _without_nul(value: str, path: str) -> str:
    """A string member with a NUL character (JSON's \\u0000) is refused: PostgreSQL cannot store one, and a name or
    description that holds one is no use to anyone. ⚠ wording ours; AWS's answer is unconfirmed."""
    if "\x00" in value:
        raise InvalidParameterValueException(f"'{path}' must not contain the NUL character (U+0000).")
    return value


def _in_range(value: int, shape: Shape, path: str) -> int:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and value < low:
        raise ValidationException(at_least(value, path, low))
    if high is not None and value > high:
        raise ValidationException(at_most(value, path, high))
    return value


def _wrong_type(path: str, expected: str) -> InvalidRequestContentException:
    # ⚠ wording ours; AWS answers a mistyped member with InvalidRequestContentException and its parser's text.
    return InvalidRequestContentException(
        f"Could not parse request body into json: Could not parse payload into json: '{path}' must be {expected}."
    )


def _camel(name: str) -> str:
    """How AWS names a member in validation messages: memorySize, reservedConcurrentExecutions."""
    return name[:1].lower() + name[1:]


def split_qualifier(function_name: str, qualifier: str | None) -> tuple[str, str | None]:
    """A FunctionName that carries a qualifier (fn:PROD, a qualified ARN) and the Qualifier parameter, reconciled:
    (the unqualified name, the qualifier or None)."""
    ref = parse_function_ref(function_name)
    if ref is None or ref.qualifier is None:
        return function_name, qualifier
    if qualifier and qualifier != ref.qualifier:
        raise InvalidParameterValueException(DERIVED_QUALIFIER_MISMATCH)
    return function_name[: -(len(ref.qualifier) + 1)], ref.qualifier


def check_size(request: HttpRequest, limit: int, operation: str) -> None:
    """AWS's per-operation request size limit: 413 RequestEntityTooLargeException."""
    if len(request.body) > limit:
        raise RequestTooLargeException(f"Request must be smaller than {limit} bytes for the {operation} operation")


# --- answering -----------------------------------------------------------------------------------------------------


def respond(
    request: HttpRequest, data: Any = None, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> HttpResponse:
    """A JSON success with the request's x-amzn-RequestId (None sends an empty body, as a 204 does)."""
    return aws_json_response(data, status=status, request_id=request.aws_request_id, headers=headers)


def no_content(request: HttpRequest) -> HttpResponse:
    return respond(request, None, status=204)


def paged(request_data: Mapping[str, Any], items: Iterable[Any], default_size: int = DEFAULT_PAGE_SIZE):
    """(this page's items, NextMarker or None) for Marker/MaxItems; the marker is the next item's position."""
    items = list(items)
    marker = request_data.get("Marker")
    start = 0
    if marker:
        if not str(marker).isdigit():
            # ⚠ wording unconfirmed: AWS's markers are opaque tokens.
            raise InvalidParameterValueException(f"Invalid Marker: {marker}")
        start = int(marker)
    size = request_data.get("MaxItems") or default_size
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


def with_marker(data: dict[str, Any], next_marker: str | None) -> dict[str, Any]:
    if next_marker is not None:
        data["NextMarker"] = next_marker
    return data


def dry_run(write: Callable[[], Any]) -> Any:
    """Run a write and keep what it answered, then undo it (UpdateFunctionCode's DryRun: validate, change nothing)."""
    with transaction.atomic():
        answer = write()
        transaction.set_rollback(True)
    return answer
