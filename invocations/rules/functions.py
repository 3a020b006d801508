"""Function configuration rules: name, runtime, handler, memory, timeout, role, environment, DLQ, tracing and
SnapStart (§4, §7, §9, §11)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from ..arns import parse_arn
from ..errors import InvalidParameterValueException, ValidationException
from .messages import at_least, at_most, enum_failed, longest, pattern_failed

NAME_MAX = 64
NAME_RE = re.compile(r"^[a-zA-Z0-9-_]+$")
# The pattern AWS quotes when a FunctionName fails validation.
NAME_PATTERN_SHOWN = (
    r"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?"
    r"([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?"
)
DESCRIPTION_MAX = 256
HANDLER_MAX = 128
HANDLER_RE = re.compile(r"^[^\s]+$")
ROLE_RE = re.compile(r"^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$")
ROLE_PATTERN_SHOWN = r"arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+"

MEMORY_MIN, MEMORY_MAX, MEMORY_DEFAULT = 128, 10240, 128
# EphemeralStorage.Size (MB): botocore's model allows 512-32768 (the top for AcceleratorConfig functions); a
# standard function's /tmp is at most 10,240 MB (docs configuration-ephemeral-storage; semantics §11).
EPHEMERAL_MIN, EPHEMERAL_MAX, EPHEMERAL_MODEL_MAX, EPHEMERAL_DEFAULT = 512, 10240, 32768, 512
TIMEOUT_MIN, TIMEOUT_MAX, TIMEOUT_DEFAULT = 1, 900, 3
CODE_SIZE_UNZIPPED_MAX = 262_144_000
TOTAL_CODE_SIZE_MAX = 80_530_636_800

# Runtimes that can still be used to create or update a function (botocore's Runtime enum minus deprecated ones).
RUNTIMES = [
    "nodejs20.x",
    "nodejs22.x",
    "nodejs24.x",
    "python3.10",
    "python3.11",
    "python3.12",
    "python3.13",
    "python3.14",
    "java11",
    "java17",
    "java21",
    "java25",
    "dotnet8",
    "dotnet10",
    "ruby3.3",
    "ruby3.4",
    "provided.al2",
    "provided.al2023",
]
DEFAULT_RUNTIME = "python3.12"
# TracingConfig.Mode and SnapStart.ApplyOn, in the order AWS lists them in its enum errors.
TRACING_MODES = ["Active", "PassThrough"]
SNAP_START_APPLY_ON = ["PublishedVersions", "None"]
# SnapStart's managed runtimes: Java 11 and later, Python 3.12 and later, .NET 8 and later (docs snapstart.html).
SNAP_START_RUNTIMES = frozenset(
    {"java11", "java17", "java21", "java25", "python3.12", "python3.13", "python3.14", "dotnet8", "dotnet10"}
)
DEFAULT_HANDLER = "lambda_function.lambda_handler"

ENV_KEY_RE = re.compile(r"^[a-zA-Z]([a-zA-Z0-9_])+$")
ENV_KEY_PATTERN_SHOWN = "[a-zA-Z]([a-zA-Z0-9_])+"
ENV_MAX_BYTES = 4096
# Lambda sets these itself; a function may not (semantics §7).
RESERVED_ENV_KEYS = frozenset(
    {
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
    }
)


def check_name(name: str) -> None:
    """CreateFunction's name rules; AWS answers a bad plain name with InvalidParameterValueException."""
    if len(name) > NAME_MAX:
        raise InvalidParameterValueException(longest(name, "functionName", NAME_MAX))
    if not NAME_RE.match(name):
        raise InvalidParameterValueException(pattern_failed(name, "functionName", NAME_PATTERN_SHOWN))


def check_description(description: str) -> None:
    if len(description) > DESCRIPTION_MAX:
        raise ValidationException(longest(description, "description", DESCRIPTION_MAX))


def check_runtime(runtime: str) -> None:
    if runtime not in RUNTIMES:
        raise InvalidParameterValueException(
            f"Value {runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: "
            f"[{', '.join(RUNTIMES)}] or be a valid ARN"
        )


def check_handler(handler: str) -> None:
    if len(handler) > HANDLER_MAX:
        raise ValidationException(longest(handler, "handler", HANDLER_MAX))
    if not HANDLER_RE.match(handler):
        raise ValidationException(pattern_failed(handler, "handler", r"[^\s]+"))


def check_role(role: str) -> None:
    if not ROLE_RE.match(role):
        raise ValidationException(pattern_failed(role, "role", ROLE_PATTERN_SHOWN))


