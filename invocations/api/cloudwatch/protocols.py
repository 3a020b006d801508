"""The three wire protocols of CloudWatch (botocore's metadata: smithy-rpc-v2-cbor, json, query), each one a pair:
decode a request into the operation's input, encode an output or an error as AWS sends it.

- Smithy RPC v2 CBOR: POST /service/GraniteServiceVersion20100801/operation/<Op>, `smithy-protocol: rpc-v2-cbor`,
  CBOR bodies (cbor2), timestamps as tag 1 (epoch seconds); errors carry `__type` and, since CloudWatch is
  awsQueryCompatible, `x-amzn-query-error: <query code>;Sender`.
- awsJson1_0: POST / with `X-Amz-Target: GraniteServiceVersion20100801.<Op>`, JSON bodies, epoch timestamps.
- query: POST / with a form `Action=<Op>&Version=2010-08-01&...` (lists as `.member.N`), XML answers.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

import cbor2
from botocore.model import ListShape, MapShape, Shape, StructureShape
from django.http import HttpResponse

from ...services.cloudwatch_errors import CloudWatchError, InvalidParameterValue, MissingParameter
from .shapes import TARGET_PREFIX, XML_NAMESPACE, operation, to_datetime, to_epoch, walk

CBOR, JSON, QUERY = "cbor", "json", "query"
JSON_CONTENT_TYPE = "application/x-amz-json-1.0"


class Request:
    def __init__(self, protocol: str, name: str, params: dict[str, Any]) -> None:
        self.protocol, self.name, self.params = protocol, name, params


# --- decoding ----------------------------------------------------------------------------------------------------


def decode(protocol: str, name: str, body: bytes, form: dict[str, str] | None = None) -> Request:
    model = operation(name)
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


def unflatten(shape: StructureShape | None, form: dict[str, str]) -> dict[str, Any]:
    """The query protocol's flat form (`MetricDataQueries.member.1.MetricStat.Period=60`) as nested input."""
    if shape is None:
        return {}
    tree: dict[str, Any] = {}
    for key, value in form.items():
        if key in ("Action", "Version"):
            continue
        node = tree
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _typed(shape, tree, "")


def _typed(shape: Shape, node: Any, where: str) -> Any:
    if isinstance(shape, StructureShape):
        if not isinstance(node, dict):
            raise InvalidParameterValue(f"The parameter {where.rstrip('.')} must be a structure.")
        return {
            name: _typed(shape.members[name], value, f"{where}{name}.")
            for name, value in node.items()
            if name in shape.members
        }
    if isinstance(shape, ListShape):
        members = node.get("member", {}) if isinstance(node, dict) else {}
        try:
            ordered = sorted(members.items(), key=lambda item: int(item[0]))
        except ValueError:
            raise InvalidParameterValue(f"The parameter {where}member must be numbered.") from None
        return [_typed(shape.member, value, f"{where}member.{i}.") for i, value in ordered]
    if isinstance(shape, MapShape):
        entries = node.get("entry", {}) if isinstance(node, dict) else {}
        return {e.get("key"): _typed(shape.value, e.get("value"), where) for e in entries.values()}
    if isinstance(node, dict):
        raise InvalidParameterValue(f"The parameter {where.rstrip('.')} must be a value.")
    kind = shape.type_name
    try:
        if kind in ("integer", "long"):
            return int(node)
        if kind in ("double", "float"):
            return float(node)
    except ValueError:
        raise InvalidParameterValue(f"The value {node} for parameter {where.rstrip('.')} is not valid.") from None
    if kind == "boolean":
        return node.lower() == "true"
    return node


def query_form(body: bytes, query_string: str) -> dict[str, str]:
    text = body.decode("utf-8", "replace") if body else query_string
    return dict(parse_qsl(text, keep_blank_values=True))


# --- encoding ----------------------------------------------------------------------------------------------------


def encode(request: Request, output: dict[str, Any], request_id: str) -> HttpResponse:
    model = operation(request.name)
    shape = model.output_shape if model is not None else None
    if request.protocol == CBOR:
        body = walk(shape, output, to_datetime) if shape is not None else {}
        response = HttpResponse(cbor2.dumps(body, datetime_as_timestamp=True), content_type="application/cbor")
        response["smithy-protocol"] = "rpc-v2-cbor"
    elif request.protocol == JSON:
        response = HttpResponse(json.dumps(output, separators=(",", ":")), content_type=JSON_CONTENT_TYPE)
    else:
        response = HttpResponse(_xml_response(request.name, shape, output, request_id), content_type="text/xml")
    response["x-amzn-RequestId"] = request_id
    return response


def encode_error(protocol: str, error: CloudWatchError, request_id: str) -> HttpResponse:
    if protocol == QUERY:
        body = (
            f'<ErrorResponse xmlns="{XML_NAMESPACE}"><Error><Type>{error.fault}</Type>'
            f"<Code>{escape(error.query_code)}</Code><Message>{escape(error.message)}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        )
        response = HttpResponse(body, status=error.status_code, content_type="text/xml")
    else:
        payload = {"__type": f"com.amazonaws.cloudwatch#{error.error_type}", "message": error.message}
        if protocol == CBOR:
            response = HttpResponse(cbor2.dumps(payload), status=error.status_code, content_type="application/cbor")
            response["smithy-protocol"] = "rpc-v2-cbor"
        else:
            response = HttpResponse(
                json.dumps(payload, separators=(",", ":")), status=error.status_code, content_type=JSON_CONTENT_TYPE
            )
        response["x-amzn-query-error"] = f"{error.query_code};{error.fault}"
    response["x-amzn-RequestId"] = request_id
    return response


def _xml_response(name: str, shape: StructureShape | None, output: dict[str, Any], request_id: str) -> str:
    result = ""
    if shape is not None:
        result = f"<{name}Result>{_xml_members(shape, output)}</{name}Result>"
    return (
        f'<{name}Response xmlns="{XML_NAMESPACE}">{result}'
        f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></{name}Response>"
    )


def _xml_members(shape: StructureShape, value: dict[str, Any]) -> str:
    parts = []
    for name, member in shape.members.items():
        if value.get(name) is None:
            continue
        parts.append(f"<{name}>{_xml_value(member, value[name])}</{name}>")
    return "".join(parts)


def _xml_value(shape: Shape, value: Any) -> str:
    if isinstance(shape, StructureShape):
        return _xml_members(shape, value)
    if isinstance(shape, ListShape):
        return "".join(f"<member>{_xml_value(shape.member, item)}</member>" for item in value)
    if isinstance(shape, MapShape):
        return "".join(
            f"<entry><key>{escape(str(k))}</key><value>{_xml_value(shape.value, v)}</value></entry>"
            for k, v in value.items()
        )
    if shape.type_name == "timestamp":
        moment = datetime.fromtimestamp(value, UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    if shape.type_name == "boolean":
        return "true" if value else "false"
    return escape(str(value))


class UnknownOperation(CloudWatchError):
    error_type, query_code, status_code, fault = "UnknownOperationException", "InvalidAction", 400, "Sender"

    def __init__(self, name: str) -> None:
        super().__init__(f"The action {name} is not valid for this web service.")


class SerializationError(CloudWatchError):
    error_type, query_code, status_code, fault = "SerializationException", "MalformedQueryString", 400, "Sender"


__all__ = ["CBOR", "JSON", "QUERY", "MissingParameter", "TARGET_PREFIX", "decode", "encode", "encode_error"]
