"""Event source mappings (semantics §3): simulated queues and streams, ESM settings, filters, pollers, payloads."""

from .async_payloads import s3_event, sns_event
from .context import DEFAULT_EPOCH, MappingSpec, PollerContext
from .events import (
    BatchBisected,
    BatchFailed,
    BatchInvoked,
    BatchRetried,
    BatchSucceeded,
    GroupBlocked,
    GroupUnblocked,
    MessageRedriven,
    OnFailureRecordSent,
    PollerScaled,
    RecordsSkipped,
    ShardBlocked,
    ShardUnblocked,
)
from .filters import FilterCriteria
from .invoker import Clock, SyncInvoker
from .kinds import LIMITS, SourceKind
from .mapping import Poller, create_poller
from .memory_queue import InMemoryQueueStore
from .memory_stream import InMemoryStreamStore
from .mq_poller import MqPoller
from .payloads import dynamodb_record, kafka_event, kinesis_record, mq_event, sqs_event, sqs_record
from .queue_poller import SqsFifoPoller, SqsPoller
from .queue_store import QueueConfig, QueueCounts, QueueMessage, QueueStore, ReceiveResult, RedrivePolicy
from .settings import EsmSettings, check_sqs_visibility_timeout
from .stream_poller import StreamPoller
from .stream_store import StreamConfig, StreamRecord, StreamStore

__all__ = [
    "DEFAULT_EPOCH",
    "LIMITS",
    "BatchBisected",
    "BatchFailed",
    "BatchInvoked",
    "BatchRetried",
    "BatchSucceeded",
    "Clock",
    "EsmSettings",
    "FilterCriteria",
    "GroupBlocked",
    "GroupUnblocked",
    "InMemoryQueueStore",
    "InMemoryStreamStore",
    "MappingSpec",
    "MessageRedriven",
    "MqPoller",
    "OnFailureRecordSent",
    "Poller",
    "PollerContext",
    "PollerScaled",
    "QueueConfig",
    "QueueCounts",
    "QueueMessage",
    "QueueStore",
    "ReceiveResult",
    "RecordsSkipped",
    "RedrivePolicy",
    "ShardBlocked",
    "ShardUnblocked",
    "SourceKind",
    "SqsFifoPoller",
    "SqsPoller",
    "StreamConfig",
    "StreamPoller",
    "StreamRecord",
    "StreamStore",
    "SyncInvoker",
    "check_sqs_visibility_timeout",
    "create_poller",
    "dynamodb_record",
    "kafka_event",
    "kinesis_record",
    "mq_event",
    "s3_event",
    "sns_event",
    "sqs_event",
    "sqs_record",
]
