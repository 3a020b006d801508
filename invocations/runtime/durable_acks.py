"""Acknowledgements that wait for their invocation records (issue 10: nothing accepted is lost).

The engine acknowledges work as it settles it: an async event (`ack`), an SQS message (`delete`), a stream batch
(`set_checkpoint`). Here those calls are only noted; `DurableAcks.commit()` (the host calls it at the end of every
step) first makes the step's invocation records durable in Redis (record_journal.append) and then sends the
acknowledgements, in that order, in one pipeline. So at any moment a SIGKILL leaves either

- the records and the acknowledgements (nothing lost), or
- the records without the acknowledgements: the claim expires and the event runs again, a visible duplicate
  counted in `lv:async:redelivered` (SQS: the message becomes visible again; streams: the batch is read again), or
- neither: the work runs again, once.

What an acknowledgement changes is seen a step later (at most a few milliseconds): a deleted message stays
invisible until then, a checkpoint reads back from here. Async events accepted from the inbox are held the same
way (`holding_pushes`) so that they reach the queue in the same transaction that trims them from the inbox: a
SIGKILL in between can no longer accept them twice.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence

import redis

from . import record_journal
from .records import RecordBuffer, compacted


class _Delegate:
    def __init__(self, inner) -> None:
        self.inner = inner

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


class HeldAsyncQueue(_Delegate):
    """The async queue with acknowledgements (and, while holding, accepted pushes) deferred to commit()."""

    def __init__(self, inner) -> None:
        super().__init__(inner)
        self.acks: list[str] = []
        self.held: list | None = None

    def __len__(self) -> int:
        return len(self.inner)

    def ack(self, request_id: str) -> bool:
        self.acks.append(request_id)
        return True

    def ack_many(self, request_ids: Sequence[str]) -> list[bool]:
        self.acks.extend(request_ids)
        return [True] * len(request_ids)

    def push(self, item, due: float) -> None:
        self.push_many([(item, due)])

    def push_many(self, entries: Iterable) -> None:
        if self.held is not None:
            self.held.extend(entries)
        else:
            self.inner.push_many(entries)


class HeldQueues(_Delegate):
    """The SQS store with deletes deferred to commit()."""

    def __init__(self, inner) -> None:
        super().__init__(inner)
        self.deletes: dict[str, list[str]] = {}

    def delete(self, arn: str, receipt_handle: str) -> bool:
        self.deletes.setdefault(arn, []).append(receipt_handle)
        return True

    def delete_batch(self, arn: str, receipt_handles: list[str]) -> list[bool]:
        self.deletes.setdefault(arn, []).extend(receipt_handles)
        return [True] * len(receipt_handles)


class HeldStreams(_Delegate):
    """The stream store with checkpoints deferred to commit() (and read back from here until then)."""

    def __init__(self, inner) -> None:
        super().__init__(inner)
        self.checkpoints: dict[tuple[str, str, str], int] = {}

    def set_checkpoint(self, consumer: str, arn: str, shard_id: str, seq: int) -> None:
        self.checkpoints[(consumer, arn, shard_id)] = seq

    def get_checkpoint(self, consumer: str, arn: str, shard_id: str) -> int | None:
        held = self.checkpoints.get((consumer, arn, shard_id))
        return held if held is not None else self.inner.get_checkpoint(consumer, arn, shard_id)


class DurableAcks:
    """The three held stores of one engine host and the commit that sends records, then acknowledgements."""

    def __init__(self, client: redis.Redis, records: RecordBuffer, *, async_queue, queues, streams) -> None:
        self.client = client
        self.records = records
        self.async_queue = HeldAsyncQueue(async_queue)
        self.queues = HeldQueues(queues)
        self.streams = HeldStreams(streams)

    def has_acks(self) -> bool:
        return bool(self.async_queue.acks or self.queues.deletes or self.streams.checkpoints)

    def commit(self) -> int:
        """Journal every buffered record, then send the held acknowledgements; returns the records journaled.

        Records go in one round trip before any acknowledgement: if that fails (Redis away), nothing is
        acknowledged, everything stays held and is tried again next step."""
        rows = self.records.take()
        if rows:
            pipe = self.client.pipeline(transaction=False)
            record_journal.append(pipe, compacted(rows))  # raw parts: the writer thread formats the log text
            try:
                pipe.execute()
            except Exception:
                self.records.put_back(rows)
                raise
        acks, self.async_queue.acks = self.async_queue.acks, []
        try:
            if acks:
                self.async_queue.inner.ack_many(acks)
        except Exception:
            self.async_queue.acks[:0] = acks  # still claimed (and heartbeaten): acknowledged next step
            raise
        deletes, self.queues.deletes = list(self.queues.deletes.items()), {}
        for done, (arn, handles) in enumerate(deletes):
            try:
                self.queues.inner.delete_batch(arn, handles)
            except Exception:
                for again, kept in deletes[done:]:  # this queue's and the rest: deleted next step
                    self.queues.deletes.setdefault(again, [])[:0] = kept
                raise
        if self.streams.checkpoints:
            checkpoints = dict(self.streams.checkpoints)
            pipe = self.client.pipeline(transaction=False)
            for (consumer, arn, shard_id), seq in checkpoints.items():
                self.streams.inner.set_checkpoint(consumer, arn, shard_id, seq, pipe=pipe)
            pipe.execute()
            for key, seq in checkpoints.items():  # newer ones noted meanwhile (another thread) stay held
                if self.streams.checkpoints.get(key) == seq:
                    del self.streams.checkpoints[key]
        return len(rows)

    @contextlib.contextmanager
    def holding_pushes(self, pipe):
        """Async events accepted inside the block are pushed on `pipe` (the caller's transaction) at its end."""
        queue = self.async_queue
        queue.held = []
        try:
            yield
        finally:
            held, queue.held = queue.held, None
        if held:
            queue.inner.push_many(held, pipe=pipe)
