"""InMemoryStreamStore: the StreamStore Protocol on lists, trimming records past retention lazily."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from .stream_store import (
    StreamConfig,
    StreamRecord,
    format_sequence_number,
    record_size,
    shard_id_for,
    shard_index_for,
)


@dataclass(slots=True)
class _Shard:
    index: int
    records: list[StreamRecord] = field(default_factory=list)
    next_seq: int = 0


@dataclass(slots=True)
class _Stream:
    config: StreamConfig
    shards: dict[str, _Shard]


class InMemoryStreamStore:
    def __init__(self) -> None:
        self._streams: dict[str, _Stream] = {}
        self._checkpoints: dict[tuple[str, str, str], int] = {}

    def create_stream(self, config: StreamConfig) -> None:
        if config.arn in self._streams:
            return
        shards = {shard_id_for(config.kind, i, config.arn): _Shard(i) for i in range(config.shard_count)}
        self._streams[config.arn] = _Stream(config, shards)

    def stream_config(self, arn: str) -> StreamConfig:
        return self._stream(arn).config

    def shard_ids(self, arn: str) -> list[str]:
        return list(self._stream(arn).shards)

    def put_record(
        self, arn: str, partition_key: str, data: Any, *, now: float, shard_id: str | None = None
    ) -> StreamRecord:
        stream = self._stream(arn)
        if shard_id is None:
            shard_id = list(stream.shards)[shard_index_for(partition_key, stream.config.shard_count)]
        shard = stream.shards[shard_id]
        record = StreamRecord(
            shard_id=shard_id,
            seq=shard.next_seq,
            sequence_number=format_sequence_number(stream.config.kind, shard.index, shard.next_seq),
            partition_key=partition_key,
            data=data,
            arrival=now,
            size=record_size(partition_key, data),
        )
        shard.next_seq += 1
        shard.records.append(record)
        return record

    def read(self, arn: str, shard_id: str, *, after_seq: int, limit: int, now: float) -> list[StreamRecord]:
        records = self._trimmed(arn, shard_id, now)
        start = bisect_left(records, after_seq + 1, key=lambda r: r.seq)
        return records[start : start + limit]

    def latest_cursor(self, arn: str, shard_id: str) -> int:
        return self._stream(arn).shards[shard_id].next_seq - 1

    def trim_horizon_cursor(self, arn: str, shard_id: str, *, now: float) -> int:
        records = self._trimmed(arn, shard_id, now)
        return records[0].seq - 1 if records else self.latest_cursor(arn, shard_id)

    def cursor_at(self, arn: str, shard_id: str, timestamp: float, *, now: float) -> int:
        records = self._trimmed(arn, shard_id, now)
        index = bisect_left(records, timestamp, key=lambda r: r.arrival)
        return records[index].seq - 1 if index < len(records) else self.latest_cursor(arn, shard_id)

    def get_checkpoint(self, consumer: str, arn: str, shard_id: str) -> int | None:
        return self._checkpoints.get((consumer, arn, shard_id))

    def set_checkpoint(self, consumer: str, arn: str, shard_id: str, seq: int) -> None:
        self._checkpoints[(consumer, arn, shard_id)] = seq

    def _trimmed(self, arn: str, shard_id: str, now: float) -> list[StreamRecord]:
        stream = self._stream(arn)
        shard = stream.shards[shard_id]
        horizon = now - stream.config.retention
        expired = bisect_left(shard.records, horizon, key=lambda r: r.arrival)
        if expired:
            del shard.records[:expired]
        return shard.records

    def _stream(self, arn: str) -> _Stream:
        try:
            return self._streams[arn]
        except KeyError:
            raise KeyError(f"no such stream: {arn}") from None
