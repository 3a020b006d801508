"""The simulation clock service: speed and pause reach the shared clock and are remembered (issue 4, point 7)."""

import pytest

from invocations.errors import InvalidParameterValueException
from invocations.models import AccountSettings
from invocations.runtime.shared_clock import SharedClock
from invocations.services import simulation_clock_ensure, simulation_clock_set
from invocations.services.clock import simulation_clock_reading

pytestmark = pytest.mark.django_db(transaction=True)


def test_changing_speed_and_pausing_reaches_the_shared_clock_and_the_account(redis_client):
    simulation_clock_set(factor=60)
    assert SharedClock(redis_client).state(fresh=True).factor == 60.0
    simulation_clock_set(paused=True)
    state = SharedClock(redis_client).state(fresh=True)
    assert state.paused and state.factor == 60.0
    account = AccountSettings.load()
    assert (account.clock_factor, account.clock_paused) == (60.0, True)


@pytest.mark.parametrize("factor", [0, -1, 100_000])
def test_an_impossible_speed_is_refused_and_changes_nothing(redis_client, factor):
    simulation_clock_set(factor=10)
    with pytest.raises(InvalidParameterValueException, match="clock speed"):
        simulation_clock_set(factor=factor)
    assert AccountSettings.load().clock_factor == 10.0
    assert SharedClock(redis_client).state(fresh=True).factor == 10.0


def test_a_fresh_redis_starts_the_clock_at_the_remembered_speed(redis_client):
    simulation_clock_set(factor=30, paused=True)
    redis_client.flushdb()
    state = simulation_clock_ensure()
    assert state.factor == 30.0 and state.paused


def test_a_page_reads_the_time_speed_and_pause_it_starts_its_clock_from(redis_client, settings):
    simulation_clock_set(factor=5, paused=True)
    reading = simulation_clock_reading()
    assert reading == {"sim_time": SharedClock(redis_client).state(fresh=True).now(), "factor": 5.0, "paused": True}
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there: the page renders without a clock time
    assert simulation_clock_reading() is None
