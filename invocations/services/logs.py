"""CloudWatch Logs for Lambda (issue 13 point 3): the log groups `/aws/lambda/<function>`, their streams (one per
execution environment) and their events, read from the invocation records (selectors/log_events.py).

Every operation takes the request's parameters as botocore's logs model names them (timestamps in epoch
milliseconds) and returns the output shape; the API (invocations/api/logs/) only decodes and encodes awsJson1_1.
A log group exists while its function does (AWS creates it at the first invocation and keeps it after the
function is deleted: README, Approximations). One account: the group is any function of the simulator's account."""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from ..models import AccountSettings, Function
from ..rules.filter_patterns import InvalidFilterPattern, parse_filter_pattern
from ..rules.log_streams import GROUP_PREFIX, group_function, group_name, parse_stream
from ..selectors import log_events
from ..selectors.log_events import Stream
from .logs_errors import (
    GROUP_NOT_FOUND,
    INVALID_FILTER_PATTERN,
    INVALID_NEXT_TOKEN,
    STREAM_NOT_FOUND,
    InvalidParameter,
    ResourceNotFound,
)

DESCRIBE_LIMIT = 50
EVENTS_LIMIT = 10_000
# Records one FilterLogEvents call reads at most before it answers with a token (AWS also pages by work done).
FILTER_SCAN_RECORDS = 20_000


# --- validation ------------------------------------------------------------------------------------------------


def _limit(params: dict, maximum: int) -> int:
    value = params.get("limit")
    if value is None:
        return maximum
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidParameter(f"1 validation error detected: Value '{value}' at 'limit' failed to satisfy constraint")
    if value < 1:
        raise InvalidParameter(
            f"1 validation error detected: Value '{value}' at 'limit' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1"
        )
    if value > maximum:
        raise InvalidParameter(
            f"1 validation error detected: Value '{value}' at 'limit' failed to satisfy constraint: "
            f"Member must have value less than or equal to {maximum}"
        )
    return value


def _encode_token(position: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(position, separators=(",", ":")).encode()).decode()


