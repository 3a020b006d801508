"""The one simulation clock lives in Redis; every process sees the same time, speed and pause (issue 4, point 7)."""

import time

import pytest

from invocations.runtime.shared_clock import SharedClock


@pytest.fixture
def two_processes(redis_client):
    # Two independent SharedClock objects stand for two processes sharing one Redis.
    return SharedClock(redis_client, cache_seconds=0), SharedClock(redis_client, cache_seconds=0)


def test_a_fresh_clock_starts_at_wall_time_with_speed_one(two_processes):
    web, _ = two_processes
    state = web.state()
    assert state.factor == 1.0 and not state.paused
    assert abs(state.now() - time.time()) < 1.0


def test_a_speed_change_in_one_process_is_seen_by_another(two_processes):
    web, worker = two_processes
    web.set_speed(60)
    assert worker.state().factor == 60.0
    state = worker.state()
    # 0.1 s of wall time, stepped explicitly rather than slept: x 60
    assert state.now(wall=state.anchor_wall + 0.1) - state.now(wall=state.anchor_wall) == pytest.approx(6.0)


def test_pausing_stops_time_everywhere_and_resuming_continues_without_a_jump(two_processes):
    web, worker = two_processes
    web.set_speed(10)
    paused_at = web.pause().anchor_sim
    state = worker.state()
    assert state.now(wall=state.anchor_wall + 3600) == paused_at  # an hour of wall time later, stepped explicitly
    assert worker.now() == paused_at
    resumed = worker.resume()
    assert resumed.anchor_sim == paused_at
    assert worker.now() >= paused_at


def test_time_never_runs_backwards_across_speed_changes(two_processes):
    web, worker = two_processes
    seen = [worker.now()]
    for factor in (100, 1, 0.5, 60, 1):
        web.set_speed(factor)
        seen.append(worker.now())
        time.sleep(0.01)  # the thing under test: real time passing between the speed changes
        seen.append(web.now())
    assert seen == sorted(seen)


def test_a_speed_of_zero_is_refused(two_processes):
    web, _ = two_processes
    with pytest.raises(ValueError, match="pause the clock"):
        web.set_speed(0)
