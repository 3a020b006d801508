"""Function references as the engine needs them: the project's pure ARN module plus Invoke's validation error."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..arns import FunctionRef
from ..arns import function_arn as _function_arn
from ..arns import parse_function_ref as _parse
from ..errors import ValidationException

if TYPE_CHECKING:
    from .config import AccountConfig


def parse_function_ref(ref: str) -> FunctionRef:
    """Parse `name`, `name:qualifier`, `123456789012:function:name[:q]` or `arn:aws:lambda:r:a:function:name[:q]`."""
    parsed = _parse(ref)
    if parsed is not None and len(parsed.name) <= 64 and len(parsed.qualifier or "") <= 128:
        return parsed
    raise ValidationException(
        f"1 validation error detected: Value '{ref}' at 'functionName' failed to satisfy constraint: Member must "
        "satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?"
        "(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?"
    )


def function_arn(account: AccountConfig, name: str, qualifier: str | None = None) -> str:
    base = _function_arn(name, region=account.region, account=account.account_id)
    return f"{base}:{qualifier}" if qualifier else base
