"""Facts the event source pollers emit (semantics §3); `esm` is the mapping's UUID, `partition` its shard/slot."""

from __future__ import annotations

from dataclasses import dataclass

from ..events import Event


@dataclass(frozen=True, slots=True)
class BatchInvoked(Event):
    """A batch went to the function. `partition` is a shard id or Kafka partition (streams), `poller-N` (SQS) or
    `consumer-N` (MQ); `ids` are sequence numbers or messageIds in delivery order. `attempt`: streams count
    invocations of these records; queues give the highest ApproximateReceiveCount in the batch."""

    esm: str
    partition: str
    ids: tuple[str, ...]
    attempt: int = 1
    iterator_age: float | None = None  # streams: age of the batch's last record (IteratorAge), seconds


@dataclass(frozen=True, slots=True)
class BatchSucceeded(Event):
    esm: str
    partition: str
    count: int


@dataclass(frozen=True, slots=True)
class BatchFailed(Event):
    """`reason`: FunctionError, Timeout, Throttled, ServiceError or PartialFailure (ReportBatchItemFailures)."""

    esm: str
    partition: str
    reason: str
    failed_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BatchRetried(Event):
    """The same records will be invoked again after `delay`; `retry` counts retries that consumed the budget."""

    esm: str
    partition: str
    retry: int
    delay: float


@dataclass(frozen=True, slots=True)
class BatchBisected(Event):
    esm: str
    partition: str
    left: int
    right: int


@dataclass(frozen=True, slots=True)
class ShardBlocked(Event):
    """A failing batch holds the shard (or one ParallelizationFactor lane) at `sequence_number`."""

    esm: str
    shard_id: str
    sequence_number: str
    lane: int = 0


@dataclass(frozen=True, slots=True)
class ShardUnblocked(Event):
    """`reason`: Succeeded, RetryAttemptsExhausted, RecordAgeExceeded or RecordsExpired."""

    esm: str
    shard_id: str
    reason: str
    lane: int = 0


@dataclass(frozen=True, slots=True)
class RecordsSkipped(Event):
    """Records that never reach the function: `reason` Filtered (FilterCriteria) or Expired (past retention)."""

    esm: str
    partition: str
    count: int
    reason: str


@dataclass(frozen=True, slots=True)
class OnFailureRecordSent(Event):
    """`delivered` False: the destination refused the record (DestinationDeliveryFailures)."""

    esm: str
    partition: str
    destination: str
    condition: str
    batch_size: int
    delivered: bool = True


@dataclass(frozen=True, slots=True)
class MessageRedriven(Event):
    """A queue message exceeded maxReceiveCount and moved to the queue's dead-letter queue."""

    queue_arn: str
    message_id: str
    dead_letter_arn: str
    receive_count: int


@dataclass(frozen=True, slots=True)
class PollerScaled(Event):
    """The mapping's concurrent batch pollers changed; `reason`: Backlog, FunctionError, Throttled, Idle."""

    esm: str
    previous: int
    current: int
    reason: str


@dataclass(frozen=True, slots=True)
class GroupBlocked(Event):
    """A FIFO message group holds failed messages: nothing later in the group is delivered until they settle."""

    esm: str
    group_id: str


@dataclass(frozen=True, slots=True)
class GroupUnblocked(Event):
    """`reason`: Succeeded or Redriven."""

    esm: str
    group_id: str
    reason: str
