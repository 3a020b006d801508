"""The engine host's CodeDeploy driver (issue 14 point 2): once per simulated second, and never more often than
every 0.1 s of wall time, whatever the clock's speed."""

from __future__ import annotations

from invocations.runtime.host.deployments import DeploymentDriver


def test_drives_once_per_simulated_second_and_at_most_ten_times_a_wall_second():
    driven: list[float] = []
    wall = [0.0]
    driver = DeploymentDriver(advance=driven.append, wall=lambda: wall[0])
    # Clock x1: host steps every 0.25 s of wall and simulated time.
    for i in range(9):
        wall[0] = i * 0.25
        driver.step(100.0 + i * 0.25)
    assert driven == [100.0, 101.0, 102.0]
    # Clock x100: 25 simulated seconds per 0.25 s of wall, so each step drives (the wall floor is 0.1 s).
    driven.clear()
    for i in range(1, 4):
        wall[0] = 2.0 + i * 0.25
        driver.step(102.0 + i * 25)
    assert driven == [127.0, 152.0, 177.0]
    # Steps closer than 0.1 s of wall do not drive, however far the simulated clock moved.
    wall[0] += 0.05
    assert driver.step(500.0) is False
