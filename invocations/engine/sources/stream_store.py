"""StreamStore: the narrow interface over simulated Kinesis streams, DynamoDB streams and Kafka topics.

A shard (Kafka: partition) is an append-only log; `seq` is the record's position in it, and checkpoints are
kept per consumer (event source mapping) and shard. In-memory in `memory_stream`; Redis streams in the runtime.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class StreamConfig:
    arn: str
    kind: str  # "kinesis" | "dynamodb" | "kafka"
    shard_count: int = 1
    retention: float = 86_400.0  # 24 h: Kinesis' default, DynamoDB's fixed retention

    @property
    def name(self) -> str:
        """Stream name, table name or Kafka topic, from the ARN."""
        tail = self.arn.split(":", 5)[-1]
        if self.kind == "dynamodb":
            return tail.split("/")[1] if tail.startswith("table/") else tail
        return tail.split("/")[-1]


@dataclass(frozen=True, slots=True)
class StreamRecord:
    """One record. `data`: bytes/str for Kinesis and Kafka; a dict (eventName, Keys, NewImage, OldImage) for DDB."""

    shard_id: str
    seq: int  # 0, 1, 2, ... within the shard: order and checkpoints
    sequence_number: str  # the AWS-style string: Kinesis/DynamoDB sequence number, Kafka offset
    partition_key: str
    data: Any
    arrival: float  # simulated seconds (approximateArrivalTimestamp)
    size: int


class StreamStore(Protocol):
    def create_stream(self, config: StreamConfig) -> None: ...

    def stream_config(self, arn: str) -> StreamConfig: ...

    def shard_ids(self, arn: str) -> list[str]: ...

    def put_record(
        self, arn: str, partition_key: str, data: Any, *, now: float, shard_id: str | None = None
    ) -> StreamRecord:
        """Append to the shard the partition key hashes to (or `shard_id`); returns the stored record."""
        ...

    def read(self, arn: str, shard_id: str, *, after_seq: int, limit: int, now: float) -> list[StreamRecord]:
        """Up to `limit` unexpired records with seq > after_seq, in order."""
        ...

    def latest_cursor(self, arn: str, shard_id: str) -> int:
        """A cursor after the newest record (StartingPosition LATEST)."""
        ...

    def trim_horizon_cursor(self, arn: str, shard_id: str, *, now: float) -> int:
        """A cursor before the oldest unexpired record (TRIM_HORIZON)."""
        ...

    def cursor_at(self, arn: str, shard_id: str, timestamp: float, *, now: float) -> int:
        """A cursor before the first record that arrived at or after `timestamp` (AT_TIMESTAMP)."""
        ...

    def get_checkpoint(self, consumer: str, arn: str, shard_id: str) -> int | None: ...

    def set_checkpoint(self, consumer: str, arn: str, shard_id: str, seq: int) -> None: ...


def shard_index_for(partition_key: str, shard_count: int) -> int:
    """Kinesis maps MD5(partition key), a 128-bit hash key, onto evenly split shard ranges."""
    digest = int.from_bytes(hashlib.md5(partition_key.encode()).digest(), "big")
    return (digest * shard_count) >> 128


def record_size(partition_key: str, data: Any) -> int:
    """Bytes a record counts toward the 6 MB batch limit (data plus partition key)."""
    if isinstance(data, bytes):
        size = len(data)
    elif isinstance(data, str):
        size = len(data.encode())
    else:
        size = len(json.dumps(data, separators=(",", ":"), default=str).encode())
    return size + len(partition_key.encode())


def shard_id_for(kind: str, index: int, arn: str) -> str:
    if kind == "kafka":
        return str(index)
    if kind == "dynamodb":
        suffix = hashlib.md5(f"{arn}/{index}".encode()).hexdigest()[:8]
        return f"shardId-{1_700_000_000_000 + index:020d}-{suffix}"
    return f"shardId-{index:012d}"


def format_sequence_number(kind: str, index: int, seq: int) -> str:
    """AWS-looking, order-preserving strings: 56 digits for Kinesis, 28 for DynamoDB, the offset for Kafka."""
    if kind == "kafka":
        return str(seq)
    if kind == "dynamodb":
        return f"44215845{index:04d}{seq:016d}"
    return f"495903382714902566085596925383615710959215{index:02d}{seq:012d}"
