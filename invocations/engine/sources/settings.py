"""EsmSettings: validate and normalise an event source mapping's settings per source kind (semantics §3).

Pure: the Django forms, the REST API and the engine all call `EsmSettings.validate(kind, **fields)` with
the AWS API's field names (BatchSize, MaximumBatchingWindowInSeconds, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ...errors import InvalidParameterValueException, ValidationException
from .filters import FilterCriteria
from .kinds import (
    LIMITS,
    ON_FAILURE_KINDS,
    REPORT_BATCH_ITEM_FAILURES_KINDS,
    RETRY_SETTING_KINDS,
    STREAM_ONLY,
    SourceKind,
)

SETTING_FIELDS = (
    "BatchSize",
    "MaximumBatchingWindowInSeconds",
    "StartingPosition",
    "StartingPositionTimestamp",
    "ParallelizationFactor",
    "BisectBatchOnFunctionError",
    "MaximumRetryAttempts",
    "MaximumRecordAgeInSeconds",
    "TumblingWindowInSeconds",
    "DestinationConfig",
    "FunctionResponseTypes",
    "FilterCriteria",
    "ScalingConfig",
)
UNSUPPORTED_DESTINATION = "Unsupported DestinationConfig parameter for given event source mapping type."
WINDOW_NEEDED = "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10"


@dataclass(frozen=True, slots=True)
class EsmSettings:
    """Normalised settings; every field holds the effective value (defaults filled in for the kind)."""

    kind: SourceKind
    batch_size: int
    batching_window: float  # seconds; 0.5 for Kafka/MQ until someone sets whole seconds
    starting_position: str | None = None
    starting_position_timestamp: float | None = None
    parallelization_factor: int = 1
    bisect_on_error: bool = False
    maximum_retry_attempts: int = -1  # -1 = infinite
    maximum_record_age: int = -1  # seconds; -1 = infinite
    tumbling_window: int = 0
    on_failure_destination: str | None = None
    report_batch_item_failures: bool = False
    filter_criteria: FilterCriteria | None = None
    maximum_concurrency: int | None = None  # ScalingConfig.MaximumConcurrency (SQS)

    @classmethod
    def validate(cls, kind: SourceKind | str, *, event_source_arn: str = "", **fields: Any) -> EsmSettings:
        """Check `fields` (AWS names; None = not given) for `kind`; raise AWS-named errors, return the settings."""
        kind = SourceKind(kind)
        unknown = sorted(set(fields) - set(SETTING_FIELDS))
        if unknown:
            raise TypeError(f"unknown event source mapping setting(s): {', '.join(unknown)}")
        given = {k: v for k, v in fields.items() if v is not None}
        limits = LIMITS[kind]

        batch_size = _int(given.get("BatchSize", limits.batch_size_default), "batchSize", 1, 10_000)
        if batch_size > limits.batch_size_max:
            # ⚠ our phrasing for the FIFO cap; the 10-record limit itself is §3.
            raise InvalidParameterValueException(
                f"Batch size must be between 1 and {limits.batch_size_max} for this event source."
            )
        if "MaximumBatchingWindowInSeconds" in given:
            window: float = _int(given["MaximumBatchingWindowInSeconds"], "maximumBatchingWindowInSeconds", 0, 300)
        else:
            window = limits.window_default
        # Only an explicit BatchSize trips this: the Kinesis/DynamoDB default of 100 with no window is valid.
        if limits.window_needed_above_10 and "BatchSize" in given and batch_size > 10 and window < 1:
            raise InvalidParameterValueException(WINDOW_NEEDED)

        position, position_ts = _starting_position(kind, given, event_source_arn)

        _only_for(kind, given, "ParallelizationFactor", STREAM_ONLY)
        factor = _int(given.get("ParallelizationFactor", 1), "parallelizationFactor", 1, 10)
        _only_for(kind, given, "BisectBatchOnFunctionError", RETRY_SETTING_KINDS)
        bisect = given.get("BisectBatchOnFunctionError", False)
        if not isinstance(bisect, bool):
            raise InvalidParameterValueException("BisectBatchOnFunctionError must be a boolean.")
        _only_for(kind, given, "MaximumRetryAttempts", RETRY_SETTING_KINDS)
        retries = _int(given.get("MaximumRetryAttempts", -1), "maximumRetryAttempts", -1, 10_000)
        _only_for(kind, given, "MaximumRecordAgeInSeconds", RETRY_SETTING_KINDS)
        max_age = _int(given.get("MaximumRecordAgeInSeconds", -1), "maximumRecordAgeInSeconds", -1, 604_800)
        if 0 <= max_age < 60:
            # ⚠ our phrasing; the rule (-1 or 60..604800) is §3.
            raise InvalidParameterValueException("MaximumRecordAgeInSeconds must be -1 or between 60 and 604800.")
        _only_for(kind, given, "TumblingWindowInSeconds", STREAM_ONLY)
        tumbling = _int(given.get("TumblingWindowInSeconds", 0), "tumblingWindowInSeconds", 0, 900)

        destination = _on_failure_destination(kind, given.get("DestinationConfig"))
        rbif = _function_response_types(kind, given.get("FunctionResponseTypes"))
        criteria = FilterCriteria.parse(given.get("FilterCriteria"))
        concurrency = _scaling_config(kind, given.get("ScalingConfig"))

        return cls(
            kind=kind,
            batch_size=batch_size,
            batching_window=float(window),
            starting_position=position,
            starting_position_timestamp=position_ts,
            parallelization_factor=factor,
            bisect_on_error=bisect,
            maximum_retry_attempts=retries,
            maximum_record_age=max_age,
            tumbling_window=tumbling,
            on_failure_destination=destination,
            report_batch_item_failures=rbif,
            filter_criteria=criteria,
            maximum_concurrency=concurrency,
        )

    def updated(self, **fields: Any) -> EsmSettings:
        """UpdateEventSourceMapping: merge the given fields over these settings and validate again."""
        merged = {k: v for k, v in self.to_api().items() if k not in ("StartingPosition", "StartingPositionTimestamp")}
        merged.update({k: v for k, v in fields.items() if v is not None})
        merged.pop("StartingPosition", None)  # fixed at creation
        merged.pop("StartingPositionTimestamp", None)
        fresh = EsmSettings.validate(
            self.kind,
            StartingPosition=self.starting_position,
            StartingPositionTimestamp=self.starting_position_timestamp,
            **merged,
        )
        return replace(fresh, starting_position=self.starting_position)

    def to_api(self) -> dict[str, Any]:
        """The settings as GetEventSourceMapping shows them, only the fields this kind supports."""
        out: dict[str, Any] = {"BatchSize": self.batch_size}
        if self.batching_window >= 1 or self.batching_window == 0:
            out["MaximumBatchingWindowInSeconds"] = int(self.batching_window)
        if self.starting_position is not None:
            out["StartingPosition"] = self.starting_position
        if self.starting_position_timestamp is not None:
            out["StartingPositionTimestamp"] = self.starting_position_timestamp
        if self.kind in STREAM_ONLY:
            out["ParallelizationFactor"] = self.parallelization_factor
            out["TumblingWindowInSeconds"] = self.tumbling_window
        if self.kind in RETRY_SETTING_KINDS:
            out["BisectBatchOnFunctionError"] = self.bisect_on_error
            out["MaximumRetryAttempts"] = self.maximum_retry_attempts
            out["MaximumRecordAgeInSeconds"] = self.maximum_record_age
        if self.kind in ON_FAILURE_KINDS:
            onf = {"Destination": self.on_failure_destination} if self.on_failure_destination else {}
            out["DestinationConfig"] = {"OnFailure": onf}
        if self.kind in REPORT_BATCH_ITEM_FAILURES_KINDS:
            out["FunctionResponseTypes"] = ["ReportBatchItemFailures"] if self.report_batch_item_failures else []
        if self.filter_criteria is not None:
            out["FilterCriteria"] = self.filter_criteria.to_api()
        if self.maximum_concurrency is not None:
            out["ScalingConfig"] = {"MaximumConcurrency": self.maximum_concurrency}
        return out


def check_sqs_visibility_timeout(visibility_timeout: int, function_timeout: int) -> None:
    """CreateEventSourceMapping fails when the function may outlive the queue's visibility timeout (§3)."""
    if function_timeout > visibility_timeout:
        raise InvalidParameterValueException(
            f"Queue visibility timeout: {visibility_timeout} seconds is less than Function timeout: "
            f"{function_timeout} seconds"
        )


