"""The query protocol: a form `Action=<Op>&Version=...&...` (lists as `.member.N`, maps as `.entry.N`) decoded
into the operation's input, and XML answers and errors (only services whose model lists "query" speak it)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

from botocore.model import ListShape, MapShape, Shape, StructureShape

from .errors import InvalidQueryParameter


def query_form(body: bytes, query_string: str) -> dict[str, str]:
    text = body.decode("utf-8", "replace") if body else query_string
    return dict(parse_qsl(text, keep_blank_values=True))


def unflatten(shape: StructureShape | None, form: dict[str, str]) -> dict[str, Any]:
    """The flat form (`MetricDataQueries.member.1.MetricStat.Period=60`) as nested input."""
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
            raise InvalidQueryParameter(f"The parameter {where.rstrip('.')} must be a structure.")
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
            raise InvalidQueryParameter(f"The parameter {where}member must be numbered.") from None
        return [_typed(shape.member, value, f"{where}member.{i}.") for i, value in ordered]
    if isinstance(shape, MapShape):
        entries = node.get("entry", {}) if isinstance(node, dict) else {}
        return {e.get("key"): _typed(shape.value, e.get("value"), where) for e in entries.values()}
    if isinstance(node, dict):
        raise InvalidQueryParameter(f"The parameter {where.rstrip('.')} must be a value.")
    kind = shape.type_name
    try:
        if kind in ("integer", "long"):
            return int(node)
        if kind in ("double", "float"):
            return float(node)
    except ValueError:
        raise InvalidQueryParameter(f"The value {node} for parameter {where.rstrip('.')} is not valid.") from None
    if kind == "boolean":
        return node.lower() == "true"
    return node


def xml_response(
    namespace: str, name: str, shape: StructureShape | None, output: dict[str, Any], request_id: str
) -> str:
    result = ""
    if shape is not None:
        result = f"<{name}Result>{_xml_members(shape, output)}</{name}Result>"
    return (
        f'<{name}Response xmlns="{namespace}">{result}'
        f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></{name}Response>"
    )


def xml_error(namespace: str, *, fault: str, code: str, message: str, request_id: str) -> str:
    return (
        f'<ErrorResponse xmlns="{namespace}"><Error><Type>{fault}</Type>'
        f"<Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
        f"<RequestId>{request_id}</RequestId></ErrorResponse>"
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
