"""GetMetricData's metric math, the simple part (issue 13: `m1/m2*100`, `SUM(...)`; IF is not required).

An expression is parsed with Python's `ast` (never evaluated as code) and allowed only: numbers, query ids,
+ - * /, unary minus, parentheses, and SUM / AVG / MIN / MAX of a series, of `[m1, m2]` or of METRICS().
A time series is {timestamp: value}; arithmetic between two series keeps the timestamps both have (CloudWatch
aligns on timestamps); a division by zero drops that datapoint."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping

from .cloudwatch_errors import ValidationError

Series = dict[float, float]
Value = Series | float

_OPERATORS: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_AGGREGATES: dict[str, Callable[[list[float]], float]] = {
    "SUM": sum,
    "AVG": lambda values: sum(values) / len(values),
    "MIN": min,
    "MAX": max,
}


def evaluate_expression(expression: str, series: Mapping[str, Series], *, query_id: str) -> Value:
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        raise _invalid(query_id, expression) from None
    return _eval(tree.body, series, query_id, expression)


def referenced_ids(expression: str) -> set[str]:
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id not in _AGGREGATES}


def _invalid(query_id: str, expression: str, detail: str = "Syntax error") -> ValidationError:
    return ValidationError(f"Error in expression '{query_id}': {detail} in expression {expression!r}.")


def _eval(node: ast.AST, series: Mapping[str, Series], query_id: str, expression: str) -> Value:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.Name):
        if node.id not in series:
            raise _invalid(query_id, expression, f"Unrecognized metric id {node.id}")
        return series[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _apply(operator.mul, -1.0, _eval(node.operand, series, query_id, expression))
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left = _eval(node.left, series, query_id, expression)
        right = _eval(node.right, series, query_id, expression)
        return _apply(_OPERATORS[type(node.op)], left, right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _AGGREGATES:
        return _aggregate(node, series, query_id, expression)
    raise _invalid(query_id, expression, "Unsupported function or operator")


def _aggregate(node: ast.Call, series: Mapping[str, Series], query_id: str, expression: str) -> Value:
    combine = _AGGREGATES[node.func.id]  # type: ignore[attr-defined]
    if len(node.args) != 1:
        raise _invalid(query_id, expression, f"{node.func.id} takes one argument")  # type: ignore[attr-defined]
    (arg,) = node.args
    if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id == "METRICS" and not arg.args:
        members: list[Value] = [s for key, s in series.items() if key != query_id]
    elif isinstance(arg, ast.List):
        members = [_eval(element, series, query_id, expression) for element in arg.elts]
    else:  # one series: its values combined into one number
        value = _eval(arg, series, query_id, expression)
        if isinstance(value, float):
            return value
        return combine(list(value.values())) if value else 0.0
    timestamps = sorted({t for m in members if isinstance(m, dict) for t in m})
    out: Series = {}
    for t in timestamps:
        values = [m if isinstance(m, float) else m[t] for m in members if isinstance(m, float) or t in m]
        if values:
            out[t] = combine(values)
    return out


def _apply(op: Callable[[float, float], float], left: Value, right: Value) -> Value:
    if isinstance(left, float) and isinstance(right, float):
        return _safe(op, left, right) if _safe(op, left, right) is not None else float("nan")
    if isinstance(left, float):
        assert isinstance(right, dict)
        return {t: v for t, r in right.items() if (v := _safe(op, left, r)) is not None}
    if isinstance(right, float):
        return {t: v for t, l_ in left.items() if (v := _safe(op, l_, right)) is not None}
    return {t: v for t in left.keys() & right.keys() if (v := _safe(op, left[t], right[t])) is not None}


def _safe(op: Callable[[float, float], float], a: float, b: float) -> float | None:
    try:
        return op(a, b)
    except ZeroDivisionError:
        return None
