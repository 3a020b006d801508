"""CloudWatch Logs filter patterns for unstructured events (FilterLogEvents): terms and "quoted phrases" that must
all appear (case-sensitive), `?term`s of which one must appear, and `-term`s that must not.

JSON (`{ $.x = 1 }`), space-delimited (`[a, b]`) and regular-expression (`%re%`) patterns are not supported here:
they are refused as AWS refuses a malformed pattern (README, Approximations)."""

from __future__ import annotations

from dataclasses import dataclass


class InvalidFilterPattern(ValueError):
    """A pattern this module cannot read (services/logs.py answers InvalidParameterException)."""


@dataclass(frozen=True)
class FilterPattern:
    required: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()

    def matches(self, message: str) -> bool:
        if any(term not in message for term in self.required):
            return False
        if self.any_of and not any(term in message for term in self.any_of):
            return False
        return not any(term in message for term in self.excluded)


MATCH_ALL = FilterPattern()


def parse_filter_pattern(text: str | None) -> FilterPattern:
    """`text` read as terms (InvalidFilterPattern if it cannot be)."""
    text = (text or "").strip()
    if not text:
        return MATCH_ALL
    if text[0] in "{[%":
        raise InvalidFilterPattern(text)
    required: list[str] = []
    any_of: list[str] = []
    excluded: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        kind = text[i] if text[i] in "?-" else ""
        i += len(kind)
        if i < n and text[i] == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise InvalidFilterPattern(text)
            term, i = text[i + 1 : end], end + 1
            if i < n and not text[i].isspace():
                raise InvalidFilterPattern(text)
        else:
            start = i
            while i < n and not text[i].isspace():
                i += 1
            term = text[start:i]
            if '"' in term:
                raise InvalidFilterPattern(text)
        if not term:
            raise InvalidFilterPattern(text)
        {"": required, "?": any_of, "-": excluded}[kind].append(term)
    return FilterPattern(required=tuple(required), any_of=tuple(any_of), excluded=tuple(excluded))
