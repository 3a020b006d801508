"""The host's side of the concurrency gauges (issue 13 point 1): what it reads from the engine's registry and
environments for ProvisionedConcurrentExecutions, UnreservedConcurrentExecutions and ClaimedAccountConcurrency."""

from __future__ import annotations

from invocations.engine.config import AccountConfig, VersionConfig
from invocations.engine.metrics.aggregator import LambdaMetrics
from tests.engine.helpers import fixed, function, make


def test_the_hosts_concurrency_context_reads_the_registry_arithmetic():
    # semantics §8, §9: a reservation carves R; provisioned concurrency of a function without one carves its PC.
    from invocations.engine.config import AliasConfig
    from invocations.runtime.metrics.hosting import concurrency_context

    pc = function(
        "pc",
        versions={"$LATEST": VersionConfig(profile=fixed()), "1": VersionConfig(profile=fixed())},
        aliases={"live": AliasConfig("1")},
        provisioned={"live": 3},
    )
    capped = function(
        "capped",
        versions={"$LATEST": VersionConfig(profile=fixed()), "2": VersionConfig(profile=fixed())},
        reserved_concurrency=10,
        provisioned={"2": 4},
    )
    sim = make(pc, capped, account=AccountConfig(concurrency_limit=1000))
    context = concurrency_context(sim.registry)
    assert context == {
        "qualifiers": {("pc", "1"): "live", ("capped", "2"): "2"},
        "reserved": {"capped"},
        "allocated": 13,  # 10 reserved (its PC inside) + 3 provisioned
    }


def test_provisioned_concurrent_executions_has_the_configs_resource_from_the_engines_environments():
    # DG monitoring-concurrency: emitted for each version and alias configured with provisioned concurrency.
    from invocations.engine.config import AliasConfig
    from invocations.engine.events import EnvState
    from invocations.runtime.metrics.hosting import PROVISIONED, concurrency_context

    fn = function(
        versions={"$LATEST": VersionConfig(profile=fixed()), "1": VersionConfig(profile=fixed(2000, 0))},
        aliases={"live": AliasConfig("1")},
        provisioned={"live": 2},
    )
    sim = make(fn)
    sim.clock.run(until=1.0)  # allocated
    for _ in range(3):  # two on provisioned environments, one spills over
        sim.invoke("fn:live")
    sim.clock.run(until=1.5)
    busy = [
        (env.function, env.version, env.init_type == PROVISIONED)
        for env in sim.engine.store.environments.all()
        if env.state is EnvState.BUSY
    ]
    metrics = LambdaMetrics()
    metrics.observe_concurrency(1.5, busy, **concurrency_context(sim.registry))
    second = metrics.drain()[1]
    assert second["ProvisionedConcurrentExecutions|FunctionName=fn|Resource=fn:live"].value("Maximum") == 2
    assert second["ProvisionedConcurrentExecutions|FunctionName=fn"].value("Maximum") == 2
    assert second["ConcurrentExecutions|FunctionName=fn"].value("Maximum") == 3
    assert second["UnreservedConcurrentExecutions"].value("Maximum") == 1  # the spillover
    assert second["ClaimedAccountConcurrency"].value("Maximum") == 1 + 2