def _int(value: Any, api_name: str, low: int, high: int) -> int:
    """AWS's model-level range check: ValidationException with the '1 validation error detected' text."""
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise ValidationException(
            f"1 validation error detected: Value '{value}' at '{api_name}' failed to satisfy constraint: "
            "Member must be an integer"
        )
    value = int(value)
    if value < low:
        raise ValidationException(
            f"1 validation error detected: Value '{value}' at '{api_name}' failed to satisfy constraint: "
            f"Member must have value greater than or equal to {low}"
        )
    if value > high:
        raise ValidationException(
            f"1 validation error detected: Value '{value}' at '{api_name}' failed to satisfy constraint: "
            f"Member must have value less than or equal to {high}"
        )
    return value


def _only_for(kind: SourceKind, given: Mapping[str, Any], name: str, kinds: tuple[SourceKind, ...]) -> None:
    if name in given and kind not in kinds:
        # ⚠ modelled on AWS's recorded DestinationConfig message (§3).
        raise InvalidParameterValueException(f"Unsupported {name} parameter for given event source mapping type.")


def _starting_position(kind: SourceKind, given: Mapping[str, Any], arn: str) -> tuple[str | None, float | None]:
    limits = LIMITS[kind]
    position = given.get("StartingPosition")
    timestamp = given.get("StartingPositionTimestamp")
    if position is None:
        if limits.starting_position_required:
            raise InvalidParameterValueException(
                "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: "
                "Member must not be null."
            )
        if timestamp is not None:
            raise InvalidParameterValueException(f"Unsupported starting position for arn type: {arn}")
        return None, None
    if position not in ("TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"):
        raise ValidationException(
            f"1 validation error detected: Value '{position}' at 'startingPosition' failed to satisfy constraint: "
            "Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]"
        )
    if position not in limits.starting_positions:
        raise InvalidParameterValueException(f"Unsupported starting position for arn type: {arn}")
    if position == "AT_TIMESTAMP":
        if isinstance(timestamp, bool) or not isinstance(timestamp, int | float):
            # ⚠ our phrasing.
            raise InvalidParameterValueException("StartingPositionTimestamp is required for AT_TIMESTAMP.")
        return position, float(timestamp)
    return position, None


