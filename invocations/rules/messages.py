"""AWS's "1 validation error detected" message shape, shared by every rule module."""

from __future__ import annotations

from typing import Any


def constraint_failed(value: Any, member: str, constraint: str) -> str:
    """The message AWS's request validator gives for one failed member constraint."""
    shown = "null" if value is None else f"'{value}'"
    return f"1 validation error detected: Value {shown} at '{member}' failed to satisfy constraint: {constraint}"


def pattern_failed(value: Any, member: str, pattern: str) -> str:
    return constraint_failed(value, member, f"Member must satisfy regular expression pattern: {pattern}")


def at_least(value: Any, member: str, low: int | float) -> str:
    return constraint_failed(value, member, f"Member must have value greater than or equal to {low}")


def at_most(value: Any, member: str, high: int | float) -> str:
    return constraint_failed(value, member, f"Member must have value less than or equal to {high}")


def longest(value: Any, member: str, high: int) -> str:
    return constraint_failed(value, member, f"Member must have length less than or equal to {high}")


def enum_failed(value: Any, member: str, allowed: list[str]) -> str:
    return constraint_failed(value, member, f"Member must satisfy enum value set: [{', '.join(allowed)}]")
