"""Reserved and provisioned concurrency arithmetic against the account's limit (semantics §8, §9)."""

from __future__ import annotations

from ..errors import InvalidParameterValueException, ResourceConflictException, ValidationException
from .messages import at_least


def unreserved(limit: int, claims: list[int]) -> int:
    """What is left for functions without a reservation: the limit minus every function's claim.

    A function's claim is its reserved concurrency, or, without one, the provisioned concurrency it holds.
    """
    return limit - sum(claims)


def check_reserved(*, requested: int, limit: int, minimum: int, other_claims: list[int], own_provisioned: int) -> None:
    """PutFunctionConcurrency: keep `minimum` unreserved, and never drop below this function's provisioned total."""
    if requested < 0:
        raise ValidationException(at_least(requested, "reservedConcurrentExecutions", 0))
    if unreserved(limit, other_claims) - requested < minimum:
        raise InvalidParameterValueException(
            "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution "
            f"below its minimum value of [{minimum}]."
        )
    if own_provisioned > requested:
        # AWS's text, leading and doubled spaces included.
        raise InvalidParameterValueException(
            f" ReservedConcurrentExecutions  {requested} should not be lower than function's total provisioned "
            f"concurrency [{own_provisioned}]."
        )


def check_provisioned(
    *,
    requested: int,
    limit: int,
    minimum: int,
    reserved: int | None,
    own_other_provisioned: int,
    other_claims: list[int],
) -> None:
    """PutProvisionedConcurrencyConfig: within the function's reservation, or within the account's unreserved pool."""
    if requested < 1:
        raise ValidationException(at_least(requested, "provisionedConcurrentExecutions", 1))
    if reserved is not None and reserved < own_other_provisioned + requested:
        raise InvalidParameterValueException(
            "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function"
        )
    if requested > limit:
        raise InvalidParameterValueException(
            f"Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [{limit}]."
        )
    # Provisioned concurrency of a function without a reservation comes out of the unreserved pool.
    if reserved is None and unreserved(limit, other_claims) - own_other_provisioned - requested < minimum:
        raise InvalidParameterValueException(
            "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below "
            f"its minimum value of [{minimum}]."
        )


def check_one_config_per_version(*, via_alias: bool, version_already_provisioned: bool) -> None:
    """One provisioned concurrency config per version, whether set on the version or on an alias to it."""
    if not version_already_provisioned:
        return
    if via_alias:
        raise ResourceConflictException(
            "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version"
        )
    raise ResourceConflictException("Version is pointed by a Provisioned Concurrency alias")
