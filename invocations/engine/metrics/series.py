"""Metric series names: a metric and its dimensions as one string key, and back.

`Invocations|FunctionName=f|Resource=f:prod`: function names, aliases and versions cannot hold "|" or "=", so the
key is unambiguous; dimensions are sorted by name, as CloudWatch treats them (order does not matter)."""

from __future__ import annotations

NAMESPACE = "AWS/Lambda"

Dimensions = tuple[tuple[str, str], ...]


def series_key(metric: str, dimensions: Dimensions = ()) -> str:
    if not dimensions:
        return metric
    return metric + "|" + "|".join(f"{name}={value}" for name, value in sorted(dimensions))


def parse_series_key(key: str) -> tuple[str, Dimensions]:
    metric, *parts = key.split("|")
    return metric, tuple(tuple(part.split("=", 1)) for part in parts)  # type: ignore[misc]


def lambda_dimension_sets(
    function: str, qualifier: str | None, alias: str | None, executed_version: str | None
) -> tuple[Dimensions, ...]:
    """The dimension sets AWS/Lambda publishes one invocation under (DG: monitoring-metrics):
    account-wide (none), FunctionName, FunctionName+Resource for an alias or version, and
    FunctionName+ExecutedVersion for an invocation through an alias (the version that ran)."""
    sets: list[Dimensions] = [(), (("FunctionName", function),)]
    if qualifier and qualifier != "$LATEST":
        sets.append((("FunctionName", function), ("Resource", f"{function}:{qualifier}")))
    if alias is not None and executed_version:
        sets.append((("ExecutedVersion", executed_version), ("FunctionName", function)))
    return tuple(sets)
