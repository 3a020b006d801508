"""Read a batch invocation's result: success, total failure, throttle, or partial (ReportBatchItemFailures, §3)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ..outcomes import InvokeResult, Outcome


class Verdict(StrEnum):
    SUCCESS = "Success"
    PARTIAL = "PartialFailure"
    FAILURE = "Failure"
    NOT_INVOKED = "NotInvoked"  # throttled or a Lambda service error: retried without consuming retries


@dataclass(frozen=True, slots=True)
class BatchResult:
    verdict: Verdict
    reason: str  # Succeeded, FunctionError, Timeout, Throttled, ServiceError, PartialFailure, InvalidResponse
    failed_ids: tuple[str, ...] = ()  # PARTIAL: in batch order; FAILURE: every id


def judge(result: InvokeResult, ids: Sequence[str], *, report_batch_item_failures: bool) -> BatchResult:
    """Classify `result` for a batch whose item identifiers are `ids` (messageIds or sequence numbers)."""
    every = tuple(ids)
    if result.outcome in (Outcome.THROTTLED, Outcome.SERVICE_ERROR):
        return BatchResult(Verdict.NOT_INVOKED, str(result.outcome), every)
    if result.outcome is not Outcome.SUCCESS:
        return BatchResult(Verdict.FAILURE, str(result.outcome), every)
    if not report_batch_item_failures:
        return BatchResult(Verdict.SUCCESS, "Succeeded")
    failed = batch_item_failures(result.payload, every)
    if failed is None:
        return BatchResult(Verdict.FAILURE, "InvalidResponse", every)
    if not failed:
        return BatchResult(Verdict.SUCCESS, "Succeeded")
    return BatchResult(Verdict.PARTIAL, "PartialFailure", failed)


def batch_item_failures(payload: object, ids: Sequence[str]) -> tuple[str, ...] | None:
    """The failed ids a response reports, in batch order; () = all succeeded; None = the whole batch failed.

    Success: a null/empty response or a null/empty `batchItemFailures` list. Total failure: an item whose
    `itemIdentifier` is missing, null, empty or not in the batch (semantics §3, DG with-sqs). A response that is
    not a JSON object is read as success: an approximation, AWS's handling of e.g. a bare string is unrecorded.
    """
    if payload is None or not isinstance(payload, Mapping):
        return ()
    items = payload.get("batchItemFailures")
    if items is None:
        return ()
    if not isinstance(items, list):
        return None
    known = set(ids)
    reported: set[str] = set()
    for item in items:
        identifier = item.get("itemIdentifier") if isinstance(item, Mapping) else None
        if not isinstance(identifier, str) or not identifier or identifier not in known:
            return None
        reported.add(identifier)
    return tuple(i for i in ids if i in reported)
