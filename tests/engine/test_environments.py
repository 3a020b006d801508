"""Execution environments: cold start, warm reuse, keep-alive, reset, provisioned (semantics §9)."""

from __future__ import annotations

from invocations.engine.config import AliasConfig, VersionConfig
from invocations.engine.events import (
    ColdStartBegan,
    EnvironmentStateChanged,
    InvocationCompleted,
    ProvisionedConcurrencyChanged,
)
from invocations.engine.executors import ExecutionReport
from invocations.engine.options import EngineOptions
from invocations.engine.outcomes import Outcome

from .helpers import fixed, function, make


def test_a_cold_start_runs_init_then_the_next_invocation_reuses_the_warm_environment():
    # semantics §9: Init then Invoke; frozen after invoke, thawed on next
    sim = make(function(profile=fixed(100, 250)))
    sim.invoke()
    sim.clock.run(until=1.0)
    sim.invoke()
    sim.clock.run(until=2.0)
    assert sim.log() == [
        (0.0, "EnvironmentStateChanged", 1, "Initializing"),
        (0.0, "ColdStartBegan", "req-1", 1),
        (0.35, "InvocationCompleted", "req-1", "$LATEST", 1, "Success", True),
        (1.1, "InvocationCompleted", "req-2", "$LATEST", 1, "Success", False),
    ]
    assert [(r.init_ms, r.duration_ms) for r in sim.results] == [(250.0, 100.0), (None, 100.0)]


def test_concurrent_invocations_each_get_their_own_environment():
    # semantics §9: one invocation per environment at a time
    sim = make(function())
    sim.invoke(), sim.invoke()
    sim.clock.run(until=1.0)
    assert sorted(e.env_id for e in sim.events(InvocationCompleted)) == [1, 2]


def test_an_idle_environment_is_reclaimed_after_the_keep_alive_and_the_next_invoke_is_cold():
    # semantics §9: idle lifetime undocumented (⚠) -> EngineOptions.keep_alive_s
    sim = make(function(profile=fixed(100, 0)), options=EngineOptions(keep_alive_s=60))
    sim.invoke()
    sim.clock.run(until=30)
    sim.invoke()  # reuse at 30 s pushes expiry to 90.1 s
    sim.clock.run(until=80)
    assert sim.log(EnvironmentStateChanged) == [(0.0, "EnvironmentStateChanged", 1, "Initializing")]
    sim.clock.run(until=100)
    assert sim.log(EnvironmentStateChanged)[1:] == [(90.1, "EnvironmentStateChanged", 1, "Reclaimed")]
    sim.invoke()
    assert sim.log(ColdStartBegan)[-1] == (100.0, "ColdStartBegan", "req-3", 2)


def test_a_timeout_resets_the_environment_and_its_next_invoke_runs_init_again():
    # semantics §9: crash/timeout in Invoke resets the environment; §11: a timeout is a function error
    sim = make(function(profile=fixed(100, 200, timeout_rate=1.0), timeout_s=1.0))
    sim.invoke()
    sim.clock.run(until=2.0)
    sim.invoke()
    sim.clock.run(until=4.0)
    assert sim.log() == [
        (0.0, "EnvironmentStateChanged", 1, "Initializing"),
        (0.0, "ColdStartBegan", "req-1", 1),
        (1.2, "EnvironmentStateChanged", 1, "Reset"),
        (1.2, "InvocationCompleted", "req-1", "$LATEST", 1, "Timeout", True),
        (2.0, "ColdStartBegan", "req-2", 1),
        (3.2, "EnvironmentStateChanged", 1, "Reset"),
        (3.2, "InvocationCompleted", "req-2", "$LATEST", 1, "Timeout", True),
    ]


class CrashOnce:
    """An executor that reports a crash (Runtime.ExitError) first, then succeeds."""

    def __init__(self):
        self.calls = 0

    def execute(self, job, done):
        self.calls += 1
        init = 50.0 if job.cold else None
        if self.calls == 1:
            body = {
                "errorType": "Runtime.ExitError",
                "errorMessage": f"RequestId: {job.request_id} Error: Runtime exited without providing a reason",
            }
            done(job, ExecutionReport(Outcome.FUNCTION_ERROR, 10.0, init, body, 30, reset=True))
        else:
            done(job, ExecutionReport(Outcome.SUCCESS, 10.0, init, "ok", 30))


def test_a_crash_resets_the_environment_which_keeps_its_id_and_runs_init_on_the_next_invoke():
    # semantics §9: crash resets the environment (/tmp kept, so the same environment)
    fn = function(versions={"$LATEST": VersionConfig(executor="crashy")})
    sim = make(fn, executors={"crashy": CrashOnce()})
    sim.invoke()
    sim.clock.run(until=1.0)
    sim.invoke()
    sim.clock.run(until=2.0)
    assert sim.log() == [
        (0.0, "EnvironmentStateChanged", 1, "Initializing"),
        (0.0, "ColdStartBegan", "req-1", 1),
        (0.06, "EnvironmentStateChanged", 1, "Reset"),
        (0.06, "InvocationCompleted", "req-1", "$LATEST", 1, "FunctionError", True),
        (1.0, "ColdStartBegan", "req-2", 1),
        (1.06, "InvocationCompleted", "req-2", "$LATEST", 1, "Success", True),
    ]
    assert sim.results[0].payload["errorType"] == "Runtime.ExitError"


