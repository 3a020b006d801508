"""Destination rules for async invocation records (§2) and stream on-failure records (§3)."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..arns import parse_arn, parse_function_ref
from ..errors import InvalidParameterValueException, ValidationException
from .messages import pattern_failed

DESTINATION_MAX = 350
DESTINATION_PATTERN_SHOWN = (
    r"^$|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1})?:(\d{12})?:(.*)"
)
_DESTINATION_RE = re.compile(
    r"^arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d)?:(\d{12})?:(.*)$"
)

# Which services may receive an invocation record (S3 only for failures).
ASYNC_ON_SUCCESS = frozenset({"sqs", "sns", "lambda", "events"})
ASYNC_ON_FAILURE = frozenset({"sqs", "sns", "lambda", "events", "s3"})
STREAM_ON_FAILURE = frozenset({"sqs", "sns", "s3"})


def _describe(on_success: str | None, on_failure: str | None) -> str:
    success = f"OnSuccess(destination={on_success})" if on_success else "null"
    failure = f"OnFailure(destination={on_failure})" if on_failure else "null"
    return f"The provided destination config DestinationConfig(onSuccess={success}, onFailure={failure}) is invalid."


def _check_pattern(arn: str, member: str) -> None:
    if len(arn) > DESTINATION_MAX or not _DESTINATION_RE.match(arn):
        raise ValidationException(pattern_failed(arn, member, DESTINATION_PATTERN_SHOWN))


def check_async_destinations(
    *,
    function_name: str,
    on_success: str | None,
    on_failure: str | None,
    function_exists: Callable[[str], bool],
) -> None:
    """OnSuccess/OnFailure of an EventInvokeConfig; never the function itself."""
    for arn, member, allowed in (
        (on_success, "destinationConfig.onSuccess.destination", ASYNC_ON_SUCCESS),
        (on_failure, "destinationConfig.onFailure.destination", ASYNC_ON_FAILURE),
    ):
        if not arn:
            continue
        _check_pattern(arn, member)
        service = parse_arn(arn).service
        if service == "lambda":
            ref = parse_function_ref(arn)
            if ref is None or not function_exists(ref.name):
                raise InvalidParameterValueException(f"The destination ARN {arn} is invalid.")
            if ref.name == function_name:
                raise InvalidParameterValueException("You can't specify the function as a destination for itself.")
        elif service not in allowed:
            raise InvalidParameterValueException(_describe(on_success, on_failure))


def check_stream_on_failure(arn: str) -> None:
    """A stream mapping's on-failure destination: an SQS queue, SNS topic or S3 bucket."""
    _check_pattern(arn, "destinationConfig.onFailure.destination")
    if parse_arn(arn).service not in STREAM_ON_FAILURE:
        raise InvalidParameterValueException(_describe(None, arn))
