"""What every CodeDeploy service shares: one transaction per write with AWS's errors out, AWS's name rules, and
list paging with an opaque nextToken."""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable, Sequence
from typing import ParamSpec, TypeVar

from django.db import IntegrityError, transaction

from . import codedeploy_errors as errors

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
NAME_MAX = 100  # applications, deployment groups and deployment configs alike
PAGE = 100


def codedeploy_write(*, conflict: type[errors.CodeDeployError]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """One atomic write: a refused write changes nothing, and a concurrent write that wins the race for a unique
    name answers `conflict` (the AlreadyExists error of the entity)."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                with transaction.atomic():
                    return func(*args, **kwargs)
            except IntegrityError:
                raise conflict() from None

        return wrapper

    return decorate


def checked_name(
    value: object, *, required: type[errors.CodeDeployError], invalid: type[errors.CodeDeployError]
) -> str:
    """A name as AWS takes it: missing or empty is `required`, not a string or over 100 characters `invalid`."""
    if value is None or value == "":
        raise required()
    if not isinstance(value, str) or len(value) > NAME_MAX:
        raise invalid()
    return value


def page(items: Sequence[T], *, next_token: str | None) -> tuple[list[T], str | None]:
    """One page of `items` from `next_token` on, and the token of the next page (None on the last)."""
    start = 0
    if next_token:
        try:
            start = int(base64.urlsafe_b64decode(next_token.encode()).decode())
        except (ValueError, UnicodeDecodeError):
            raise errors.InvalidNextTokenException() from None
        if not 0 <= start <= len(items):
            raise errors.InvalidNextTokenException()
    end = start + PAGE
    token = base64.urlsafe_b64encode(str(end).encode()).decode() if end < len(items) else None
    return list(items[start:end]), token
