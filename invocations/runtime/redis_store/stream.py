"""RedisStreamStore: the engine's StreamStore (Kinesis, DynamoDB streams, Kafka) on Redis sorted sets."""

from __future__ import annotations

from typing import Any

import redis

from invocations.engine.sources.stream_store import (
    StreamConfig,
    StreamRecord,
    format_sequence_number,
    record_size,
    shard_id_for,
    shard_index_for,
)

from .keys import DEFAULT_PREFIX, text
from .scripts import register
from .stream_codec import config_from_json, config_to_json, record_fields, record_json


class RedisStreamStore:
    """Records and checkpoints live in Redis, so a restarted poller resumes from its checkpoint. A shard's seq
    comes from INCR inside the put script: strictly increasing whatever the number of writers (semantics §3).

    Same observable behaviour as InMemoryStreamStore, with one difference: expired records are also trimmed on
    put (AWS expires them whether or not anyone reads), which only shows if callers' clocks run backwards."""

    def __init__(self, client: redis.Redis, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._client = client
        self._prefix = f"{prefix}stream:"
        self._configs: dict[str, StreamConfig] = {}
        self._shards: dict[str, dict[str, int]] = {}  # arn -> shard id -> index, in index order
        self._put = register(client, "stream_common", "stream_put")
        self._read = register(client, "stream_common", "stream_read")

    def create_stream(self, config: StreamConfig) -> None:
        self._client.set(f"{self._prefix}{config.arn}:cfg", config_to_json(config), nx=True)

    def stream_config(self, arn: str) -> StreamConfig:
        config = self._configs.get(arn)
        if config is None:
            raw = self._client.get(f"{self._prefix}{arn}:cfg")
            if raw is None:
                raise KeyError(f"no such stream: {arn}")
            config = self._configs[arn] = config_from_json(raw)  # immutable once created: safe to cache
            self._shards[arn] = {shard_id_for(config.kind, i, arn): i for i in range(config.shard_count)}
        return config

    def shard_ids(self, arn: str) -> list[str]:
        self.stream_config(arn)
        return list(self._shards[arn])

    def put_record(
        self, arn: str, partition_key: str, data: Any, *, now: float, shard_id: str | None = None
    ) -> StreamRecord:
        return self.put_records(arn, [(partition_key, data)], now=now, shard_id=shard_id)[0]

    def put_records(
        self, arn: str, entries: list[tuple[str, Any]], *, now: float, shard_id: str | None = None
    ) -> list[StreamRecord]:
        """PutRecords: (partition key, data) pairs in one round trip (a pipeline; each put is its own atomic script,
        so sequence numbers stay strictly increasing per shard)."""
        config = self.stream_config(arn)
        pipe = self._client.pipeline(transaction=False)
        placed = []
        for partition_key, data in entries:
            shard = shard_id or self.shard_ids(arn)[shard_index_for(partition_key, config.shard_count)]
            size = record_size(partition_key, data)
            raw = record_json(partition_key, data, now, size)
            self._put(keys=self._shard_keys(arn, shard), args=[raw, repr(now), repr(config.retention)], client=pipe)
            placed.append((shard, self._index(arn, shard), partition_key, data, size))
        return [
            StreamRecord(shard, int(seq), format_sequence_number(config.kind, index, int(seq)), key, data, now, size)
            for (shard, index, key, data, size), seq in zip(placed, pipe.execute(), strict=True)
        ]

    def read(self, arn: str, shard_id: str, *, after_seq: int, limit: int, now: float) -> list[StreamRecord]:
        config = self.stream_config(arn)
        index = self._index(arn, shard_id)
        args = ["read", repr(now), repr(config.retention), after_seq, limit]
        records = []
        for member in self._read(keys=self._shard_keys(arn, shard_id), args=args):
            seq, _, raw = text(member).partition("|")
            partition_key, data, arrival, size = record_fields(raw)
            sequence_number = format_sequence_number(config.kind, index, int(seq))
            records.append(StreamRecord(shard_id, int(seq), sequence_number, partition_key, data, arrival, size))
        return records

    def latest_cursor(self, arn: str, shard_id: str) -> int:
        self._index(arn, shard_id)
        count = self._client.get(self._shard_keys(arn, shard_id)[2])
        return int(count or 0) - 1

    def trim_horizon_cursor(self, arn: str, shard_id: str, *, now: float) -> int:
        config = self.stream_config(arn)
        self._index(arn, shard_id)
        args = ["horizon", repr(now), repr(config.retention)]
        return int(self._read(keys=self._shard_keys(arn, shard_id), args=args))

    def cursor_at(self, arn: str, shard_id: str, timestamp: float, *, now: float) -> int:
        config = self.stream_config(arn)
        self._index(arn, shard_id)
        args = ["at", repr(now), repr(config.retention), repr(timestamp)]
        return int(self._read(keys=self._shard_keys(arn, shard_id), args=args))

    def get_checkpoint(self, consumer: str, arn: str, shard_id: str) -> int | None:
        raw = self._client.hget(self._checkpoint_key(consumer), f"{arn}|{shard_id}")
        return None if raw is None else int(raw)

    def set_checkpoint(self, consumer: str, arn: str, shard_id: str, seq: int, *, pipe=None) -> None:
        (self._client if pipe is None else pipe).hset(self._checkpoint_key(consumer), f"{arn}|{shard_id}", seq)

    def _index(self, arn: str, shard_id: str) -> int:
        self.stream_config(arn)
        try:
            return self._shards[arn][shard_id]
        except KeyError:
            raise KeyError(shard_id) from None

    def _shard_keys(self, arn: str, shard_id: str) -> list[str]:
        base = f"{self._prefix}{arn}:{shard_id}:"
        return [f"{base}recs", f"{base}arr", f"{base}next"]

    def _checkpoint_key(self, consumer: str) -> str:
        return f"{self._prefix}checkpoints:{consumer}"
