"""The gauges the diagram draws: provisioned environments coming up, then up, and the spillover count (§9)."""

from __future__ import annotations

from types import SimpleNamespace

from invocations.engine.clock import VirtualClock
from invocations.runtime import gauges
from tests.engine.helpers import AliasConfig, VersionConfig, fixed, function, make


def host_of(sim) -> SimpleNamespace:
    """What gauges.collect reads of an EngineHost, around a real engine on a virtual clock."""
    clock: VirtualClock = sim.clock
    clock.factor, clock.paused = 1.0, False
    return SimpleNamespace(engine=sim.engine, clock=clock, pollers={}, queue_arns=[], traffic=SimpleNamespace(shed={}))


def test_provisioned_environments_show_as_provisioning_then_provisioned_and_spillover_is_counted():
    # semantics §9: Init at allocation (IN_PROGRESS), then READY; beyond it, ProvisionedConcurrencySpillover
    fn = function(
        versions={"$LATEST": VersionConfig(profile=fixed()), "1": VersionConfig(profile=fixed(100, 400))},
        aliases={"live": AliasConfig("1")},
        provisioned={"live": 2},
    )
    sim = make(fn)
    host = host_of(sim)
    assert gauges.collect(host)["environments"] == {"fn:1": {"Provisioning": 2}}
    sim.clock.run(until=1.0)
    assert gauges.collect(host)["environments"] == {"fn:1": {"Provisioned": 2}}
    for _ in range(3):
        sim.invoke("fn:live")
    collected = gauges.collect(host)
    assert collected["environments"] == {"fn:1": {"Busy": 3}}
    assert collected["spillover"] == {"fn": 1}
