"""JSON forms of QueueConfig and QueueMessage as the Redis queue store keeps them."""

from __future__ import annotations

import json
from dataclasses import asdict

from invocations.engine.sources.queue_store import QueueConfig, QueueMessage, RedrivePolicy

from .keys import text


def config_to_json(config: QueueConfig) -> str:
    return json.dumps(asdict(config))


def config_from_json(raw: bytes | str) -> QueueConfig:
    fields = json.loads(raw)
    redrive = fields.pop("redrive")
    return QueueConfig(**fields, redrive=RedrivePolicy(**redrive) if redrive else None)


def message_json(
    message_id: str, body: str, sent_at: float, group_id: str | None, dedup_id: str | None, attributes: dict
) -> str:
    """The parts of a message that never change after SendMessage (Lua stores it and never parses it)."""
    return json.dumps(
        {"id": message_id, "body": body, "sent_at": sent_at, "group": group_id, "dedup": dedup_id, "attrs": attributes}
    )


def message_from_reply(reply: list) -> QueueMessage:
    """A message from the Lua `describe` reply: {json, receive count, first receive, receipt handle, sequence}."""
    raw, count, first, handle, sequence = (text(part) for part in reply)
    fields = json.loads(raw)
    return QueueMessage(
        message_id=fields["id"],
        receipt_handle=handle,
        body=fields["body"],
        sent_at=fields["sent_at"],
        receive_count=int(count),
        first_received_at=float(first) if first else None,
        group_id=fields["group"],
        dedup_id=fields["dedup"],
        sequence_number=sequence or None,
        message_attributes=fields["attrs"],
    )
