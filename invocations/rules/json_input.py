"""Request bodies read as JSON with the limits of AWS's own parser (Jackson's StreamReadConstraints), so that a
hostile body is AWS's 400 InvalidRequestContentException and never a RecursionError. Pure Python, no Django.

AWS's message is "Could not parse request body into json: Could not parse payload into json: " followed by its
parser's own text; ours quotes Jackson's wording for its limits and Python's for plain syntax errors.
"""

from __future__ import annotations

import json
import re
from typing import Any

from invocations.errors import InvalidRequestContentException

PREFIX = "Could not parse request body into json: Could not parse payload into json: "
# ⚠ Jackson's default depth limit is 1000; Python's parser (and everything downstream that walks an event) recurses
# once per level, so the simulator stops at 500 (README: "Where the simulator approximates AWS on purpose").
MAX_NESTING_DEPTH = 500
# Jackson's default: a number token of more than 1000 characters is refused.
MAX_NUMBER_LENGTH = 1000

# A JSON string (skipped whole, so brackets inside it do not count) or one bracket. Unrolled: fast on a 50 MB string.
_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_LONG_DIGITS = re.compile(rb"[0-9]{%d}" % (MAX_NUMBER_LENGTH + 1))
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def parse_json(raw: bytes | str) -> Any:
    """Any JSON value, or InvalidRequestContentException: not JSON, nested deeper than MAX_NESTING_DEPTH, a number
    longer than MAX_NUMBER_LENGTH characters, or NaN/Infinity (which JSON does not have)."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else bytes(raw)
    depth = nesting_depth(data, stop_after=MAX_NESTING_DEPTH)
    if depth > MAX_NESTING_DEPTH:
        raise invalid_content(
            f"Document nesting depth ({depth}) exceeds the maximum allowed ({MAX_NESTING_DEPTH}, from "
            "`StreamReadConstraints.getMaxNestingDepth()`)"
        )
    hooks: dict[str, Any] = {"parse_constant": _non_numeric}
    if _LONG_DIGITS.search(data):  # only then pay for a Python call per number
        hooks.update(parse_int=_checked_int, parse_float=_checked_float)
    try:
        value = json.loads(data, **hooks)
        if _SURROGATE_ESCAPE.search(data):  # a pair is one character; half of one cannot be stored or sent on
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        return value
    except UnicodeEncodeError:
        # ⚠ wording ours: Jackson reads an unpaired surrogate escape; what AWS answers then is unconfirmed.
        raise invalid_content("Unpaired surrogate escape in a string (half of a UTF-16 pair)") from None
    except InvalidRequestContentException:
        raise
    except (UnicodeDecodeError, ValueError) as error:
        raise invalid_content(str(error)) from None
    except RecursionError:  # a deep stack already: still the client's error, never a 500
        raise invalid_content("Document nesting depth exceeds the maximum allowed") from None


def parse_json_object(raw: bytes | str) -> dict[str, Any]:
    """The body as a JSON object; an empty body is an empty object."""
    if not raw.strip():
        return {}
    data = parse_json(raw)
    if not isinstance(data, dict):
        raise invalid_content("expected a JSON object")
    return data


def nesting_depth(data: bytes, *, stop_after: int) -> int:
    """The deepest nesting of arrays and objects, counted without recursion (strings skipped); it stops counting
    once past `stop_after`. Unbalanced brackets are left for the parser to refuse."""
    if data.count(b"[") + data.count(b"{") <= stop_after:
        return 0  # cannot be deeper than the brackets it has
    depth = deepest = 0
    for match in _TOKENS.finditer(data):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_after:
                    return deepest
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest


def invalid_content(detail: str) -> InvalidRequestContentException:
    return InvalidRequestContentException(PREFIX + detail)


def _non_numeric(token: str) -> None:
    raise invalid_content(f"Non-standard token '{token}': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow")


def _check_length(token: str) -> None:
    if len(token) > MAX_NUMBER_LENGTH:
        raise invalid_content(
            f"Number value length ({len(token)}) exceeds the maximum allowed ({MAX_NUMBER_LENGTH}, from "
            "`StreamReadConstraints.getMaxNumberLength()`)"
        )


def _checked_int(token: str) -> int:
    _check_length(token)
    return int(token)


def _checked_float(token: str) -> float:
    _check_length(token)
    return float(token)
