"""CloudWatch Logs names for Lambda: the log group `/aws/lambda/<function>` and one stream per execution environment,
`2026/12/03/[$LATEST]<32 hex>` (`[3]` for version 3), dated by the environment's first invocation (UTC).

AWS's 32 hex digits are random; ours are computed from the environment id so a name can be read back without a
lookup table: the first 16 are a hash of (function, version, id), the last 16 the id XOR that hash. A name whose
hash does not match its function and version names no stream."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

GROUP_PREFIX = "/aws/lambda/"
_STREAM = re.compile(r"(\d{4})/(\d{2})/(\d{2})/\[([^\]]+)\]([0-9a-f]{16})([0-9a-f]{16})")


@dataclass(frozen=True)
class StreamName:
    date: str  # YYYY/MM/DD
    version: str
    env_id: int


def group_name(function: str) -> str:
    return f"{GROUP_PREFIX}{function}"


def group_function(name: str) -> str | None:
    """The function a log group belongs to, or None if the name is not `/aws/lambda/<function>`."""
    if not name.startswith(GROUP_PREFIX) or len(name) == len(GROUP_PREFIX):
        return None
    return name[len(GROUP_PREFIX) :]


def stream_date(first_at: float) -> str:
    return datetime.fromtimestamp(first_at, UTC).strftime("%Y/%m/%d")


def stream_name(*, function: str, version: str, env_id: int, first_at: float) -> str:
    mask = _mask(function, version, env_id)
    return f"{stream_date(first_at)}/[{version}]{mask:016x}{(env_id ^ mask) & 0xFFFF_FFFF_FFFF_FFFF:016x}"


def parse_stream(function: str, name: str) -> StreamName | None:
    """The parts of one of `function`'s stream names, or None if it is not one (any function's, or malformed)."""
    match = _STREAM.fullmatch(name)
    if match is None:
        return None
    year, month, day, version, mask_hex, id_hex = match.groups()
    mask = int(mask_hex, 16)
    env_id = int(id_hex, 16) ^ mask
    if _mask(function, version, env_id) != mask:
        return None
    return StreamName(date=f"{year}/{month}/{day}", version=version, env_id=env_id)


def _mask(function: str, version: str, env_id: int) -> int:
    digest = hashlib.blake2b(f"{function}\0{version}\0{env_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")
