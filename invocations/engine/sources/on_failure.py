"""The record a stream mapping sends to its OnFailure destination when it discards a batch (semantics §3)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..outcomes import InvokeResult
from .kinds import SourceKind
from .payloads import iso_ms
from .stream_store import StreamConfig, StreamRecord

RETRY_ATTEMPTS_EXHAUSTED = "RetryAttemptsExhausted"
RECORD_AGE_EXCEEDED = "RecordAgeExceeded"


def stream_failure_record(
    *,
    kind: SourceKind,
    condition: str,
    request_id: str,
    function_arn: str,
    approximate_invoke_count: int,
    result: InvokeResult | None,
    records: Sequence[StreamRecord],
    stream: StreamConfig,
    now_epoch: float,
    epoch: float,
) -> dict[str, Any]:
    """AWS-recorded shape: requestContext, responseContext (not for RecordAgeExceeded; functionError only when the
    function raised), version, timestamp, then KinesisBatchInfo / DDBStreamBatchInfo. The records are not included."""
    out: dict[str, Any] = {
        "requestContext": {
            "requestId": request_id,
            "functionArn": function_arn,
            "condition": condition,
            "approximateInvokeCount": approximate_invoke_count,
        }
    }
    if condition != RECORD_AGE_EXCEEDED and result is not None:
        context: dict[str, Any] = {"statusCode": result.status_code, "executedVersion": result.executed_version}
        # A batch that failed through ReportBatchItemFailures raised no error: no functionError key (as in §2).
        if result.function_error is not None:
            context["functionError"] = result.function_error
        out["responseContext"] = context
    out["version"] = "1.0"
    out["timestamp"] = iso_ms(now_epoch)
    first, last = records[0], records[-1]
    if kind is SourceKind.KAFKA:
        # ⚠ approximation: AWS's Kafka on-failure shape is not in the semantics sheet.
        out["KafkaBatchInfo"] = {
            "batchSize": len(records),
            "bootstrapServers": "b-1.simulated.kafka.us-east-1.amazonaws.com:9092",
            "payloadSize": sum(r.size for r in records),
            "recordsInfo": {
                f"{stream.name}-{first.shard_id}": {
                    "firstRecordOffset": first.sequence_number,
                    "firstRecordTimestamp": iso_ms(epoch + first.arrival),
                }
            },
        }
        return out
    key = "DDBStreamBatchInfo" if kind is SourceKind.DYNAMODB else "KinesisBatchInfo"
    out[key] = {
        "shardId": first.shard_id,
        "startSequenceNumber": first.sequence_number,
        "endSequenceNumber": last.sequence_number,
        "approximateArrivalOfFirstRecord": iso_ms(epoch + first.arrival),
        "approximateArrivalOfLastRecord": iso_ms(epoch + last.arrival),
        "batchSize": len(records),
        "streamArn": stream.arn,
    }
    return out