def check_memory_size(memory_size: int) -> None:
    # Below the API model's minimum is a request-validation error; above the standard-function cap is Lambda's own.
    if memory_size < MEMORY_MIN:
        raise ValidationException(at_least(memory_size, "memorySize", MEMORY_MIN))
    if memory_size > MEMORY_MAX:
        raise InvalidParameterValueException(
            f"'memorySize' failed to satisfy constraint: Member must have value less than or equal to {MEMORY_MAX}"
        )


def check_ephemeral_storage(size: int) -> None:
    # Outside the API model's range: the request validator's message; within it but above a standard function's
    # cap: Lambda's own, worded as it words the same case for memorySize (check_memory_size).
    if size < EPHEMERAL_MIN:
        raise ValidationException(at_least(size, "ephemeralStorage.size", EPHEMERAL_MIN))
    if size > EPHEMERAL_MODEL_MAX:
        raise ValidationException(at_most(size, "ephemeralStorage.size", EPHEMERAL_MODEL_MAX))
    if size > EPHEMERAL_MAX:
        raise InvalidParameterValueException(
            "'ephemeralStorage.size' failed to satisfy constraint: Member must have value less than or equal to "
            f"{EPHEMERAL_MAX}"
        )


def check_timeout(timeout: int) -> None:
    if timeout < TIMEOUT_MIN:
        raise ValidationException(at_least(timeout, "timeout", TIMEOUT_MIN))
    if timeout > TIMEOUT_MAX:
        raise InvalidParameterValueException(
            f"'timeout' failed to satisfy constraint: Member must have value less than or equal to {TIMEOUT_MAX}"
        )


def check_environment(plain: Mapping[str, str], secret: Mapping[str, str], *, mask: str = "****") -> None:
    """Key pattern, reserved keys and the 4 KB limit over all variables; `secret` holds clear values.

    Secret values count toward the 4 KB but are masked in the message, so an error never echoes them.
    """
    overlap = sorted(set(plain) & set(secret))
    if overlap:
        raise InvalidParameterValueException(
            f"Environment variable(s) {', '.join(overlap)} cannot be both plain and secret."
        )
    keys = [*plain, *secret]
    bad = [key for key in keys if not isinstance(key, str) or not ENV_KEY_RE.match(key)]
    if bad:
        raise ValidationException(
            "1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: "
            "Map keys must satisfy constraint: "
            f"[Member must satisfy regular expression pattern: {ENV_KEY_PATTERN_SHOWN}]"
        )
    for key, value in [*plain.items(), *secret.items()]:
        if not isinstance(value, str):
            raise InvalidParameterValueException(f"The value of environment variable {key} must be a string.")
    reserved = [key for key in keys if key in RESERVED_ENV_KEYS]
    if reserved:
        raise InvalidParameterValueException(
            "Lambda was unable to configure your environment variables because the environment variables you have "
            "provided contains reserved keys that are currently not supported for modification. "
            f"Reserved keys used in this request: {', '.join(reserved)}"
        )
    measured = json.dumps({**plain, **secret}, separators=(",", ":"))
    if len(measured.encode()) > ENV_MAX_BYTES:
        shown = json.dumps({**plain, **dict.fromkeys(secret, mask)}, separators=(",", ":"))
        raise InvalidParameterValueException(
            "Lambda was unable to configure your environment variables because the environment variables you have "
            f"provided exceeded the 4KB limit. String measured: {shown}"
        )


def check_tracing_mode(mode: str) -> None:
    if mode not in TRACING_MODES:
        raise ValidationException(enum_failed(mode, "tracingConfig.mode", TRACING_MODES))


def check_snap_start(apply_on: str, runtime: str) -> None:
    """ApplyOn's enum, then the runtime: AWS refuses SnapStart on a runtime without it (also when the runtime of a
    SnapStart function is changed to one)."""
    if apply_on not in SNAP_START_APPLY_ON:
        raise ValidationException(enum_failed(apply_on, "snapStart.applyOn", SNAP_START_APPLY_ON))
    if apply_on == "PublishedVersions" and runtime not in SNAP_START_RUNTIMES:
        raise InvalidParameterValueException(f"{runtime} is not supported for SnapStart enabled functions.")


def check_dead_letter_target(arn: str) -> None:
    """A DLQ is an SQS queue or an SNS topic (semantics §2)."""
    parsed = parse_arn(arn)
    if not parsed or parsed.service not in {"sqs", "sns"} or not parsed.region or not parsed.account:
        # ⚠ AWS's exact wording for a non-SQS/SNS target is unconfirmed.
        raise InvalidParameterValueException(
            f"The provided DeadLetterConfig TargetArn {arn} is invalid. It must be an SQS queue or SNS topic ARN."
        )


def check_code_size(size: int) -> None:
    if size > CODE_SIZE_UNZIPPED_MAX:
        raise InvalidParameterValueException(f"Unzipped size must be smaller than {CODE_SIZE_UNZIPPED_MAX} bytes")
