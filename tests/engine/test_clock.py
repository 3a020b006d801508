"""The virtual clock and the paced real-time clock (issue 3, point 1; DESIGN "Time")."""

from __future__ import annotations

import pytest

from invocations.engine.clock import RealtimeClock, VirtualClock


class FakeWall:
    """A controllable wall clock for RealtimeClock."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_callbacks_run_in_time_then_priority_then_scheduling_order():
    clock, log = VirtualClock(), []
    clock.schedule(2.0, lambda: log.append(("b", clock.now())))
    clock.schedule(1.0, lambda: log.append(("late-priority", clock.now())), priority=1)
    clock.schedule(1.0, lambda: log.append(("first", clock.now())))
    clock.schedule(1.0, lambda: log.append(("second", clock.now())))
    clock.run()
    assert log == [("first", 1.0), ("second", 1.0), ("late-priority", 1.0), ("b", 2.0)]


def test_run_until_stops_before_later_callbacks_and_leaves_the_clock_at_until():
    clock, log = VirtualClock(), []
    clock.schedule(1.0, lambda: log.append(1))
    clock.schedule(5.0, lambda: log.append(5))
    clock.run(until=3.0)
    assert (log, clock.now(), clock.pending()) == ([1], 3.0, 1)
    clock.advance(2.0)
    assert (log, clock.now()) == ([1, 5], 5.0)


def test_a_cancelled_callback_never_runs_and_is_not_pending():
    clock, log = VirtualClock(), []
    handle = clock.schedule(1.0, lambda: log.append("x"))
    handle.cancel()
    assert clock.pending() == 0 and clock.peek() is None
    clock.run()
    assert log == []


def test_call_later_passes_its_argument_and_keeps_order_with_scheduled_callbacks():
    clock, log = VirtualClock(), []
    clock.call_later(1.0, log.append, "arg")
    clock.schedule(1.0, lambda: log.append("plain"))
    clock.run()
    assert log == ["arg", "plain"]


def test_negative_delays_are_rejected_and_schedule_at_in_the_past_runs_now():
    clock = VirtualClock(10.0)
    with pytest.raises(ValueError):
        clock.schedule(-1, lambda: None)
    ran = []
    clock.schedule_at(5.0, lambda: ran.append(clock.now()))
    clock.run()
    assert ran == [10.0]


def test_realtime_clock_scales_wall_time_by_its_speed_factor():
    wall = FakeWall()
    clock = RealtimeClock(factor=60, wall=wall)
    wall.t += 1.0
    assert clock.now() == pytest.approx(60.0)


def test_pause_freezes_simulated_time_and_resume_continues_without_a_jump():
    wall = FakeWall()
    clock = RealtimeClock(factor=10, wall=wall)
    wall.t += 1.0
    clock.pause()
    wall.t += 100.0
    assert clock.paused and clock.now() == pytest.approx(10.0)
    clock.resume()
    assert clock.now() == pytest.approx(10.0)
    wall.t += 0.5
    assert clock.now() == pytest.approx(15.0)


def test_a_speed_change_on_the_fly_keeps_time_continuous():
    wall = FakeWall()
    clock = RealtimeClock(factor=1, wall=wall)
    wall.t += 2.0
    clock.set_speed(60)
    assert clock.now() == pytest.approx(2.0) and clock.factor == 60
    wall.t += 1.0
    assert clock.now() == pytest.approx(62.0)
    with pytest.raises(ValueError):
        clock.set_speed(0)


def test_run_due_runs_only_callbacks_whose_simulated_time_has_come():
    wall = FakeWall()
    clock = RealtimeClock(factor=10, wall=wall)
    log = []
    clock.schedule(5.0, lambda: log.append(5))
    clock.schedule(20.0, lambda: log.append(20))
    wall.t += 0.6  # 6 simulated seconds
    assert clock.run_due() == 1 and log == [5]
    assert clock.seconds_until_next() == pytest.approx(1.4)  # 14 simulated s at x10
    clock.pause()
    assert clock.seconds_until_next() is None
    wall.t += 10
    assert clock.run_due() == 0
    clock.resume()
    wall.t += 1.4
    assert clock.run_due() == 1 and log == [5, 20]


def test_realtime_delays_count_from_the_live_simulated_time():
    wall = FakeWall()
    clock = RealtimeClock(factor=2, wall=wall)
    wall.t += 5.0  # simulated 10
    handle = clock.schedule(1.0, lambda: None)
    at = clock.schedule_at(12.0, lambda: None)
    assert handle.at == pytest.approx(11.0) and at.at == pytest.approx(12.0)


def test_a_realtime_clock_can_follow_another_clocks_anchors():
    wall = [100.0]
    clock = RealtimeClock(factor=1.0, start=0.0, wall=lambda: wall[0])
    clock.follow(anchor_sim=5_000.0, anchor_wall=100.0, factor=60.0, paused=False)
    wall[0] = 101.0
    assert clock.now() == 5_060.0
    clock.follow(anchor_sim=5_060.0, anchor_wall=101.0, factor=60.0, paused=True)
    wall[0] = 200.0
    assert clock.now() == 5_060.0 and clock.paused
