"""Queue pollers: SQS standard, SQS FIFO and Amazon MQ mappings share one receive-invoke-settle loop (§3).

A mapping runs N pollers ("slots"); each gathers a batch (BatchSize, batching window, 6 MB), invokes, then
deletes what succeeded. Failed messages are not deleted, so they reappear after the visibility timeout with
ApproximateReceiveCount + 1, and the queue's redrive policy moves them to its DLQ after maxReceiveCount.
Throttled batches are retried with backoff while still invisible, then left to reappear.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ..outcomes import InvokeResult
from .context import MappingSpec, PollerContext
from .events import (
    BatchFailed,
    BatchInvoked,
    BatchRetried,
    BatchSucceeded,
    GroupBlocked,
    GroupUnblocked,
    MessageRedriven,
    PollerScaled,
    RecordsSkipped,
)
from .invoker import Timer
from .kinds import MAX_BATCH_BYTES
from .lane import BatchingWindow, Lane
from .payloads import filter_view, sqs_event, sqs_record
from .queue_store import QueueMessage, QueueStore
from .responses import BatchResult, Verdict, judge
from .scaling import PollerScaler

RECEIVE_MAX = 10  # one ReceiveMessage call returns at most 10 messages


@dataclass(slots=True, eq=False, kw_only=True)
class _Slot(Lane):
    """One poller: gathers a batch, invokes, settles, then gathers again."""

    id: int
    gathered: list[QueueMessage] = field(default_factory=list)
    gathered_bytes: int = 0
    deadline: float = 0.0  # when the gathered batch's visibility timeout runs out
    pending: list[QueueMessage] | None = None  # a throttled batch waiting to be retried
    throttle_retries: int = 0
    idle: bool = False  # its last receive came back empty


class QueuePoller:
    partition_prefix = "poller"

    def __init__(
        self,
        spec: MappingSpec,
        store: QueueStore,
        ctx: PollerContext,
        scaler: PollerScaler,
        *,
        idle_interval: float = 1.0,
        look_interval: float = 1.0,
    ) -> None:
        self.spec = spec
        self.settings = spec.settings
        self.store = store
        self.ctx = ctx
        self.scaler = scaler
        self.queue = store.queue_config(spec.source_arn)
        self.idle_interval = idle_interval
        self.look_interval = look_interval
        self.running = False
        self._slots: dict[int, _Slot] = {}
        self._ids = itertools.count()
        self._look_timer: Timer | None = None

    # --- public ------------------------------------------------------------------------------------------------

    @property
    def concurrency(self) -> int:
        """Pollers running now (each handles one batch at a time)."""
        return len(self._slots)

    def start(self) -> None:
        if self.running:
            return
        self.running = True
        for _ in range(self.scaler.target - len(self._slots)):
            self._spawn()
        if not self.scaler.fixed:
            self._look_timer = self.ctx.clock.schedule(self.look_interval, self._look)

    def stop(self) -> None:
        """No new receives; in-flight batches still settle (delete or leave) when they finish."""
        self.running = False
        for slot in self._slots.values():
            slot.sleep()
        if self._look_timer is not None:
            self._look_timer.cancel()
            self._look_timer = None

    # --- slots -------------------------------------------------------------------------------------------------

    def _spawn(self) -> None:
        slot = _Slot(
            id=next(self._ids),
            clock=self.ctx.clock,
            on_tick=self._tick,
            window=BatchingWindow(self.settings.batching_window),
        )
        self._slots[slot.id] = slot
        self._wake(slot, 0.0)

    def _retire(self, slot: _Slot) -> None:
        if slot.gathered:
            # Hand back what it holds so nothing waits out a visibility timeout for no reason.
            for message in slot.gathered:
                self.store.change_visibility(self.spec.source_arn, message.receipt_handle, 0, now=self.ctx.clock.now())
            slot.gathered = []
        self._slots.pop(slot.id, None)
        slot.sleep()

    def _wake(self, slot: _Slot, delay: float) -> None:
        if self.running and slot.id in self._slots:
            slot.wake(delay)

    def _tick(self, slot: _Slot) -> None:
        if not self.running or slot.id not in self._slots or slot.busy:
            return
        if slot.pending is not None:
            batch, slot.pending = slot.pending, None
            self._invoke(slot, batch)
        else:
            self._poll(slot)

    def _look(self) -> None:
        if not self.running:
            return
        counts = self.store.counts(self.spec.source_arn, now=self.ctx.clock.now())
        idle = sum(1 for slot in self._slots.values() if slot.idle)
        previous = self.scaler.target
        grown = self.scaler.look(backlog=counts.visible, idle_pollers=idle)
        if grown is not None:
            self._emit(PollerScaled(self.ctx.clock.now(), self.spec.uuid, previous, grown, "Backlog"))
            for _ in range(grown - len(self._slots)):
                self._spawn()
        self._look_timer = self.ctx.clock.schedule(self.look_interval, self._look)

    # --- gather ------------------------------------------------------------------------------------------------

    def _poll(self, slot: _Slot) -> None:
        now = self.ctx.clock.now()
        if not slot.gathered and len(self._slots) > self.scaler.target:
            self._retire(slot)
            return
        self._gather(slot, now)
        slot.idle = not slot.gathered
        if not slot.gathered:
            previous = self.scaler.target
            shrunk = self.scaler.idle()
            if shrunk is not None:
                self._emit(PollerScaled(now, self.spec.uuid, previous, shrunk, "Idle"))
                self._retire(slot)
                return
            self._wake(slot, self.idle_interval)
            return
        full = len(slot.gathered) >= self.settings.batch_size or slot.gathered_bytes >= MAX_BATCH_BYTES
        wait = slot.window.left(now, full=full)
        if wait:
            self._wake(slot, min(wait, self.idle_interval))
            return
        slot.window.close()
        batch, slot.gathered, slot.gathered_bytes = slot.gathered, [], 0
        self._invoke(slot, batch)

    def _gather(self, slot: _Slot, now: float) -> None:
        arn, criteria = self.spec.source_arn, self.settings.filter_criteria
        filtered = 0
        while len(slot.gathered) < self.settings.batch_size and slot.gathered_bytes < MAX_BATCH_BYTES:
            want = min(RECEIVE_MAX, self.settings.batch_size - len(slot.gathered))
            got = self.store.receive(arn, want, now=now)
            for message in got.redriven:
                self._redriven(message, now)
            if not got.messages:
                break
            if not slot.gathered:
                slot.deadline = now + self.queue.visibility_timeout
            for message in got.messages:
                if criteria is not None and not criteria.matches(self._filter_view(message)):
                    # Non-matching queue messages are deleted (semantics §3).
                    self.store.delete(arn, message.receipt_handle)
                    filtered += 1
                elif slot.gathered and slot.gathered_bytes + message.size > MAX_BATCH_BYTES:
                    self.store.change_visibility(arn, message.receipt_handle, 0, now=now)
                    slot.gathered_bytes = MAX_BATCH_BYTES  # the batch is full at 6 MB
                else:
                    slot.gathered.append(message)
                    slot.gathered_bytes += message.size
        if filtered:
            self._emit(RecordsSkipped(now, self.spec.uuid, self._partition(slot), filtered, "Filtered"))

    # --- invoke and settle -------------------------------------------------------------------------------------

    def _invoke(self, slot: _Slot, batch: list[QueueMessage]) -> None:
        now = self.ctx.clock.now()
        ids = tuple(m.message_id for m in batch)
        attempt = max(m.receive_count for m in batch)
        self._emit(BatchInvoked(now, self.spec.uuid, self._partition(slot), ids, attempt))
        token = slot.send()
        self.ctx.invoker.invoke_sync(
            self.spec.function,
            self._payload(batch),
            source=self.spec.kind.value,
            on_complete=partial(self._on_result, slot, token, batch),
        )

    def _on_result(self, slot: _Slot, token: object, batch: list[QueueMessage], result: InvokeResult) -> None:
        if not slot.settle(token):
            return
        now = self.ctx.clock.now()
        ids = [m.message_id for m in batch]
        verdict = judge(result, ids, report_batch_item_failures=self.settings.report_batch_item_failures)
        if verdict.verdict is Verdict.NOT_INVOKED:
            self._throttled(slot, batch, verdict, now)
            return
        slot.backoff.reset()
        slot.throttle_retries = 0
        failed_ids = self._failed_ids(verdict, ids)
        failed = self._delete_all_but(batch, failed_ids)
        self._report(slot, batch, failed, verdict, failed_ids, now)
        self._settled(batch, failed, now)
        self._after_batch(slot, self.retry_pause if failed else 0.0)

    def _throttled(self, slot: _Slot, batch: list[QueueMessage], verdict: BatchResult, now: float) -> None:
        """Retry with backoff only while a whole run still fits before the messages reappear: AWS wants the
        visibility timeout to be at least 6x the function timeout, so we keep a sixth of it in hand."""
        partition = self._partition(slot)
        self._emit(BatchFailed(now, self.spec.uuid, partition, verdict.reason, verdict.failed_ids))
        delay = slot.backoff.grow()
        if now + delay + self.queue.visibility_timeout / 6 <= slot.deadline:
            slot.throttle_retries += 1
            slot.pending = batch
            self._emit(BatchRetried(now, self.spec.uuid, partition, slot.throttle_retries, delay))
            self._wake(slot, delay)
            return
        # Out of visibility time: leave the batch to reappear, and poll less.
        slot.backoff.reset()
        slot.throttle_retries = 0
        self._setback(now, "Throttled")
        self._release_failed(batch)
        self._after_batch(slot, self.retry_pause)

    def _delete_all_but(self, batch: list[QueueMessage], failed_ids: list[str]) -> list[QueueMessage]:
        """Delete what succeeded; return the failed messages, which stay on the queue."""
        failed = [m for m in batch if m.message_id in failed_ids]
        for message in batch:
            if message.message_id not in failed_ids:
                self.store.delete(self.spec.source_arn, message.receipt_handle)
        return failed

    def _report(
        self,
        slot: _Slot,
        batch: list[QueueMessage],
        failed: list[QueueMessage],
        verdict: BatchResult,
        failed_ids: list[str],
        now: float,
    ) -> None:
        """Say how the batch went; failures go back to the queue (per source) and may slow polling down."""
        partition = self._partition(slot)
        if not failed:
            self._emit(BatchSucceeded(now, self.spec.uuid, partition, len(batch)))
            return
        self._emit(BatchFailed(now, self.spec.uuid, partition, verdict.reason, tuple(failed_ids)))
        self._release_failed(failed)
        # With ReportBatchItemFailures Lambda does not scale polling down on failures (semantics §3).
        if verdict.verdict is Verdict.FAILURE and not self.settings.report_batch_item_failures:
            self._setback(now, "FunctionError")

    def _after_batch(self, slot: _Slot, delay: float) -> None:
        if len(self._slots) > self.scaler.target:
            self._retire(slot)
        else:
            self._wake(slot, delay)

    def _setback(self, now: float, reason: str) -> None:
        previous = self.scaler.target
        shrunk = self.scaler.setback()
        if shrunk is not None:
            self._emit(PollerScaled(now, self.spec.uuid, previous, shrunk, reason))

    # --- hooks (SQS standard behaviour; FIFO and MQ override) --------------------------------------------------

    retry_pause = 0.0  # how long a poller waits after a failed batch before receiving again

    def _failed_ids(self, verdict: BatchResult, ids: list[str]) -> list[str]:
        return list(verdict.failed_ids)

    def _release_failed(self, failed: list[QueueMessage]) -> None:
        """SQS leaves failed messages hidden until their visibility timeout ends."""

    def _settled(self, batch: list[QueueMessage], failed: list[QueueMessage], now: float) -> None:
        """After a batch: FIFO tracks blocked groups here."""

    def _redriven(self, message: QueueMessage, now: float) -> None:
        redrive = self.queue.redrive
        dlq = redrive.dead_letter_target_arn if redrive else ""
        self._emit(MessageRedriven(now, self.spec.source_arn, message.message_id, dlq, message.receive_count))

    def _payload(self, batch: list[QueueMessage]) -> dict[str, Any]:
        return sqs_event(batch, queue_arn=self.spec.source_arn, region=self.ctx.region, epoch=self.ctx.epoch)

    def _filter_view(self, message: QueueMessage) -> dict:
        record = sqs_record(message, queue_arn=self.spec.source_arn, region=self.ctx.region, epoch=self.ctx.epoch)
        return filter_view(self.spec.kind, record)

    def _partition(self, slot: _Slot) -> str:
        return f"{self.partition_prefix}-{slot.id}"

    def _emit(self, event: Any) -> None:
        self.ctx.sink.emit(event)


class SqsPoller(QueuePoller):
    """SQS standard queue: no ordering; pollers scale with the backlog (see scaling.py for the approximation)."""

    def __init__(self, spec: MappingSpec, store: QueueStore, ctx: PollerContext, **options: float) -> None:
        scaler = PollerScaler.for_sqs(spec.settings.maximum_concurrency, options.get("look_interval", 1.0))
        super().__init__(spec, store, ctx, scaler, **options)
        if self.queue.fifo:
            raise ValueError("use SqsFifoPoller for a FIFO queue")


class SqsFifoPoller(QueuePoller):
    """SQS FIFO: order per MessageGroupId, one batch in flight per group, a failing group blocks (semantics §3).

    The store never hands out a group that has a message in flight, so a failed group waits out its visibility
    timeout while other groups flow. With ReportBatchItemFailures, everything from the first failed message on
    counts as failed, as AWS asks FIFO handlers to report; we enforce it so a handler that reports only the
    failed id cannot break group order (a deliberate guard: AWS would delete what the handler did not report).
    """

    def __init__(self, spec: MappingSpec, store: QueueStore, ctx: PollerContext, **options: float) -> None:
        scaler = PollerScaler.for_sqs(spec.settings.maximum_concurrency, options.get("look_interval", 1.0))
        super().__init__(spec, store, ctx, scaler, **options)
        if not self.queue.fifo:
            raise ValueError("SqsFifoPoller needs a FIFO queue")
        self.blocked_groups: set[str] = set()

    def _failed_ids(self, verdict: BatchResult, ids: list[str]) -> list[str]:
        if verdict.verdict is not Verdict.PARTIAL:
            return list(verdict.failed_ids)
        first = min(ids.index(i) for i in verdict.failed_ids)
        return ids[first:]

    def _settled(self, batch: list[QueueMessage], failed: list[QueueMessage], now: float) -> None:
        failed_groups = {m.group_id for m in failed}
        for group in dict.fromkeys(m.group_id for m in failed):
            if group is not None and group not in self.blocked_groups:
                self.blocked_groups.add(group)
                self._emit(GroupBlocked(now, self.spec.uuid, group))
        for group in dict.fromkeys(m.group_id for m in batch):
            if group in self.blocked_groups and group not in failed_groups:
                self.blocked_groups.discard(group)
                self._emit(GroupUnblocked(now, self.spec.uuid, group, "Succeeded"))

    def _redriven(self, message: QueueMessage, now: float) -> None:
        super()._redriven(message, now)
        group = message.group_id
        if group in self.blocked_groups:
            self.blocked_groups.discard(group)
            self._emit(GroupUnblocked(now, self.spec.uuid, group, "Redriven"))
