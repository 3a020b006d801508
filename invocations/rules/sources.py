"""Naming and settings rules of the simulated SQS, SNS, EventBridge, S3, Kinesis and DynamoDB resources."""

from __future__ import annotations

import re

from ..errors import InvalidParameterValueException, ValidationException

# Those services have their own error types; LambdaViz reports their rules with InvalidParameterValueException and,
# where known, their own message text.

_QUEUE_RE = re.compile(r"^[a-zA-Z0-9_-]{1,80}$")
_TOPIC_RE = re.compile(r"^[a-zA-Z0-9_-]{1,256}$")
_BUS_RE = re.compile(r"^[/\.\-_A-Za-z0-9]{1,256}$")
_RULE_RE = re.compile(r"^[\.\-_A-Za-z0-9]{1,64}$")
_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_STREAM_RE = re.compile(r"^[a-zA-Z0-9_.-]{1,128}$")
_TABLE_RE = re.compile(r"^[a-zA-Z0-9_.-]{3,255}$")

VISIBILITY_TIMEOUT_MAX = 43_200
VISIBILITY_TIMEOUT_DEFAULT = 30
RETENTION_MIN, RETENTION_MAX, RETENTION_DEFAULT = 60, 1_209_600, 345_600
MAX_RECEIVE_COUNT_MAX = 1000
SHARDS_MAX = 64  # a simulator cap: each shard is drawn on the dashboard


def check_queue_name(name: str) -> None:
    base = name[: -len(".fifo")] if name.endswith(".fifo") else name
    if not _QUEUE_RE.match(base) or len(name) > 80:
        raise InvalidParameterValueException(
            "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
        )


def check_visibility_timeout(seconds: int) -> None:
    if not 0 <= seconds <= VISIBILITY_TIMEOUT_MAX:
        raise InvalidParameterValueException(
            "Invalid value for the parameter VisibilityTimeout. "
            f"Reason: Must be between 0 and {VISIBILITY_TIMEOUT_MAX}."
        )


def check_retention(seconds: int) -> None:
    if not RETENTION_MIN <= seconds <= RETENTION_MAX:
        raise InvalidParameterValueException(
            "Invalid value for the parameter MessageRetentionPeriod. "
            f"Reason: Must be between {RETENTION_MIN} and {RETENTION_MAX}."
        )


def check_redrive(*, queue_name: str, dead_letter_name: str, max_receive_count: int) -> None:
    """A redrive policy: maxReceiveCount 1–1000, a different queue, of the same type (standard or FIFO)."""
    if not 1 <= max_receive_count <= MAX_RECEIVE_COUNT_MAX:
        raise InvalidParameterValueException(
            "Value for parameter RedrivePolicy is invalid. Reason: Redrive policy maxReceiveCount must be between "
            f"1 and {MAX_RECEIVE_COUNT_MAX}."
        )
    if dead_letter_name == queue_name:
        raise InvalidParameterValueException(
            "Value for parameter RedrivePolicy is invalid. Reason: A queue cannot be its own dead-letter queue."
        )
    if dead_letter_name.endswith(".fifo") != queue_name.endswith(".fifo"):
        raise InvalidParameterValueException(
            "Value for parameter RedrivePolicy is invalid. Reason: Dead-letter target must be the same type of "
            "queue (standard or FIFO) as the source queue."
        )


def check_topic_name(name: str) -> None:
    base = name[: -len(".fifo")] if name.endswith(".fifo") else name
    if not _TOPIC_RE.match(base) or len(name) > 256:
        raise InvalidParameterValueException("Invalid parameter: Topic Name")


def check_bus_name(name: str) -> None:
    if not _BUS_RE.match(name):
        raise InvalidParameterValueException(f"Event bus name {name} is invalid.")


def check_rule_name(name: str) -> None:
    if not _RULE_RE.match(name):
        raise ValidationException(
            f"1 validation error detected: Value '{name}' at 'name' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ and have length less than or equal to 64"
        )


def check_bucket_name(name: str) -> None:
    if not _BUCKET_RE.match(name) or ".." in name:
        raise InvalidParameterValueException("The specified bucket is not valid.")


def check_stream_name(kind: str, name: str) -> None:
    pattern = _TABLE_RE if kind == "dynamodb" else _STREAM_RE
    if not pattern.match(name):
        what = "table name" if kind == "dynamodb" else "stream name"
        raise InvalidParameterValueException(f"Invalid {what}: {name}")


def check_shard_count(count: int) -> None:
    if not 1 <= count <= SHARDS_MAX:
        raise InvalidParameterValueException(f"A stream has between 1 and {SHARDS_MAX} shards in LambdaViz.")
