"""fail_when matching over a payload and, for batch events, over every record it carries (DESIGN "Function
behaviour": "fail when the record has poison: true").

A record is checked as is, and also as its decoded content: Kinesis `kinesis.data` (base64 JSON), SQS `body`
(JSON string) and SNS `Sns.Message` (JSON string). DynamoDB records are matched on their raw shape, e.g.
path `dynamodb.NewImage.poison.BOOL`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Sequence
from typing import Any

from .profile import FailRule

_NOTHING = object()


def _json(raw: str, base64_encoded: bool = False) -> Any:
    try:
        return json.loads(base64.b64decode(raw, validate=True) if base64_encoded else raw)
    except (binascii.Error, ValueError):
        return _NOTHING


def _decoded(record: dict) -> Iterator[Any]:
    kinesis = record.get("kinesis")
    if isinstance(kinesis, dict) and isinstance(kinesis.get("data"), str):
        decoded = _json(kinesis["data"], base64_encoded=True)
        if decoded is not _NOTHING:
            yield decoded
    for raw in (record.get("body"), (record.get("Sns") or {}).get("Message")):
        if isinstance(raw, str) and raw[:1] in ("{", "["):
            decoded = _json(raw)
            if decoded is not _NOTHING:
                yield decoded


def candidates(payload: Any) -> Iterator[Any]:
    """The payload, then each batch record and its decoded content."""
    yield payload
    records = payload.get("Records") if isinstance(payload, dict) else None
    if isinstance(records, list):
        for record in records:
            yield record
            if isinstance(record, dict):
                yield from _decoded(record)


def matches_any(rules: Sequence[FailRule], payload: Any) -> bool:
    return any(rule.matches(item) for item in candidates(payload) for rule in rules)


def matching_records(rules: Sequence[FailRule], payload: Any) -> list[int]:
    """Indexes of the batch records a rule matches (pollers use this for ReportBatchItemFailures demos)."""
    records = payload.get("Records") if isinstance(payload, dict) else None
    if not isinstance(records, list):
        return []
    out = []
    for i, record in enumerate(records):
        items = [record, *(_decoded(record) if isinstance(record, dict) else ())]
        if any(rule.matches(item) for item in items for rule in rules):
            out.append(i)
    return out
