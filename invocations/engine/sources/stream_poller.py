"""Stream poller for Kinesis, DynamoDB Streams and Kafka: per-shard order, blocking retries (semantics §3).

Each shard (Kafka: partition) has `ParallelizationFactor` lanes; a record goes to lane hash(partition key) % N,
so order holds per partition key while up to N batches per shard run at once. A lane works one batch at a time:
it reads from its cursor, closes the batch on BatchSize, the batching window or 6 MB, invokes, and on failure
retries the same records (bisecting if asked) until success, MaximumRetryAttempts or MaximumRecordAgeInSeconds,
so nothing behind them moves: the shard is blocked. The shard's checkpoint is the lowest lane cursor.

Approximations: retries after a function error wait one poll interval (1 s Kinesis, 0.25 s DynamoDB), throttles
back off as lane.py says; AWS documents neither delay. Records past retention are dropped quietly
(RecordsSkipped reason Expired). Resharding is not modelled. TumblingWindowInSeconds is validated, not simulated.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ..outcomes import InvokeResult
from .context import MappingSpec, PollerContext
from .events import (
    BatchBisected,
    BatchFailed,
    BatchInvoked,
    BatchRetried,
    BatchSucceeded,
    OnFailureRecordSent,
    RecordsSkipped,
    ShardBlocked,
    ShardUnblocked,
)
from .kinds import LIMITS, MAX_BATCH_BYTES, SourceKind
from .lane import BatchingWindow, Lane
from .on_failure import RECORD_AGE_EXCEEDED, RETRY_ATTEMPTS_EXHAUSTED, stream_failure_record
from .payloads import dynamodb_record, filter_view, kafka_event, kinesis_record
from .responses import BatchResult, Verdict, judge
from .stream_store import StreamRecord, StreamStore

_READ_CHUNK = 1000


@dataclass(slots=True, eq=False)
class _Piece:
    """Records invoked together: the whole batch, or one half of it after a bisect."""

    records: list[StreamRecord]
    retries: int = 0  # retries that counted toward MaximumRetryAttempts (a split does not count)
    invokes: int = 0  # real invocations of exactly these records
    last_result: InvokeResult | None = None


@dataclass(slots=True, eq=False, kw_only=True)
class _Lane(Lane):
    """One of a shard's ParallelizationFactor lanes: works one batch at a time, blocking on its failures."""

    shard_id: str
    index: int
    cursor: int  # every record of this lane with seq <= cursor is done
    pieces: list[_Piece] = field(default_factory=list)
    batch_end: int = -1  # cursor once the current batch is done (includes records skipped by the scan)
    blocked: bool = False
    iterator_age: float = 0.0


