"""Lambda function ARNs: build them and parse every form Invoke accepts (semantics §12)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ValidationException

if TYPE_CHECKING:
    from .config import AccountConfig

_NAME = r"[a-zA-Z0-9-_]{1,64}"
_QUALIFIER = r"[a-zA-Z0-9$_-]{1,128}"
_REGION = r"[a-z]{2}(?:-gov)?-[a-z]+-\d"
_FULL = re.compile(rf"^arn:aws[a-zA-Z-]*:lambda:({_REGION}):(\d{{12}}):function:({_NAME})(?::({_QUALIFIER}))?$")
_PARTIAL = re.compile(rf"^(\d{{12}}):function:({_NAME})(?::({_QUALIFIER}))?$")
_SHORT = re.compile(rf"^({_NAME})(?::({_QUALIFIER}))?$")


@dataclass(frozen=True, slots=True)
class FunctionRef:
    """A parsed reference; region/account are None when the caller gave a bare or partial name."""

    name: str
    qualifier: str | None = None
    account_id: str | None = None
    region: str | None = None


def parse_function_ref(ref: str) -> FunctionRef:
    """Parse `name`, `name:qualifier`, `123456789012:function:name[:q]` or `arn:aws:lambda:r:a:function:name[:q]`."""
    if m := _SHORT.match(ref):
        return FunctionRef(m.group(1), m.group(2))
    if m := _PARTIAL.match(ref):
        return FunctionRef(m.group(2), m.group(3), account_id=m.group(1))
    if m := _FULL.match(ref):
        return FunctionRef(m.group(3), m.group(4), account_id=m.group(2), region=m.group(1))
    raise ValidationException(
        f"1 validation error detected: Value '{ref}' at 'functionName' failed to satisfy constraint: Member must "
        "satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?"
        "(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?"
    )


def function_arn(account: AccountConfig, name: str, qualifier: str | None = None) -> str:
    base = f"arn:aws:lambda:{account.region}:{account.account_id}:function:{name}"
    return f"{base}:{qualifier}" if qualifier else base
