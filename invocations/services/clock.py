"""The simulation clock: one speed and one pause switch for every process, remembered in the account settings."""

from __future__ import annotations

import redis
from django.db import transaction

from ..errors import InvalidParameterValueException
from ..runtime.connection import redis_client
from ..runtime.publisher import Publisher
from ..runtime.shared_clock import KEY, ClockState, SharedClock
from .account import account_settings_update

MAX_FACTOR = 3600.0  # an hour a second: beyond this, a class can no longer follow what happens


def simulation_clock_set(*, factor: float | None = None, paused: bool | None = None) -> None:
    """Change speed and/or pause; every process (web, workers, engine host) follows within a fraction of a second."""
    if factor is not None and not (0 < factor <= MAX_FACTOR):
        raise InvalidParameterValueException(f"The clock speed must be greater than 0 and at most {MAX_FACTOR:g}.")
    with transaction.atomic():
        account_settings_update(clock_factor=factor, clock_paused=paused)
        transaction.on_commit(lambda: _apply(factor, paused))


def _apply(factor: float | None, paused: bool | None) -> None:
    clock = SharedClock(redis_client())
    if factor is not None:
        clock.set_speed(factor)
    if paused is True:
        clock.pause()
    elif paused is False:
        clock.resume()
    state = clock.state(fresh=True)
    Publisher().announce("ClockChanged", factor=state.factor, paused=state.paused, sim_time=state.now())


def simulation_clock_ensure() -> ClockState:
    """The shared clock, started from the account's remembered speed if Redis has none yet (first start, flushed)."""
    client = redis_client()
    clock = SharedClock(client)
    if not client.exists(KEY):
        from ..models import AccountSettings

        account = AccountSettings.load()
        clock.set_speed(account.clock_factor)
        if account.clock_paused:
            clock.pause()
    return clock.state(fresh=True)


def simulation_clock_now() -> float | None:
    """Simulated time now (for reads such as the charts' history), or None when Redis cannot be reached."""
    try:
        return simulation_clock_ensure().now()
    except redis.RedisError:
        return None


def simulation_clock_reading() -> dict[str, float | bool] | None:
    """Simulated time, speed and pause now, for a page to start its clock before any live frame arrives (pages
    where no engine host runs get none); None when Redis cannot be reached."""
    try:
        state = simulation_clock_ensure()
    except redis.RedisError:
        return None
    return {"sim_time": state.now(), "factor": state.factor, "paused": state.paused}
