"""Provisioned concurrency end to end on the virtual clock: Init at allocation, no Init on the invokes it serves,
spillover to on-demand with cold starts, and a real-handler executor's Init (semantics §9)."""

from __future__ import annotations

from collections.abc import Callable

from invocations.engine.config import AccountConfig, AliasConfig, FunctionConfig, VersionConfig
from invocations.engine.environments import Environment
from invocations.engine.executors import ExecutionReport
from invocations.engine.outcomes import Outcome

from .helpers import fixed, function, make


def provisioned(count: int = 1, **kw) -> FunctionConfig:
    return function(
        versions={"$LATEST": VersionConfig(profile=fixed()), "1": VersionConfig(profile=fixed(100, 400))},
        aliases={"live": AliasConfig("1")},
        provisioned={"live": count},
        **kw,
    )


def test_provisioned_environments_init_at_allocation_and_serve_without_init_spilling_over_cold():
    # semantics §9: Init runs at allocation (IN_PROGRESS until then, READY after); an invoke it serves has no
    # Init Duration and bills no Init; beyond it, on-demand with a cold start = ProvisionedConcurrencySpillover.
    sim = make(provisioned(1))
    sim.clock.run(until=1.0)
    sim.invoke("fn:live")
    sim.invoke("fn:live")
    sim.clock.run(until=2.0)
    assert sim.log() == [
        (0.0, "EnvironmentStateChanged", 1, "Initializing"),
        (0.0, "ProvisionedConcurrencyChanged", "live", 0, "IN_PROGRESS"),
        (0.4, "EnvironmentStateChanged", 1, "Ready"),
        (0.4, "ProvisionedConcurrencyChanged", "live", 1, "READY"),
        (1.0, "EnvironmentStateChanged", 2, "Initializing"),
        (1.0, "ColdStartBegan", "req-2", 2),
        (1.1, "InvocationCompleted", "req-1", "1", 1, "Success", False),
        (1.5, "InvocationCompleted", "req-2", "1", 2, "Success", True),
    ]
    served, spilled = sorted(sim.results, key=lambda r: r.request_id)
    assert (served.init_ms, served.billed_ms) == (None, 100)
    assert not any("Init Duration" in line or "INIT_START" in line for line in served.log_lines())
    assert served.log_lines()[-1].endswith("Billed Duration: 100 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\t")
    assert (spilled.init_ms, spilled.billed_ms) == (400, 500)
    assert sim.engine.spillover_invocations == {"fn": 1}


def test_invokes_before_allocation_finishes_spill_over_and_those_of_other_qualifiers_do_not_count():
    # semantics §9: while IN_PROGRESS nothing is allocated yet; $LATEST has no provisioned concurrency at all
    sim = make(provisioned(1))
    sim.invoke("fn:live")
    sim.invoke("fn")
    sim.clock.run(until=1.0)
    assert [(r.executed_version, r.cold_start) for r in sim.results] == [("$LATEST", True), ("1", True)]
    assert sim.engine.spillover_invocations == {"fn": 1}


def test_changing_what_is_not_versioned_keeps_provisioned_and_warm_environments():
    # semantics §4, §8: reserved concurrency is not versioned; the runtime rebuilds equal version configs on reload
    sim = make(provisioned(1))
    sim.invoke("fn")
    sim.clock.run(until=1.0)
    sim.engine.put_function(provisioned(1, reserved_concurrency=10))  # new objects, equal versions
    sim.invoke("fn")
    sim.invoke("fn:live")
    sim.clock.run(until=2.0)
    assert sim.log() == [
        (0.0, "EnvironmentStateChanged", 1, "Initializing"),
        (0.0, "ProvisionedConcurrencyChanged", "live", 0, "IN_PROGRESS"),
        (0.0, "EnvironmentStateChanged", 2, "Initializing"),
        (0.0, "ColdStartBegan", "req-1", 2),
        (0.35, "InvocationCompleted", "req-1", "$LATEST", 2, "Success", True),
        (0.4, "EnvironmentStateChanged", 1, "Ready"),
        (0.4, "ProvisionedConcurrencyChanged", "live", 1, "READY"),
        (1.1, "InvocationCompleted", "req-2", "$LATEST", 2, "Success", False),
        (1.1, "InvocationCompleted", "req-3", "1", 1, "Success", False),
    ]
    assert sim.engine.spillover_invocations == {}


