"""How CloudWatch writes numbers and times in state reasons and reason data (its service runs on the JVM)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from decimal import Decimal


def java_double(value: float) -> str:
    """Java's Double.toString: "5.0", "0.0666851903306472", "1.0E7", "1.0E-4" (shortest round-trip digits)."""
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1, value) < 0 else "0.0"
    if 1e-3 <= abs(value) < 1e7:
        text = repr(value)
        return text if ("." in text or "e" in text) else text + ".0"
    number = Decimal(repr(value))  # repr: Python's shortest round-trip digits, as Java's since JDK 19
    sign, digits, _ = number.as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    return f"{'-' if sign else ''}{text[0]}.{text[1:] or '0'}E{number.adjusted()}"


def reason_time(epoch: float) -> str:
    """A datapoint's time in a state reason: 03/12/26 10:01:00 (day/month/year, UTC)."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%d/%m/%y %H:%M:%S")


def iso_millis(epoch: float) -> str:
    """2026-12-03T10:01:00.000+0000, as CloudWatch writes times in reason data and alarm history."""
    moment = datetime.fromtimestamp(epoch, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"
