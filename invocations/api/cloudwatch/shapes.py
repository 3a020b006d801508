"""Walking values along botocore's cloudwatch model, to turn one protocol's timestamps and scalars into another's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape

from .. import botocore_models

SERVICE = "cloudwatch"
TARGET_PREFIX = "GraniteServiceVersion20100801"
XML_NAMESPACE = "http://monitoring.amazonaws.com/doc/2010-08-01/"


def operation(name: str) -> OperationModel | None:
    return botocore_models.operation(SERVICE, name)


def walk(shape: Shape | None, value: Any, leaf: Callable[[Shape, Any], Any]) -> Any:
    """`value` with every scalar passed through `leaf(shape, scalar)`, structures, lists and maps rebuilt."""
    if shape is None or value is None:
        return value
    if isinstance(shape, StructureShape):
        if not isinstance(value, dict):
            return value
        return {
            name: walk(shape.members[name], item, leaf) if name in shape.members else item
            for name, item in value.items()
        }
    if isinstance(shape, ListShape):
        return [walk(shape.member, item, leaf) for item in value] if isinstance(value, list) else value
    if isinstance(shape, MapShape):
        return {k: walk(shape.value, v, leaf) for k, v in value.items()} if isinstance(value, dict) else value
    return leaf(shape, value)


def to_epoch(shape: Shape, value: Any) -> Any:
    """A decoded timestamp (datetime from CBOR, number from JSON, ISO-8601 from query) as epoch seconds."""
    if shape.type_name != "timestamp":
        return value
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            text = value.replace("Z", "+00:00")
            moment = datetime.fromisoformat(text)
            return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
    return value


def to_datetime(shape: Shape, value: Any) -> Any:
    if shape.type_name == "timestamp" and isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    return value
