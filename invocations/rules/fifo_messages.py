"""SendMessage's FIFO parameters: MessageGroupId and MessageDeduplicationId, checked with SQS's own errors.

Pure Python. The wording is SQS's (SendMessage API reference; the messages real SQS answers)."""

from __future__ import annotations

import re

from ..errors import SqsInvalidParameterValue, SqsMissingParameter

# 1-128 characters: a-z, A-Z, 0-9 and punctuation !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ (SendMessage reference).
_FIFO_ID = re.compile(r"^[A-Za-z0-9!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]{1,128}$")
NO_DEDUPLICATION = (
    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"
)


def check_fifo_id(value: str, *, parameter: str) -> None:
    if not _FIFO_ID.match(value):
        raise SqsInvalidParameterValue(
            f"Value {value} for parameter {parameter} is invalid. Reason: {parameter} can only include "
            "alphanumeric and punctuation characters. 1 to 128 in length."
        )


def check_send_parameters(
    *, fifo: bool, group_id: str | None, dedup_id: str | None, content_based_deduplication: bool = False
) -> None:
    """What SQS refuses before it stores anything: a FIFO message without a group (or without a deduplication id
    when the queue has no content-based deduplication), a malformed id, or either id sent to a standard queue."""
    if not fifo:
        for parameter, value in (("MessageGroupId", group_id), ("MessageDeduplicationId", dedup_id)):
            if value:
                raise SqsInvalidParameterValue(
                    f"Value {value} for parameter {parameter} is invalid. Reason: The request include parameter "
                    "that is not valid for this queue type."
                )
        return
    if not group_id:
        raise SqsMissingParameter("The request must contain the parameter MessageGroupId.")
    check_fifo_id(group_id, parameter="MessageGroupId")
    if dedup_id:
        check_fifo_id(dedup_id, parameter="MessageDeduplicationId")
    elif not content_based_deduplication:
        raise SqsInvalidParameterValue(NO_DEDUPLICATION)