def test_a_function_error_does_not_reset_the_environment():
    # semantics §9: only crash/timeout reset; a raised exception is caught by the runtime
    sim = make(function(profile=fixed(100, 0, error_rate=1.0)))
    sim.invoke()
    sim.clock.run(until=1.0)
    sim.invoke()
    sim.clock.run(until=2.0)
    assert [r.cold_start for r in sim.results] == [True, False]
    assert all(e.state != "Reset" for e in sim.events(EnvironmentStateChanged))


def pc_function(count: int = 2):
    return function(
        versions={"$LATEST": VersionConfig(profile=fixed()), "1": VersionConfig(profile=fixed(100, 400))},
        aliases={"live": AliasConfig("1")},
        provisioned={"live": count},
    )


def test_provisioned_environments_initialise_ahead_of_time_with_their_initialization_type():
    # semantics §9: AWS_LAMBDA_INITIALIZATION_TYPE = provisioned-concurrency; Status IN_PROGRESS -> READY
    sim = make(pc_function(2))
    sim.clock.run(until=1.0)
    assert sim.log(EnvironmentStateChanged, ProvisionedConcurrencyChanged) == [
        (0.0, "EnvironmentStateChanged", 1, "Initializing"),
        (0.0, "EnvironmentStateChanged", 2, "Initializing"),
        (0.0, "ProvisionedConcurrencyChanged", "live", 0, "IN_PROGRESS"),
        (0.4, "EnvironmentStateChanged", 1, "Ready"),
        (0.4, "EnvironmentStateChanged", 2, "Ready"),
        (0.4, "ProvisionedConcurrencyChanged", "live", 2, "READY"),
    ]
    envs = sim.engine.live_environments("fn")
    assert {e.variables["AWS_LAMBDA_INITIALIZATION_TYPE"] for e in envs} == {"provisioned-concurrency"}
    assert {e.init_type for e in envs} == {"provisioned-concurrency"}


def test_on_demand_environments_say_on_demand():
    # semantics §9
    sim = make(function())
    sim.invoke()
    (env,) = sim.engine.live_environments()
    assert env.variables["AWS_LAMBDA_INITIALIZATION_TYPE"] == "on-demand"
    assert env.variables["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST"


def test_provisioned_environments_are_not_reclaimed_when_idle():
    # semantics §9: PC environments stay initialised (recycling every few hours is not modelled)
    sim = make(pc_function(1), options=EngineOptions(keep_alive_s=60))
    sim.clock.run(until=1000)
    assert [e.state for e in sim.engine.live_environments()] == ["Ready"]


def test_lowering_provisioned_concurrency_reclaims_environments():
    # semantics §9: PC environments follow the requested count
    sim = make(pc_function(2))
    sim.clock.run(until=1.0)
    sim.registry.set_provisioned("fn", "live", 1)
    assert sim.log(EnvironmentStateChanged, ProvisionedConcurrencyChanged)[-2:] == [
        (1.0, "EnvironmentStateChanged", 1, "Reclaimed"),
        (1.0, "ProvisionedConcurrencyChanged", "live", 1, "READY"),
    ]
    assert len(sim.engine.live_environments()) == 1


def test_moving_a_provisioned_alias_to_another_version_reprovisions():
    # semantics §9: PC belongs to the version the alias points at
    fn = pc_function(1)
    fn.versions["2"] = VersionConfig(profile=fixed(100, 400))
    sim = make(fn)
    sim.clock.run(until=1.0)
    sim.registry.set_alias("fn", "live", AliasConfig("2"))
    sim.clock.run(until=2.0)
    live = sim.engine.live_environments()
    assert [(e.version, e.state, e.init_type) for e in live] == [("2", "Ready", "provisioned-concurrency")]


def test_updating_a_versions_configuration_retires_its_warm_environments():
    # semantics §4: $LATEST is editable; new code means new environments
    sim = make(function())
    sim.invoke()
    sim.clock.run(until=1.0)
    sim.registry.update("fn", versions={"$LATEST": VersionConfig(profile=fixed(50, 10))})
    sim.invoke()
    sim.clock.run(until=2.0)
    assert [r.cold_start for r in sim.results] == [True, True]
    assert (1.0, "EnvironmentStateChanged", 1, "Reclaimed") in sim.log(EnvironmentStateChanged)


def test_deleting_a_function_reclaims_its_environments():
    sim = make(function(), function("other"))
    sim.invoke()
    sim.clock.run(until=1.0)
    sim.registry.remove("fn")
    assert sim.engine.live_environments() == []


def test_provisioned_allocation_can_start_after_a_delay():
    # semantics §9: "Allocation starts after 1-2 min" (⚠) -> EngineOptions.provisioned_allocation_delay_s
    sim = make(pc_function(1), options=EngineOptions(provisioned_allocation_delay_s=60))
    sim.clock.run(until=100)
    assert sim.log(ProvisionedConcurrencyChanged) == [
        (0.0, "ProvisionedConcurrencyChanged", "live", 0, "IN_PROGRESS"),
        (60.4, "ProvisionedConcurrencyChanged", "live", 1, "READY"),
    ]
