"""Engine-wide knobs: the places where AWS is unspecified (⚠) or where a demo wants a different pace."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EngineOptions:
    # Idle environments are reclaimed after this long. AWS does not document it (semantics §9 ⚠; community 5-15 min).
    keep_alive_s: float = 600.0
    # Since 1 Aug 2025 AWS bills the on-demand INIT phase (semantics §9 ⚠ exact REPORT arithmetic unverified).
    # True: Billed Duration = ceil(Duration + Init Duration) on cold starts; False: the pre-Aug-2025 rule.
    bill_init_phase: bool = True
    # At-least-once (semantics §2): chance that an async event is invoked twice, or a DLQ/destination message is sent
    # twice. 0 keeps tests exact; a demo may set 0.001 to show duplicates (each one emits DuplicateDelivered).
    duplicate_probability: float = 0.0
    # Waits before the 1st and 2nd retry of a function error ("~1 min, ~2 min", semantics §2 ⚠ exact timing).
    function_error_retry_delays_s: tuple[float, ...] = (60.0, 120.0)
    # Throttles and service errors: exponential backoff from 1 s, capped at 5 min (semantics §2).
    throttle_backoff_initial_s: float = 1.0
    throttle_backoff_max_s: float = 300.0
    # Latency of Lambda's internal async poller between acceptance and the first attempt.
    async_poll_delay_s: float = 0.0
    # Events taken from the async queue per poll (a Redis queue pops them in one round trip).
    async_batch: int = 1000
    # AWS starts allocating provisioned concurrency after 1-2 min (semantics §9 ⚠); 0 starts at once.
    provisioned_allocation_delay_s: float = 0.0
    # Chance that Lambda itself fails an invoke with 500 ServiceException (teaching retries); 0 by default.
    service_error_rate: float = 0.0
    # Unix time of clock time 0, for ISO timestamps in invocation records (0 when the clock already counts epoch s).
    epoch: float = 0.0
