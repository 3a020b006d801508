"""FilterCriteria: parse and match a subset of EventBridge patterns (exact, prefix, numeric, exists)."""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...errors import InvalidParameterValueException, ValidationException

MAX_FILTERS = 5  # semantics §3: 5 per ESM (AWS can raise it to 10 on request)
MAX_PATTERN_CHARS = 4096
INVALID_PATTERN = "Invalid filter pattern definition."  # AWS's text (localstack parity)

_NUMERIC_OPS: dict[str, Callable[[float, float], bool]] = {
    "=": operator.eq,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_ABSENT = object()  # a key missing from the event, distinct from a JSON null


@dataclass(frozen=True, slots=True)
class FilterCriteria:
    """Parsed `FilterCriteria.Filters[].Pattern`; a record passes when ANY pattern matches."""

    patterns: tuple[Mapping[str, Any], ...]
    sources: tuple[str, ...]  # the original JSON strings, for echoing back in the API

    @classmethod
    def parse(cls, criteria: Any) -> FilterCriteria | None:
        """Validate `{"Filters": [{"Pattern": "<json>"}, ...]}`; None or no filters means "no filtering"."""
        if criteria is None:
            return None
        if not isinstance(criteria, Mapping):
            raise InvalidParameterValueException(INVALID_PATTERN)
        filters = criteria.get("Filters") or []
        if not isinstance(filters, Sequence) or isinstance(filters, str):
            raise InvalidParameterValueException(INVALID_PATTERN)
        if len(filters) > MAX_FILTERS:
            # ⚠ our phrasing: AWS's exact text for this limit is not recorded in the semantics sheet.
            raise InvalidParameterValueException(
                f"The number of filters exceeds the limit of {MAX_FILTERS} filters per event source mapping."
            )
        patterns, sources = [], []
        for index, item in enumerate(filters, start=1):
            source = item.get("Pattern") if isinstance(item, Mapping) else None
            if not isinstance(source, str) or not source:
                raise InvalidParameterValueException(INVALID_PATTERN)
            if len(source) > MAX_PATTERN_CHARS:
                raise ValidationException(
                    f"1 validation error detected: Value '{source[:32]}...' at 'filterCriteria.filters.{index}.member."
                    f"pattern' failed to satisfy constraint: Member must have length less than or equal to "
                    f"{MAX_PATTERN_CHARS}"
                )
            patterns.append(parse_pattern(source))
            sources.append(source)
        if not patterns:
            return None
        return cls(tuple(patterns), tuple(sources))

    def matches(self, view: Mapping[str, Any]) -> bool:
        return any(_match_object(pattern, view) for pattern in self.patterns)

    def to_api(self) -> dict:
        return {"Filters": [{"Pattern": source} for source in self.sources]}


def parse_pattern(source: str) -> Mapping[str, Any]:
    """Parse one pattern and check it only uses the supported subset."""
    try:
        pattern = json.loads(source)
    except ValueError:
        raise InvalidParameterValueException(INVALID_PATTERN) from None
    if not isinstance(pattern, dict) or not pattern:
        raise InvalidParameterValueException(INVALID_PATTERN)
    _check_object(pattern)
    return pattern


def pattern_matches(pattern: Mapping[str, Any], event: Any) -> bool:
    """One parsed pattern against one event (EventBridge rules use the same subset as FilterCriteria)."""
    return _match_object(pattern, event)


def _check_object(pattern: Mapping[str, Any]) -> None:
    for value in pattern.values():
        if isinstance(value, dict):
            if not value:
                raise InvalidParameterValueException(INVALID_PATTERN)
            _check_object(value)
        elif isinstance(value, list) and value:
            for matcher in value:
                _check_matcher(matcher)
        else:
            # Leaves must be non-empty arrays (EventBridge rule).
            raise InvalidParameterValueException(INVALID_PATTERN)


def _check_matcher(matcher: Any) -> None:
    if matcher is None or isinstance(matcher, str | int | float | bool):
        return
    if not isinstance(matcher, dict) or len(matcher) != 1:
        raise InvalidParameterValueException(INVALID_PATTERN)
    ((name, arg),) = matcher.items()
    if name == "prefix" and isinstance(arg, str):
        return
    if name == "exists" and isinstance(arg, bool):
        return
    if name == "numeric" and isinstance(arg, list) and arg and len(arg) % 2 == 0:
        for op, bound in zip(arg[::2], arg[1::2], strict=True):
            if op not in _NUMERIC_OPS or isinstance(bound, bool) or not isinstance(bound, int | float):
                raise InvalidParameterValueException(INVALID_PATTERN)
        return
    raise InvalidParameterValueException(INVALID_PATTERN)


def _match_object(pattern: Mapping[str, Any], event: Any) -> bool:
    for key, expected in pattern.items():
        value = event.get(key, _ABSENT) if isinstance(event, Mapping) else _ABSENT
        if isinstance(expected, dict):
            if not _match_object(expected, value):
                return False
        elif not _match_leaf(expected, value):
            return False
    return True


def _match_leaf(matchers: list, value: Any) -> bool:
    if value is _ABSENT:
        return any(isinstance(m, dict) and m.get("exists") is False for m in matchers)
    # An array value matches when any element matches (EventBridge rule).
    candidates = value if isinstance(value, list) else [value]
    return any(_match_one(m, c) for m in matchers for c in candidates)


def _match_one(matcher: Any, value: Any) -> bool:
    if not isinstance(matcher, dict):
        if isinstance(matcher, bool) or isinstance(value, bool):
            return type(matcher) is type(value) and matcher == value
        return matcher == value
    ((name, arg),) = matcher.items()
    if name == "exists":
        return arg is True
    if name == "prefix":
        return isinstance(value, str) and value.startswith(arg)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return all(_NUMERIC_OPS[op](value, bound) for op, bound in zip(arg[::2], arg[1::2], strict=True))