def _on_failure_destination(kind: SourceKind, config: Any) -> str | None:
    if config is None:
        return None
    if not isinstance(config, Mapping) or set(config) - {"OnFailure", "OnSuccess"}:
        raise InvalidParameterValueException(UNSUPPORTED_DESTINATION)
    if config.get("OnSuccess"):
        raise InvalidParameterValueException(UNSUPPORTED_DESTINATION)
    on_failure = config.get("OnFailure") or {}
    destination = on_failure.get("Destination") if isinstance(on_failure, Mapping) else None
    if not destination:
        return None
    if kind not in ON_FAILURE_KINDS:
        raise InvalidParameterValueException(UNSUPPORTED_DESTINATION)
    allowed = ("arn:aws:sqs:", "arn:aws:sns:", "arn:aws:s3:::")
    if kind is SourceKind.KAFKA:
        allowed += ("kafka://",)
    if not isinstance(destination, str) or not destination.startswith(allowed):
        # ⚠ AWS's wording as commonly reported; not in the semantics sheet.
        raise InvalidParameterValueException(
            f"The provided destination config DestinationConfig(onSuccess=null, "
            f"onFailure=OnFailure(destination={destination})) is invalid."
        )
    return destination


def _function_response_types(kind: SourceKind, value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, list | tuple) or any(v != "ReportBatchItemFailures" for v in value):
        raise ValidationException(
            f"1 validation error detected: Value '{value}' at 'functionResponseTypes' failed to satisfy constraint: "
            "Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]"
        )
    if value and kind not in REPORT_BATCH_ITEM_FAILURES_KINDS:
        raise InvalidParameterValueException(
            "Unsupported FunctionResponseTypes parameter for given event source mapping type."
        )
    return bool(value)


def _scaling_config(kind: SourceKind, value: Any) -> int | None:
    if value is None:
        return None
    if not kind.is_sqs:
        raise InvalidParameterValueException("Unsupported ScalingConfig parameter for given event source mapping type.")
    if not isinstance(value, Mapping):
        raise InvalidParameterValueException("ScalingConfig must be an object.")
    if value.get("MaximumConcurrency") is None:
        return None
    return _int(value["MaximumConcurrency"], "scalingConfig.maximumConcurrency", 2, 1000)
