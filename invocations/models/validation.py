"""Bridges pure AWS rules and Django validation: a refused rule becomes a ValidationError coded with its type."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from ..errors import LambdaError

# The code (e.g. "ValidationException") lets forms show AWS's message and lets services raise the AWS exception again.


def as_validation_error(error: LambdaError, field: str | None = None) -> ValidationError:
    """A ValidationError carrying AWS's message, coded with the AWS error type (and for `field` when given)."""
    error_item = ValidationError(error.message, code=error.error_type)
    return ValidationError({field: [error_item]}) if field else error_item


@contextmanager
def aws_rule(field: str | None = None):
    """Run a pure rule inside `clean()`: its AWS exception becomes a coded ValidationError."""
    try:
        yield
    except LambdaError as error:
        raise as_validation_error(error, field) from None


class RuleChecks:
    """Collects refused rules per field, in the order they were checked, for one `clean()`.

    checks = RuleChecks()
    with checks.rule("memory_size"):
        rules.check_memory_size(self.memory_size)
    checks.raise_any()
    """

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    @contextmanager
    def rule(self, field: str | None = None):
        try:
            yield
        except LambdaError as error:
            key = field or NON_FIELD_ERRORS
            self.errors.setdefault(key, []).append(ValidationError(error.message, code=error.error_type))

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
