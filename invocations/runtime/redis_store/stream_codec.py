"""JSON forms of StreamConfig and StreamRecord data: bytes, str and JSON values each keep their type."""

from __future__ import annotations

import base64
import json
from dataclasses import asdict
from typing import Any

from invocations.engine.sources.stream_store import StreamConfig


def config_to_json(config: StreamConfig) -> str:
    return json.dumps(asdict(config))


def config_from_json(raw: bytes | str) -> StreamConfig:
    return StreamConfig(**json.loads(raw))


def record_json(partition_key: str, data: Any, arrival: float, size: int) -> str:
    """Kinesis/Kafka data is bytes or str, DynamoDB data a dict; a tag keeps them apart (JSON has no bytes)."""
    if isinstance(data, bytes):
        tag, value = "b", base64.b64encode(data).decode()
    elif isinstance(data, str):
        tag, value = "s", data
    else:
        tag, value = "j", data  # must be JSON-serialisable; json.dumps raises TypeError otherwise
    return json.dumps([partition_key, tag, value, arrival, size])


def record_fields(raw: str) -> tuple[str, Any, float, int]:
    """(partition key, data, arrival, size) from record_json's output."""
    partition_key, tag, value, arrival, size = json.loads(raw)
    data = base64.b64decode(value) if tag == "b" else value
    return partition_key, data, arrival, size
