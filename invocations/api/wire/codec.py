"""Each protocol as a pair, for any `ServiceWire`: decode a request into the operation's input (timestamps as epoch
seconds), encode an output or an error as AWS sends it.

- Smithy RPC v2 CBOR: POST /service/<target prefix>/operation/<Op>, `smithy-protocol: rpc-v2-cbor`, CBOR bodies
  (cbor2), timestamps as tag 1 (epoch seconds); errors carry `__type` (and, for awsQueryCompatible services,
  `x-amzn-query-error: <query code>;<fault>`).
- awsJson 1.0 / 1.1: POST / with `X-Amz-Target: <target prefix>.<Op>`, JSON bodies, epoch timestamps.
- query: POST / with a form (query.py), XML answers.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

import cbor2
from django.http import HttpResponse

from .errors import SerializationError, UnknownOperation
from .query import unflatten, xml_error, xml_response
from .service import ServiceWire, to_datetime, to_epoch, walk

CBOR, JSON, QUERY = "cbor", "json", "query"


class AwsError(Protocol):
    """What an error needs to go on the wire (each service's own error classes, and WireError, have these)."""

    error_type: str
    status_code: int
    message: str


class Request:
    def __init__(self, protocol: str, name: str, params: dict[str, Any]) -> None:
        self.protocol, self.name, self.params = protocol, name, params


def decode(wire: ServiceWire, protocol: str, name: str, body: bytes, form: dict[str, str] | None = None) -> Request:
    model = wire.operation(name)
    if model is None:
        raise UnknownOperation(name)
    shape = model.input_shape
    if protocol == CBOR:
        try:
            raw = cbor2.loads(body) if body else {}
        except Exception:
            raise SerializationError("The request body is not valid CBOR.") from None
    elif protocol == JSON:
        try:
            raw = json.loads(body or b"{}")
        except ValueError:
            raise SerializationError("The request body is not valid JSON.") from None
    else:
        raw = unflatten(shape, form or {})
    if not isinstance(raw, dict):
        raise SerializationError("The request body must be a structure.")
    return Request(protocol, name, walk(shape, raw, to_epoch) if shape is not None else {})


def encode(wire: ServiceWire, request: Request, output: dict[str, Any], request_id: str) -> HttpResponse:
    model = wire.operation(request.name)
    shape = model.output_shape if model is not None else None
    if request.protocol == CBOR:
        body = walk(shape, output, to_datetime) if shape is not None else {}
        response = HttpResponse(cbor2.dumps(body, datetime_as_timestamp=True), content_type="application/cbor")
        response["smithy-protocol"] = "rpc-v2-cbor"
    elif request.protocol == JSON:
        response = HttpResponse(json.dumps(output, separators=(",", ":")), content_type=wire.json_content_type)
    else:
        text = xml_response(wire.xml_namespace, request.name, shape, output, request_id)
        response = HttpResponse(text, content_type="text/xml")
    response["x-amzn-RequestId"] = request_id
    return response


def encode_error(wire: ServiceWire, protocol: str, error: AwsError, request_id: str) -> HttpResponse:
    query_code = getattr(error, "query_code", error.error_type)
    fault = getattr(error, "fault", "Sender")
    if protocol == QUERY:
        body = xml_error(wire.xml_namespace, fault=fault, code=query_code, message=error.message, request_id=request_id)
        response = HttpResponse(body, status=error.status_code, content_type="text/xml")
    else:
        payload = {"__type": f"{wire.error_namespace}#{error.error_type}", "message": error.message}
        if protocol == CBOR:
            response = HttpResponse(cbor2.dumps(payload), status=error.status_code, content_type="application/cbor")
            response["smithy-protocol"] = "rpc-v2-cbor"
        else:
            text = json.dumps(payload, separators=(",", ":"))
            response = HttpResponse(text, status=error.status_code, content_type=wire.json_content_type)
        if wire.query_compatible:
            response["x-amzn-query-error"] = f"{query_code};{fault}"
    response["x-amzn-RequestId"] = request_id
    return response