class StreamPoller:
    def __init__(self, spec: MappingSpec, store: StreamStore, ctx: PollerContext) -> None:
        if not spec.kind.is_stream:
            raise ValueError(f"{spec.kind} is not a stream source")
        self.spec = spec
        self.settings = spec.settings
        self.store = store
        self.ctx = ctx
        self.stream = store.stream_config(spec.source_arn)
        self.poll_interval = LIMITS[spec.kind].poll_interval
        self.retry_delay = self.poll_interval
        self.running = False
        self._lanes: list[_Lane] = []

    # --- public ------------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Begin polling every shard from its checkpoint, or from StartingPosition the first time."""
        if self.running:
            return
        self.running = True
        self._lanes = []
        factor = self.settings.parallelization_factor
        for shard_id in self.store.shard_ids(self.spec.source_arn):
            cursor = self._initial_cursor(shard_id)
            for index in range(factor):
                lane = _Lane(
                    shard_id=shard_id,
                    index=index,
                    cursor=cursor,
                    clock=self.ctx.clock,
                    on_tick=self._tick,
                    window=BatchingWindow(self.settings.batching_window),
                )
                self._lanes.append(lane)
                self._wake(lane, 0.0)

    def stop(self) -> None:
        """Disable: no new batches; a batch in flight finishes and is checkpointed, nothing is retried after."""
        self.running = False
        for lane in self._lanes:
            lane.sleep()

    def iterator_age(self, shard_id: str | None = None) -> float:
        """IteratorAge (seconds): age of the last record of the latest batch, worst lane of `shard_id` or any."""
        ages = [lane.iterator_age for lane in self._lanes if shard_id is None or lane.shard_id == shard_id]
        return max(ages, default=0.0)

    def checkpoint(self, shard_id: str) -> int | None:
        return self.store.get_checkpoint(self.spec.uuid, self.spec.source_arn, shard_id)

    def blocked_shards(self) -> list[str]:
        return sorted({lane.shard_id for lane in self._lanes if lane.blocked})

    # --- polling -----------------------------------------------------------------------------------------------

    def _initial_cursor(self, shard_id: str) -> int:
        arn, now = self.spec.source_arn, self.ctx.clock.now()
        saved = self.store.get_checkpoint(self.spec.uuid, arn, shard_id)
        if saved is not None:
            return saved
        position = self.settings.starting_position
        if position == "LATEST":
            cursor = self.store.latest_cursor(arn, shard_id)
        elif position == "AT_TIMESTAMP":
            # StartingPositionTimestamp is epoch seconds; the store keeps simulated seconds.
            at = (self.settings.starting_position_timestamp or 0.0) - self.ctx.epoch
            cursor = self.store.cursor_at(arn, shard_id, at, now=now)
        else:
            cursor = self.store.trim_horizon_cursor(arn, shard_id, now=now)
        self.store.set_checkpoint(self.spec.uuid, arn, shard_id, cursor)
        return cursor

    def _wake(self, lane: _Lane, delay: float) -> None:
        if self.running:
            lane.wake(delay)

    def _tick(self, lane: _Lane) -> None:
        if not self.running or lane not in self._lanes or lane.busy:
            return
        if lane.pieces:
            self._invoke_head(lane)
        else:
            self._poll(lane)

    def _poll(self, lane: _Lane) -> None:
        now = self.ctx.clock.now()
        records, scanned_to, skipped, full = self._assemble(lane, now)
        if not records:
            self._nothing_to_read(lane, scanned_to, skipped, now)
            return
        wait = lane.window.left(now, full=full)
        if wait:
            self._wake(lane, min(wait, self.poll_interval))
            return
        lane.window.close()
        self._batch_read(lane, records, scanned_to, skipped, now)

    def _nothing_to_read(self, lane: _Lane, scanned_to: int, skipped: int, now: float) -> None:
        """No batch: nothing new, or every record scanned was filtered out or another lane's. Move past, poll later."""
        if scanned_to > lane.cursor:
            lane.cursor = scanned_to
            self._save_checkpoint(lane.shard_id)
        if skipped:
            self._emit(RecordsSkipped(now, self.spec.uuid, lane.shard_id, skipped, "Filtered"))
        self._wake(lane, self.poll_interval)

    def _batch_read(self, lane: _Lane, records: list[StreamRecord], scanned_to: int, skipped: int, now: float) -> None:
        """A batch closed (full, window over or 6 MB): it becomes the lane's work until it is done."""
        if skipped:
            self._emit(RecordsSkipped(now, self.spec.uuid, lane.shard_id, skipped, "Filtered"))
        lane.pieces = [_Piece(records)]
        lane.batch_end = scanned_to
        self._invoke_head(lane)

    def _assemble(self, lane: _Lane, now: float) -> tuple[list[StreamRecord], int, int, bool]:
        """Scan from the cursor: (batch records, last seq scanned, records filtered out, batch full?)."""
        size_limit, batch_size = MAX_BATCH_BYTES, self.settings.batch_size
        records: list[StreamRecord] = []
        size = skipped = 0
        scanned_to = after = lane.cursor
        first_chunk = True
        while True:
            chunk = self.store.read(
                self.spec.source_arn, lane.shard_id, after_seq=after, limit=max(_READ_CHUNK, batch_size), now=now
            )
            if not chunk:
                return records, scanned_to, skipped, len(records) >= batch_size
            if first_chunk and lane.index == 0 and chunk[0].seq > lane.cursor + 1:
                # Records between the cursor and the oldest one left expired unread (past retention).
                self._emit(
                    RecordsSkipped(now, self.spec.uuid, lane.shard_id, chunk[0].seq - lane.cursor - 1, "Expired")
                )
            first_chunk = False
            for record in chunk:
                if not self._in_lane(record, lane):
                    scanned_to = record.seq
                    continue
                if len(records) >= batch_size or (records and size + record.size > size_limit):
                    return records, scanned_to, skipped, True
                if not self._passes_filter(record):
                    skipped += 1
                    scanned_to = record.seq
                    continue
                records.append(record)
                size += record.size
                scanned_to = record.seq
            after = chunk[-1].seq

    def _in_lane(self, record: StreamRecord, lane: _Lane) -> bool:
        factor = self.settings.parallelization_factor
        if factor == 1:
            return True
        digest = int.from_bytes(hashlib.md5(record.partition_key.encode()).digest()[:8], "big")
        return digest % factor == lane.index

    def _passes_filter(self, record: StreamRecord) -> bool:
        criteria = self.settings.filter_criteria
        if criteria is None:
            return True
        if self.spec.kind is SourceKind.DYNAMODB:
            return criteria.matches(filter_view(self.spec.kind, self._ddb(record)))
        return criteria.matches(filter_view(self.spec.kind, record))

    # --- invoking ----------------------------------------------------------------------------------------------

    def _invoke_head(self, lane: _Lane) -> None:
        now = self.ctx.clock.now()
        piece = lane.pieces[0]
        if self._drop_expired(lane, piece, now) or self._drop_aged(lane, piece, now):
            return
        ids = tuple(r.sequence_number for r in piece.records)
        lane.iterator_age = now - piece.records[-1].arrival
        self._emit(BatchInvoked(now, self.spec.uuid, lane.shard_id, ids, piece.invokes + 1, lane.iterator_age))
        token = lane.send()
        self.ctx.invoker.invoke_sync(
            self.spec.function,
            self._payload(piece.records),
            source=self.spec.kind.value,
            on_complete=partial(self._on_result, lane, piece, token),
        )

    def _drop_expired(self, lane: _Lane, piece: _Piece, now: float) -> bool:
        """Skip the head records past the stream's retention; True if that emptied the piece."""
        expired = _prefix(piece.records, lambda r: r.arrival < now - self.stream.retention)
        if not expired:
            return False
        self._emit(RecordsSkipped(now, self.spec.uuid, lane.shard_id, expired, "Expired"))
        lane.cursor = max(lane.cursor, piece.records[expired - 1].seq)
        del piece.records[:expired]
        if piece.records:
            return False
        self._piece_done(lane, "RecordsExpired")
        return True

    def _drop_aged(self, lane: _Lane, piece: _Piece, now: float) -> bool:
        """Discard the head records older than MaximumRecordAgeInSeconds; True if that emptied the piece."""
        max_age = self.settings.maximum_record_age
        if max_age < 0:
            return False
        aged = _prefix(piece.records, lambda r: now - r.arrival > max_age)
        if not aged:
            return False
        self._discard(lane, piece, piece.records[:aged], RECORD_AGE_EXCEEDED, piece.invokes, None)
        del piece.records[:aged]
        if piece.records:
            return False
        self._piece_done(lane, RECORD_AGE_EXCEEDED)
        return True

    # --- results -----------------------------------------------------------------------------------------------

    def _on_result(self, lane: _Lane, piece: _Piece, token: object, result: InvokeResult) -> None:
        if not lane.settle(token):
            return  # a stale completion (the mapping was restarted meanwhile)
        now = self.ctx.clock.now()
        ids = [r.sequence_number for r in piece.records]
        verdict = judge(result, ids, report_batch_item_failures=self.settings.report_batch_item_failures)
        if verdict.verdict is Verdict.NOT_INVOKED:
            self._throttled(lane, piece, verdict, now)
            return
        lane.backoff.reset()
        piece.invokes += 1
        piece.last_result = result
        if verdict.verdict is Verdict.SUCCESS:
            self._emit(BatchSucceeded(now, self.spec.uuid, lane.shard_id, len(piece.records)))
            self._piece_done(lane, "Succeeded")
        else:
            self._failed(lane, piece, verdict, result, now)

    def _throttled(self, lane: _Lane, piece: _Piece, verdict: BatchResult, now: float) -> None:
        """Throttles and service errors retry after the backoff without consuming MaximumRetryAttempts (§3)."""
        delay = lane.backoff.grow()
        self._emit(BatchFailed(now, self.spec.uuid, lane.shard_id, verdict.reason, verdict.failed_ids))
        self._emit(BatchRetried(now, self.spec.uuid, lane.shard_id, piece.retries, delay))
        self._wake(lane, delay)

    def _failed(self, lane: _Lane, piece: _Piece, verdict: BatchResult, result: InvokeResult, now: float) -> None:
        """The function failed some or all records: block the shard, then retry the rest, split or give up."""
        self._emit(BatchFailed(now, self.spec.uuid, lane.shard_id, verdict.reason, verdict.failed_ids))
        self._block(lane, piece, verdict.failed_ids[0], now)
        if verdict.verdict is Verdict.PARTIAL:
            self._resume_at_first_failure(lane, piece, verdict.failed_ids, result, now)
        elif self.settings.bisect_on_error and len(piece.records) > 1:
            self._bisect(lane, piece, result, now)
        else:
            self._retry_or_give_up(lane, piece, result, now)

    def _block(self, lane: _Lane, piece: _Piece, first_failed_id: str, now: float) -> None:
        if lane.blocked:
            return
        lane.blocked = True
        first_failed = next(r for r in piece.records if r.sequence_number == first_failed_id)
        self._emit(ShardBlocked(now, self.spec.uuid, lane.shard_id, first_failed.sequence_number, lane.index))

    def _resume_at_first_failure(
        self, lane: _Lane, piece: _Piece, failed_ids: tuple[str, ...], result: InvokeResult, now: float
    ) -> None:
        """ReportBatchItemFailures: checkpoint just before the lowest failed sequence number, retry from there."""
        failed = set(failed_ids)
        cut = next(i for i, r in enumerate(piece.records) if r.sequence_number in failed)
        if cut:
            lane.cursor = max(lane.cursor, piece.records[cut - 1].seq)
            self._save_checkpoint(lane.shard_id)
            del piece.records[:cut]
            if self.settings.bisect_on_error:
                # With bisect, the split happens at that sequence number and is not a retry.
                self._emit(BatchBisected(now, self.spec.uuid, lane.shard_id, cut, len(piece.records)))
                self._retry(lane, piece, now)
                return
        self._retry_or_give_up(lane, piece, result, now)

    def _bisect(self, lane: _Lane, piece: _Piece, result: InvokeResult, now: float) -> None:
        """BisectBatchOnFunctionError: the halves are retried one after the other, each keeping the retry count."""
        half = len(piece.records) // 2
        left = _Piece(piece.records[:half], retries=piece.retries, last_result=result)
        right = _Piece(piece.records[half:], retries=piece.retries, last_result=result)
        lane.pieces[0:1] = [left, right]
        self._emit(BatchBisected(now, self.spec.uuid, lane.shard_id, len(left.records), len(right.records)))
        self._wake(lane, self.retry_delay)

    def _retry_or_give_up(self, lane: _Lane, piece: _Piece, result: InvokeResult, now: float) -> None:
        """A retry that counts toward MaximumRetryAttempts; past the limit the records go to on-failure."""
        limit = self.settings.maximum_retry_attempts
        if limit >= 0 and piece.retries >= limit:
            self._discard(lane, piece, piece.records, RETRY_ATTEMPTS_EXHAUSTED, limit + 1, result)
            self._piece_done(lane, RETRY_ATTEMPTS_EXHAUSTED)
            return
        piece.retries += 1
        self._retry(lane, piece, now)

    def _retry(self, lane: _Lane, piece: _Piece, now: float) -> None:
        self._emit(BatchRetried(now, self.spec.uuid, lane.shard_id, piece.retries, self.retry_delay))
        self._wake(lane, self.retry_delay)

    def _piece_done(self, lane: _Lane, reason: str) -> None:
        piece = lane.pieces.pop(0)
        if piece.records:
            lane.cursor = max(lane.cursor, piece.records[-1].seq)
        if not lane.pieces:
            lane.cursor = max(lane.cursor, lane.batch_end)
            if lane.blocked:
                lane.blocked = False
                self._emit(ShardUnblocked(self.ctx.clock.now(), self.spec.uuid, lane.shard_id, reason, lane.index))
        self._save_checkpoint(lane.shard_id)
        self._wake(lane, 0.0)

    def _discard(
        self,
        lane: _Lane,
        piece: _Piece,
        records: list[StreamRecord],
        condition: str,
        invoke_count: int,
        result: InvokeResult | None,
    ) -> None:
        """Give up on `records`: send the on-failure record (if a destination is set)."""
        destination = self.settings.on_failure_destination
        if destination is None or not records:
            return
        last = result or piece.last_result
        request_id = last.request_id if last is not None else str(uuid.UUID(int=self.ctx.rng.getrandbits(128)))
        now = self.ctx.clock.now()
        body = stream_failure_record(
            kind=self.spec.kind,
            condition=condition,
            request_id=request_id,
            function_arn=self.spec.record_function_arn,
            approximate_invoke_count=invoke_count,
            result=result,
            records=records,
            stream=self.stream,
            now_epoch=self.ctx.wall(now),
            epoch=self.ctx.epoch,
        )
        sent = self.ctx.targets.send(destination, body) is not False  # False: DestinationDeliveryFailures
        self._emit(OnFailureRecordSent(now, self.spec.uuid, lane.shard_id, destination, condition, len(records), sent))

    def _save_checkpoint(self, shard_id: str) -> None:
        lowest = min(lane.cursor for lane in self._lanes if lane.shard_id == shard_id)
        self.store.set_checkpoint(self.spec.uuid, self.spec.source_arn, shard_id, lowest)

    # --- payloads ----------------------------------------------------------------------------------------------

    def _payload(self, records: list[StreamRecord]) -> dict[str, Any]:
        ctx, arn = self.ctx, self.spec.source_arn
        if self.spec.kind is SourceKind.KAFKA:
            return kafka_event(records, config=self.stream, epoch=ctx.epoch)
        if self.spec.kind is SourceKind.DYNAMODB:
            return {"Records": [self._ddb(r) for r in records]}
        return {
            "Records": [
                kinesis_record(r, stream_arn=arn, region=ctx.region, account_id=ctx.account_id, epoch=ctx.epoch)
                for r in records
            ]
        }

    def _ddb(self, record: StreamRecord) -> dict[str, Any]:
        return dynamodb_record(record, stream_arn=self.spec.source_arn, region=self.ctx.region, epoch=self.ctx.epoch)

    def _emit(self, event: Any) -> None:
        self.ctx.sink.emit(event)


def _prefix(records: list[StreamRecord], test: Any) -> int:
    """How many leading records pass `test` (arrival times only grow along a shard)."""
    count = 0
    for record in records:
        if not test(record):
            break
        count += 1
    return count
