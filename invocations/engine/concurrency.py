"""Concurrency pools and throttle reasons (semantics §1, §8, §9): which counter an invocation takes, and its cap.

Model (AWS documents the pieces; the arithmetic is ours, see Registry.unreserved_capacity):
- a function with reserved concurrency R has its own pool: cap R minus its provisioned concurrency (PC counts
  towards the reservation), so R is both a floor (nobody else can take it) and a cap;
- every other function shares the unreserved pool: account limit minus all reservations minus their PC;
- provisioned concurrency is a separate counter per alias/version config, capped by the environments allocated;
  an invocation beyond it spills over to the function's on-demand pool.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import FunctionConfig

# Reason values of the 429 body (semantics §1).
ACCOUNT_LIMIT = "ConcurrentInvocationLimitExceeded"
RESERVED_LIMIT = "ReservedFunctionConcurrentInvocationLimitExceeded"
# Approximation: AWS does not document which Reason the per-function scaling limit (semantics §8) returns; we use
# the rate reasons, which are the closest match in the enum.
SCALING_LIMIT = "FunctionInvocationRateLimitExceeded"
RESERVED_SCALING_LIMIT = "ReservedFunctionInvocationRateLimitExceeded"

UNRESERVED_POOL = "unreserved"


@dataclass(frozen=True, slots=True)
class Pool:
    """The on-demand counter a function's invocations take, its cap, and the Reason when it is full."""

    key: str
    cap: int
    reason: str
    scaling_reason: str


def pool_for(fn: FunctionConfig, unreserved_capacity: int) -> Pool:
    if fn.reserved_concurrency is not None:
        cap = max(0, fn.reserved_concurrency - fn.total_provisioned)
        return Pool(f"reserved:{fn.name}", cap, RESERVED_LIMIT, RESERVED_SCALING_LIMIT)
    return Pool(UNRESERVED_POOL, max(0, unreserved_capacity), ACCOUNT_LIMIT, SCALING_LIMIT)


def throttle_body(reason: str) -> dict[str, str]:
    """The 429 TooManyRequestsException body (semantics §1)."""
    return {"Reason": reason, "Type": "User", "message": "Rate Exceeded."}
