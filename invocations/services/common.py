"""What every write service shares: AWS-named errors out, one transaction per call, validation via full_clean."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from ..errors import (
    InvalidParameterValueException,
    LambdaError,
    ResourceConflictException,
    error_class_for,
)
from ..models import AccountSettings
from ..models.account import SINGLETON_ID

P = ParamSpec("P")
R = TypeVar("R")


def lambda_error_from(error: ValidationError) -> LambdaError:
    """The AWS-named exception for a ValidationError: the first AWS-coded message, else all messages as
    InvalidParameterValueException (uniqueness clashes as ResourceConflictException)."""
    items: list[ValidationError] = []
    if hasattr(error, "error_dict"):
        # In the order the checks ran (field by field, then the model's clean()).
        for field_errors in error.error_dict.values():
            items.extend(field_errors)
    else:
        items = list(error.error_list)
    for item in items:
        cls = error_class_for(item.code or "")
        if cls is not None:
            return cls(_text(item))
    messages = "; ".join(_text(item) for item in items)
    if any(item.code in {"unique", "unique_together"} for item in items):
        return ResourceConflictException(messages)
    return InvalidParameterValueException(messages)


def _text(item: ValidationError) -> str:
    return str(item.message % item.params) if item.params else str(item.message)


def validated(instance: models.Model, *, exclude: list[str] | None = None) -> models.Model:
    """Run the model's full validation; refused values raise the AWS-named exception."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise lambda_error_from(error) from None
    return instance


def aws_write(func: Callable[P, R]) -> Callable[P, R]:
    """One atomic write that only ever raises AWS-named exceptions: a refused write changes nothing."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except ValidationError as error:
            raise lambda_error_from(error) from None
        except IntegrityError as error:
            # A concurrent write won the race for a unique name or slot.
            raise ResourceConflictException(
                "The operation cannot be performed at this time. The resource conflicts with another change; "
                f"retry the request. ({error.__class__.__name__})"
            ) from None

    return wrapper


def lock_account() -> AccountSettings:
    """Lock the account row so concurrent reservations are checked one at a time."""
    AccountSettings.load()
    return AccountSettings.objects.select_for_update().get(pk=SINGLETON_ID)
