"""Alias rules: the name, what it may point to, and weighted routing to one more version (semantics §5)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..arns import LATEST
from ..errors import InvalidParameterValueException, ValidationException
from .messages import constraint_failed, longest, pattern_failed

NAME_MAX = 128
NAME_PATTERN_SHOWN = "(?!^[0-9]+$)([a-zA-Z0-9-_]+)"
_NAME_RE = re.compile(r"^(?!^[0-9]+$)[a-zA-Z0-9-_]+$")
VERSION_PATTERN_SHOWN = r"(\$LATEST|[0-9]+)"
_VERSION_RE = re.compile(r"^(\$LATEST|[0-9]+)$")
_ADDITIONAL_VERSION_RE = re.compile(r"^[0-9]+$")


def check_name(name: str) -> None:
    """1–128 of [a-zA-Z0-9-_], and not all digits (that would read as a version)."""
    if len(name) > NAME_MAX:
        raise ValidationException(longest(name, "name", NAME_MAX))
    if not _NAME_RE.match(name):
        raise ValidationException(pattern_failed(name, "name", NAME_PATTERN_SHOWN))


def check_function_version(function_version: str) -> None:
    """An alias points at $LATEST or a version number, never at another alias."""
    if not _VERSION_RE.match(function_version or ""):
        raise ValidationException(pattern_failed(function_version, "functionVersion", VERSION_PATTERN_SHOWN))


def check_routing(function_version: str, weights: Mapping[str, float]) -> None:
    """AdditionalVersionWeights: at most one other published version, weight 0.0–1.0, never with $LATEST."""
    if len(weights) > 1:
        raise InvalidParameterValueException("Number of items in AdditionalVersionWeights cannot be greater than 1")
    for key, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0.0 <= weight <= 1.0:
            raise ValidationException(
                constraint_failed(
                    f"{{{key}={weight}}}",
                    "routingConfig.additionalVersionWeights",
                    "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, "
                    "Member must have value greater than or equal to 0.0, Member must not be null]",
                )
            )
        if key == function_version:
            raise InvalidParameterValueException(
                f"Invalid function version {key}. Function version {key} is already included in routing configuration."
            )
        if function_version == LATEST:
            raise InvalidParameterValueException(
                "$LATEST is not supported for an alias pointing to more than 1 version"
            )
        if not _ADDITIONAL_VERSION_RE.match(str(key)):
            raise ValidationException(
                constraint_failed(
                    f"{{{key}={weight}}}",
                    "routingConfig.additionalVersionWeights",
                    "Map keys must satisfy constraint: [Member must have length less than or equal to 1024, "
                    "Member must have length greater than or equal to 1, Member must satisfy regular expression "
                    "pattern: [0-9]+, Member must not be null]",
                )
            )