class InitOnRequest:
    """A real-handler-like executor: Init runs when the engine asks (initialize), and ends when the test says."""

    def __init__(self, init_ms: float = 33.0) -> None:
        self.init_ms = init_ms
        self.pending: list[tuple[Environment, str, Callable[[ExecutionReport], None]]] = []
        self.jobs: list[tuple[str, bool, str]] = []

    def initialize(self, env: Environment, region: str, done: Callable[[ExecutionReport], None]) -> None:
        self.pending.append((env, region, done))

    def finish_init(self, outcome: Outcome = Outcome.SUCCESS) -> None:
        _, _, done = self.pending.pop(0)
        done(ExecutionReport(outcome, 0.0, self.init_ms, None, 40))

    def execute(self, job, done) -> None:
        self.jobs.append((job.request_id, job.cold, job.env.variables["AWS_LAMBDA_INITIALIZATION_TYPE"]))
        done(job, ExecutionReport(Outcome.SUCCESS, 5.0, self.init_ms if job.cold else None, "ok", 40))


def real_handler(count: int = 1) -> FunctionConfig:
    version = VersionConfig(executor="python", profile=fixed(5, 0))
    return function(
        versions={"$LATEST": version, "1": version},
        aliases={"live": AliasConfig("1")},
        provisioned={"live": count},
    )


def test_a_real_handlers_provisioned_environment_runs_init_through_its_executor_at_allocation():
    # semantics §9: module init at allocation; AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency, on-demand else
    executor = InitOnRequest()
    sim = make(real_handler(1), executors={"python": executor}, account=AccountConfig(region="eu-west-1"))
    sim.clock.run(until=5.0)
    assert [(env.env_id, region) for env, region, _ in executor.pending] == [(1, "eu-west-1")]
    executor.finish_init()
    sim.invoke("fn:live")
    sim.invoke("fn:live")
    sim.clock.run(until=6.0)
    assert sim.log() == [
        (0.0, "EnvironmentStateChanged", 1, "Initializing"),
        (0.0, "ProvisionedConcurrencyChanged", "live", 0, "IN_PROGRESS"),
        (5.0, "EnvironmentStateChanged", 1, "Ready"),
        (5.0, "ProvisionedConcurrencyChanged", "live", 1, "READY"),
        (5.0, "EnvironmentStateChanged", 2, "Initializing"),
        (5.0, "ColdStartBegan", "req-2", 2),
        (5.005, "InvocationCompleted", "req-1", "1", 1, "Success", False),
        (5.038, "InvocationCompleted", "req-2", "1", 2, "Success", True),
    ]
    assert executor.jobs == [("req-1", False, "provisioned-concurrency"), ("req-2", True, "on-demand")]
    assert [r.init_ms for r in sorted(sim.results, key=lambda r: r.request_id)] == [None, 33.0]


def test_a_provisioned_environment_whose_init_fails_makes_the_config_failed():
    # semantics §9: Status FAILED (AWS's StatusReason FUNCTION_ERROR_INIT_FAILURE); invokes go on-demand
    executor = InitOnRequest()
    sim = make(real_handler(1), executors={"python": executor})
    sim.clock.run(until=1.0)
    executor.finish_init(Outcome.FUNCTION_ERROR)
    sim.invoke("fn:live")
    sim.clock.run(until=2.0)
    assert sim.log()[:4] == [
        (0.0, "EnvironmentStateChanged", 1, "Initializing"),
        (0.0, "ProvisionedConcurrencyChanged", "live", 0, "IN_PROGRESS"),
        (1.0, "EnvironmentStateChanged", 1, "Reclaimed"),
        (1.0, "ProvisionedConcurrencyChanged", "live", 0, "FAILED"),
    ]
    assert [r.cold_start for r in sim.results] == [True]
    sim.registry.set_provisioned("fn", "live", 2)  # a new request tries again
    assert sim.log()[-1] == (2.0, "ProvisionedConcurrencyChanged", "live", 0, "IN_PROGRESS")
    assert len(executor.pending) == 0
    sim.clock.run(until=3.0)
    assert len(executor.pending) == 2
