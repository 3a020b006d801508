"""The behaviour profile: how a modelled function behaves (DESIGN.md, "Function behaviour").

Stored as JSON on a version; `BehaviourProfile.from_dict` is the one validator the models, the
services and the engine share. Example:

    {"duration_ms": {"mean": 100, "stddev": 20}, "init_ms": 250, "error_rate": 0.05,
     "timeout_rate": 0.0, "memory_used_mb": 64, "response": {"ok": true},
     "fail_when": [{"path": "poison", "equals": true}],
     "error_type": "Exception", "error_message": "Simulated failure"}
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import InvalidParameterValueException

_ALLOWED_KEYS = {
    "duration_ms",
    "init_ms",
    "error_rate",
    "timeout_rate",
    "memory_used_mb",
    "response",
    "fail_when",
    "error_type",
    "error_message",
}


@dataclass(frozen=True, slots=True)
class FailRule:
    """Fail the invocation when the value at a dotted `path` of the payload (or of any batch record) equals `equals`."""

    path: str
    equals: Any = True

    def matches(self, payload: Any) -> bool:
        value = payload
        for part in self.path.split("."):
            if isinstance(value, dict) and part in value:
                value = value[part]
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                return False
        return value == self.equals


@dataclass(frozen=True, slots=True)
class BehaviourProfile:
    duration_mean_ms: float = 100.0
    duration_stddev_ms: float = 20.0
    init_ms: float = 250.0
    error_rate: float = 0.0
    timeout_rate: float = 0.0
    memory_used_mb: int = 64
    response: Any = field(default_factory=lambda: {"statusCode": 200, "body": "ok"})
    fail_when: tuple[FailRule, ...] = ()
    error_type: str = "Exception"
    error_message: str = "Simulated failure"

    @classmethod
    def from_dict(cls, data: Any) -> BehaviourProfile:
        """Validate a profile's JSON form; raises InvalidParameterValueException naming the bad field."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise InvalidParameterValueException("The behaviour profile must be a JSON object.")
        unknown = sorted(set(data) - _ALLOWED_KEYS)
        if unknown:
            raise InvalidParameterValueException(f"Unknown behaviour profile field(s): {', '.join(unknown)}.")
        duration = data.get("duration_ms", {})
        if isinstance(duration, int | float) and not isinstance(duration, bool):
            duration = {"mean": duration, "stddev": 0}
        if not isinstance(duration, dict) or set(duration) - {"mean", "stddev"}:
            raise InvalidParameterValueException('duration_ms must be a number or {"mean": ms, "stddev": ms}.')
        mean = _number(duration.get("mean", 100.0), "duration_ms.mean", low=0.0)
        stddev = _number(duration.get("stddev", 0.0 if "mean" in duration else 20.0), "duration_ms.stddev", low=0.0)
        rules = data.get("fail_when", [])
        if not isinstance(rules, list):
            raise InvalidParameterValueException("fail_when must be a list of {path, equals} rules.")
        parsed_rules = []
        for rule in rules:
            if not isinstance(rule, dict) or not isinstance(rule.get("path"), str) or not rule["path"]:
                raise InvalidParameterValueException("Each fail_when rule needs a non-empty string path.")
            parsed_rules.append(FailRule(path=rule["path"], equals=rule.get("equals", True)))
        error_rate = _number(data.get("error_rate", 0.0), "error_rate", low=0.0, high=1.0)
        timeout_rate = _number(data.get("timeout_rate", 0.0), "timeout_rate", low=0.0, high=1.0)
        if error_rate + timeout_rate > 1.0:
            raise InvalidParameterValueException("error_rate + timeout_rate must not exceed 1.0.")
        return cls(
            duration_mean_ms=mean,
            duration_stddev_ms=stddev,
            init_ms=_number(data.get("init_ms", 250.0), "init_ms", low=0.0, high=600_000.0),
            error_rate=error_rate,
            timeout_rate=timeout_rate,
            memory_used_mb=int(_number(data.get("memory_used_mb", 64), "memory_used_mb", low=1, high=10240)),
            response=data.get("response", {"statusCode": 200, "body": "ok"}),
            fail_when=tuple(parsed_rules),
            error_type=str(data.get("error_type", "Exception")),
            error_message=str(data.get("error_message", "Simulated failure")),
        )

    def to_dict(self) -> dict:
        out = asdict(self)
        return {
            "duration_ms": {"mean": out.pop("duration_mean_ms"), "stddev": out.pop("duration_stddev_ms")},
            **{k: v for k, v in out.items() if k != "fail_when"},
            "fail_when": [{"path": r.path, "equals": r.equals} for r in self.fail_when],
        }


def _number(value: Any, name: str, *, low: float, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidParameterValueException(f"{name} must be a number.")
    if value < low or (high is not None and value > high):
        bound = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise InvalidParameterValueException(f"{name} must be {bound}.")
    return float(value)
