"""One AWS service as the wire sees it (`ServiceWire`), and walking values along its botocore model, to turn one
protocol's timestamps and scalars into another's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, ServiceModel, Shape, StructureShape

from .. import botocore_models


@dataclass(frozen=True)
class ServiceWire:
    """What differs between services on the same protocols; everything else comes from botocore's model."""

    model_name: str  # botocore's service name: "cloudwatch", "codedeploy"
    target_prefix: str  # X-Amz-Target's prefix, and the CBOR path's service segment
    json_version: str  # "1.0" or "1.1": the awsJson content type
    error_namespace: str  # the `__type` prefix: "com.amazonaws.cloudwatch"
    query_compatible: bool = False  # awsQueryCompatible: errors also carry x-amzn-query-error
    xml_namespace: str = ""  # the query protocol's answers (only services that speak it)

    @property
    def json_content_type(self) -> str:
        return f"application/x-amz-json-{self.json_version}"

    def model(self) -> ServiceModel:
        return botocore_models.service_model(self.model_name)

    def operation(self, name: str) -> OperationModel | None:
        return botocore_models.operation(self.model_name, name)


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