def _decode_token(token: str | None) -> Any:
    if token is None:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(token.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidParameter(INVALID_NEXT_TOKEN) from None


def _offset_token(token: str | None) -> int:
    value = _decode_token(token)
    if value is None:
        return 0
    if not isinstance(value, int) or value < 0:
        raise InvalidParameter(INVALID_NEXT_TOKEN)
    return value


def _group(params: dict) -> str:
    """The function of the log group named by logGroupName or logGroupIdentifier (a name or an ARN)."""
    name, identifier = params.get("logGroupName"), params.get("logGroupIdentifier")
    if name is not None and identifier is not None:
        raise InvalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
    if name is None and identifier is None:
        raise InvalidParameter("Either logGroupName or logGroupIdentifier must be specified.")
    if identifier is not None:
        name = identifier.split(":log-group:", 1)[1].removesuffix(":*") if ":log-group:" in identifier else identifier
    function = group_function(name)
    if function is None or not Function.objects.filter(name=function).exists():
        raise ResourceNotFound(GROUP_NOT_FOUND)
    return function


def _arns() -> tuple[str, str]:
    account = AccountSettings.load()
    return account.region, account.account_id


def _group_arn(function: str, region: str, account_id: str) -> str:
    return f"arn:aws:logs:{region}:{account_id}:log-group:{group_name(function)}"


def _ms(seconds: float) -> int:
    return int(seconds * 1000)


# --- DescribeLogGroups -------------------------------------------------------------------------------------------


def describe_log_groups(params: dict) -> dict:
    limit = _limit(params, DESCRIBE_LIMIT)
    prefix, pattern = params.get("logGroupNamePrefix"), params.get("logGroupNamePattern")
    identifiers = params.get("logGroupIdentifiers")
    if prefix is not None and pattern is not None:
        raise InvalidParameter("LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.")
    if identifiers is not None and (prefix is not None or pattern is not None):
        raise InvalidParameter(
            "LogGroupIdentifiers is mutually exclusive with LogGroupNamePrefix and LogGroupNamePattern."
        )
    offset = _offset_token(params.get("nextToken"))
    region, account_id = _arns()
    groups = []
    wanted = None
    if identifiers is not None:
        wanted = {i.split(":log-group:", 1)[1].removesuffix(":*") if ":log-group:" in i else i for i in identifiers}
    for name, created in Function.objects.order_by("name").values_list("name", "created_at"):
        group = group_name(name)
        if prefix is not None and not group.startswith(prefix):
            continue
        if pattern is not None and pattern.lower() not in group.lower():  # AWS: case-insensitive substring
            continue
        if wanted is not None and group not in wanted:
            continue
        arn = _group_arn(name, region, account_id)
        groups.append(
            {
                "logGroupName": group,
                "creationTime": int(created.timestamp() * 1000),
                "metricFilterCount": 0,
                "arn": f"{arn}:*",
                "storedBytes": 0,
                "logGroupClass": "STANDARD",
                "logGroupArn": arn,
            }
        )
    page = groups[offset : offset + limit]
    output: dict[str, Any] = {"logGroups": page}
    if offset + limit < len(groups):
        output["nextToken"] = _encode_token(offset + limit)
    return output


# --- DescribeLogStreams ------------------------------------------------------------------------------------------


def describe_log_streams(params: dict) -> dict:
    function = _group(params)
    limit = _limit(params, DESCRIBE_LIMIT)
    order_by = params.get("orderBy", "LogStreamName")
    prefix = params.get("logStreamNamePrefix")
    if order_by not in ("LogStreamName", "LastEventTime"):
        raise InvalidParameter(
            f"1 validation error detected: Value '{order_by}' at 'orderBy' failed to satisfy constraint: "
            "Member must satisfy enum value set: [LogStreamName, LastEventTime]"
        )
    if order_by == "LastEventTime" and prefix is not None:
        raise InvalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.")
    offset = _offset_token(params.get("nextToken"))
    found = [s for s in log_events.streams(function) if prefix is None or s.name.startswith(prefix)]
    if order_by == "LastEventTime":
        found.sort(key=lambda s: (s.last_at, s.name), reverse=bool(params.get("descending")))
    else:
        found.sort(key=lambda s: s.name, reverse=bool(params.get("descending")))
    region, account_id = _arns()
    arn = _group_arn(function, region, account_id)
    page = [
        {
            "logStreamName": s.name,
            "creationTime": _ms(s.first_at),
            "firstEventTimestamp": _ms(s.first_at),
            "lastEventTimestamp": _ms(s.last_at),
            "lastIngestionTime": _ms(s.last_at),
            "uploadSequenceToken": "1",
            "arn": f"{arn}:log-stream:{s.name}",
            "storedBytes": 0,
        }
        for s in found[offset : offset + limit]
    ]
    output: dict[str, Any] = {"logStreams": page}
    if offset + limit < len(found):
        output["nextToken"] = _encode_token(offset + limit)
    return output


# --- GetLogEvents ------------------------------------------------------------------------------------------------

_EVENT_TOKEN = re.compile(r"([fb])/(\d{20})(\d{6})")


def _stream(function: str, name: str | None) -> Stream:
    parsed = parse_stream(function, name or "")
    if parsed is not None:
        for stream in log_events.streams(function):
            if stream.env_id == parsed.env_id and stream.version == parsed.version and stream.name == name:
                return stream
    raise ResourceNotFound(STREAM_NOT_FOUND)


def _position_token(direction: str, position: tuple[int, int]) -> str:
    return f"{direction}/{position[0]:020d}{position[1]:06d}"


def get_log_events(params: dict) -> dict:
    function = _group(params)
    stream = _stream(function, params.get("logStreamName"))
    limit = _limit(params, EVENTS_LIMIT)
    after = before = None
    token = params.get("nextToken")
    if token is not None:
        match = _EVENT_TOKEN.fullmatch(token)
        if match is None:
            raise InvalidParameter(INVALID_NEXT_TOKEN)
        position = (int(match[2]), int(match[3]))
        after, before = (position, None) if match[1] == "f" else (None, position)
    events = log_events.stream_events(
        function,
        stream,
        after=after,
        before=before,
        start_ms=params.get("startTime"),
        end_ms=params.get("endTime"),
        limit=limit,
        from_head=bool(params.get("startFromHead")),
    )
    if events:
        forward = (events[-1].record_id, events[-1].line)
        backward = (events[0].record_id, events[0].line)
    else:  # nothing (more) in that direction: both tokens stay where the caller is, and the CLI stops there
        here = after or before or (0, 0)
        forward = backward = here
    return {
        "events": [
            {"timestamp": e.timestamp_ms, "message": e.message, "ingestionTime": e.ingestion_ms} for e in events
        ],
        "nextForwardToken": _position_token("f", forward),
        "nextBackwardToken": _position_token("b", backward),
    }


# --- FilterLogEvents ---------------------------------------------------------------------------------------------


def filter_log_events(params: dict) -> dict:
    function = _group(params)
    limit = _limit(params, EVENTS_LIMIT)
    names, prefix = params.get("logStreamNames"), params.get("logStreamNamePrefix")
    if names is not None and prefix is not None:
        raise InvalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.")
    try:
        pattern = parse_filter_pattern(params.get("filterPattern"))
    except InvalidFilterPattern:
        raise InvalidParameter(INVALID_FILTER_PATTERN) from None
    after = _decode_token(params.get("nextToken"))
    if after is not None:
        if not (isinstance(after, list) and len(after) == 2 and all(isinstance(p, int) for p in after)):
            raise InvalidParameter(INVALID_NEXT_TOKEN)
        after = (after[0], after[1])
    chosen = log_events.streams(function)
    if names is not None:
        chosen = [s for s in chosen if s.name in set(names)]
    elif prefix is not None:
        chosen = [s for s in chosen if s.name.startswith(prefix)]
    output: dict[str, Any] = {"events": [], "searchedLogStreams": []}
    if not chosen:
        return output
    found, resume = log_events.filtered_events(
        function,
        {(s.version, s.env_id): s for s in chosen},
        matches=pattern.matches,
        after=after,
        start_ms=params.get("startTime"),
        end_ms=params.get("endTime"),
        limit=limit,
        scan_limit=FILTER_SCAN_RECORDS,
    )
    output["events"] = [
        {
            "logStreamName": stream.name,
            "timestamp": e.timestamp_ms,
            "message": e.message,
            "ingestionTime": e.ingestion_ms,
            "eventId": f"{e.record_id:030d}{e.line:06d}",
        }
        for stream, e in found
    ]
    if resume is not None:
        output["nextToken"] = _encode_token(list(resume))
    return output


__all__ = ["GROUP_PREFIX", "describe_log_groups", "describe_log_streams", "filter_log_events", "get_log_events"]
