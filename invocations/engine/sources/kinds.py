"""Event source kinds and the per-kind defaults and limits of the §3 table."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ...errors import InvalidParameterValueException


class SourceKind(StrEnum):
    KINESIS = "kinesis"
    DYNAMODB = "dynamodb"
    SQS = "sqs"
    SQS_FIFO = "sqs-fifo"
    KAFKA = "kafka"  # Amazon MSK and self-managed Apache Kafka behave alike here
    MQ_ACTIVEMQ = "mq-activemq"
    MQ_RABBITMQ = "mq-rabbitmq"

    @property
    def is_stream(self) -> bool:
        """Stream-like sources: ordered, checkpointed, blocking on failure."""
        return self in (SourceKind.KINESIS, SourceKind.DYNAMODB, SourceKind.KAFKA)

    @property
    def is_sqs(self) -> bool:
        return self in (SourceKind.SQS, SourceKind.SQS_FIFO)

    @property
    def is_mq(self) -> bool:
        return self in (SourceKind.MQ_ACTIVEMQ, SourceKind.MQ_RABBITMQ)

    @classmethod
    def from_arn(cls, arn: str) -> SourceKind:
        """Guess the kind from an event source ARN (MQ brokers default to ActiveMQ; pass the kind to override)."""
        parts = arn.split(":")
        service = parts[2] if len(parts) > 2 else ""
        if service == "kinesis":
            return cls.KINESIS
        if service == "dynamodb":
            return cls.DYNAMODB
        if service == "sqs":
            return cls.SQS_FIFO if arn.endswith(".fifo") else cls.SQS
        if service == "kafka":
            return cls.KAFKA
        if service == "mq":
            return cls.MQ_ACTIVEMQ
        raise InvalidParameterValueException("Unrecognized event source.")


@dataclass(frozen=True, slots=True)
class KindLimits:
    """One row of the §3 table plus the poller facts for that kind."""

    batch_size_default: int
    batch_size_max: int
    window_default: float
    starting_positions: tuple[str, ...]  # empty: StartingPosition not accepted
    starting_position_required: bool
    poll_interval: float  # seconds between polls of one shard/partition when idle
    # BatchSize > 10 needs a window of at least 1 s (Kinesis, DynamoDB, SQS).
    window_needed_above_10: bool


ALL_STREAM_POSITIONS = ("TRIM_HORIZON", "LATEST", "AT_TIMESTAMP")

# semantics §3 table. Poll intervals: Kinesis 1/s per shard, DynamoDB 4/s. Kafka, MQ and SQS idle polls are
# approximations (Kafka consumers and SQS long polls return as soon as data arrives; we re-check every 0.5 s / 1 s).
LIMITS: dict[SourceKind, KindLimits] = {
    SourceKind.KINESIS: KindLimits(100, 10_000, 0.0, ALL_STREAM_POSITIONS, True, 1.0, True),
    SourceKind.DYNAMODB: KindLimits(100, 10_000, 0.0, ("TRIM_HORIZON", "LATEST"), True, 0.25, True),
    SourceKind.SQS: KindLimits(10, 10_000, 0.0, (), False, 1.0, True),
    SourceKind.SQS_FIFO: KindLimits(10, 10, 0.0, (), False, 1.0, True),
    SourceKind.KAFKA: KindLimits(100, 10_000, 0.5, ALL_STREAM_POSITIONS, True, 0.5, False),
    SourceKind.MQ_ACTIVEMQ: KindLimits(100, 10_000, 0.5, (), False, 0.5, False),
    SourceKind.MQ_RABBITMQ: KindLimits(100, 10_000, 0.5, (), False, 0.5, False),
}

# A batch also closes at 6 MB of payload (semantics §3).
MAX_BATCH_BYTES = 6 * 1024 * 1024

# Amazon MQ consumer concurrency (semantics §3): ActiveMQ 5, RabbitMQ 1.
MQ_CONCURRENCY = {SourceKind.MQ_ACTIVEMQ: 5, SourceKind.MQ_RABBITMQ: 1}

# Which sources accept which settings (botocore's per-parameter notes, semantics §3).
STREAM_ONLY = (SourceKind.KINESIS, SourceKind.DYNAMODB)
ON_FAILURE_KINDS = (SourceKind.KINESIS, SourceKind.DYNAMODB, SourceKind.KAFKA)
REPORT_BATCH_ITEM_FAILURES_KINDS = (
    SourceKind.KINESIS,
    SourceKind.DYNAMODB,
    SourceKind.SQS,
    SourceKind.SQS_FIFO,
    SourceKind.KAFKA,
)
RETRY_SETTING_KINDS = (SourceKind.KINESIS, SourceKind.DYNAMODB, SourceKind.KAFKA)
