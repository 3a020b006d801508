"""The real Engine on a real-time clock with PythonExecutor as its "python" executor: the host loop in miniature
(run what is due on the clock, then poll the executor), and the CloudWatch lines a student sees."""

from __future__ import annotations

import math
import random
import time

import pytest

from invocations.engine.clock import RealtimeClock
from invocations.engine.config import AliasConfig, FunctionConfig
from invocations.engine.events import (
    ColdStartBegan,
    EnvironmentStateChanged,
    EnvState,
    ListSink,
    ProvisionedConcurrencyChanged,
)
from invocations.engine.options import EngineOptions
from invocations.engine.outcomes import Outcome
from invocations.engine.simulator import Engine
from invocations.runtime.python_executor import PythonExecutor
from tests.conftest import eventually

HELLO = """
import time
time.sleep(0.05)  # a module-level Init that takes a measurable while
print("module loaded")
def handler(event, context):
    print("hello from the handler", event["n"])
    if event.get("sleep"):
        time.sleep(event["sleep"])  # the thing under test: a handler that takes real time
    return {"n": event["n"]}
"""


class Both:
    """The host's Fanout in miniature: the test's ListSink, then the executor (which stops reclaimed envs)."""

    def __init__(self, *sinks) -> None:
        self.sinks = sinks

    def emit(self, event) -> None:
        for sink in self.sinks:
            sink.emit(event)


@pytest.fixture
def live(lam):
    executor = PythonExecutor(max_processes=4)
    events = ListSink()
    clock = RealtimeClock(factor=1.0)
    engine = Engine(
        clock,
        random.Random(7),
        sink=Both(events, executor),
        executors={"python": executor},
        options=EngineOptions(keep_alive_s=0.5),
    )
    engine.put_function(FunctionConfig("hello", versions={"$LATEST": lam.config(HELLO, timeout_s=0.5)}))
    yield engine, executor, events
    executor.close()


def step_until(engine: Engine, executor: PythonExecutor, done, timeout: float = 10.0) -> None:
    """One host step = clock.run_due() + executor.poll(); repeat until `done()`."""

    def stepped() -> bool:
        if done():  # already: no step
            return True
        engine.clock.run_due()
        executor.poll(wait=0.005)
        return done()

    eventually(stepped, timeout=timeout, interval=0, what="the engine to finish")


def invoke(engine: Engine, executor: PythonExecutor, payload: dict):
    results = []
    engine.invoke_sync("hello", payload, on_complete=results.append)
    step_until(engine, executor, lambda: results)
    return results[0]


def test_the_cold_invoke_shows_init_duration_and_the_warm_one_does_not(live):
    # semantics §9: INIT_START and Init Duration on the cold start only; output between START and END
    engine, executor, events = live
    cold = invoke(engine, executor, {"n": 1})
    warm = invoke(engine, executor, {"n": 2})
    assert (cold.outcome, cold.payload, warm.payload) == (Outcome.SUCCESS, {"n": 1}, {"n": 2})
    assert (cold.cold_start, warm.cold_start) == (True, False)

    lines = cold.log_lines()
    assert lines[0].startswith("INIT_START Runtime Version: python:3.13")
    assert lines[1] == f"START RequestId: {cold.request_id} Version: $LATEST"
    assert lines[2:4] == ["module loaded", "hello from the handler 1"]
    assert lines[4] == f"END RequestId: {cold.request_id}"
    assert lines[5].startswith(f"REPORT RequestId: {cold.request_id}\tDuration: ")
    assert "\tMemory Size: 128 MB\tMax Memory Used: " in lines[5]
    assert "\tInit Duration: " in lines[5]
    assert cold.init_ms >= 50

    lines = warm.log_lines()
    assert lines[0] == f"START RequestId: {warm.request_id} Version: $LATEST"
    assert len(lines) == 4
    assert lines[1:3] == ["hello from the handler 2", f"END RequestId: {warm.request_id}"]
    assert lines[3].startswith(f"REPORT RequestId: {warm.request_id}\tDuration: ")
    assert "Init Duration" not in lines[3]
    assert warm.init_ms is None
    assert len(events.of_type(ColdStartBegan)) == 1


def test_a_timeout_through_the_engine_resets_the_environment_and_the_next_invoke_is_cold(live):
    # semantics §1, §11: Sandbox.Timedout "Task timed out after 0.50 seconds"; §9: the env resets
    engine, executor, events = live
    invoke(engine, executor, {"n": 1})
    timed_out = invoke(engine, executor, {"n": 2, "sleep": 5})
    assert timed_out.outcome is Outcome.TIMEOUT
    assert timed_out.payload == {
        "errorType": "Sandbox.Timedout",
        "errorMessage": f"RequestId: {timed_out.request_id} Error: Task timed out after 0.50 seconds",
    }
    assert f"{timed_out.request_id} Task timed out after 0.50 seconds" in timed_out.log_lines()
    assert [e.state for e in events.of_type(EnvironmentStateChanged)] == [EnvState.INITIALIZING, EnvState.RESET]
    after = invoke(engine, executor, {"n": 3})
    assert after.cold_start is True and after.init_ms is not None
    assert after.log_lines()[0].startswith("INIT_START")


def test_a_reclaimed_environment_stops_its_process(live):
    # semantics §9: after the keep-alive (0.5 s here) the environment is reclaimed and shut down
    engine, executor, events = live
    invoke(engine, executor, {"n": 1})
    assert executor.stats()["processes"] == 1
    step_until(engine, executor, lambda: events.of_type(EnvironmentStateChanged)[-1].state is EnvState.RECLAIMED)
    step_until(engine, executor, lambda: executor.stats()["processes"] == 0)
    again = invoke(engine, executor, {"n": 2})
    assert again.cold_start is True and again.init_ms is not None


PROVISIONED = """
import os, time
INIT_TYPE = os.environ["AWS_LAMBDA_INITIALIZATION_TYPE"]
STARTED = time.time()  # module init: when the environment was allocated, not when it was invoked
print("module loaded")
def handler(event, context):
    return {"init_type": INIT_TYPE, "started": STARTED}
"""


def test_a_provisioned_real_handler_imports_its_module_at_allocation_and_serves_without_init(lam):
    # semantics §9: Init at allocation (IN_PROGRESS until then), invokes without Init Duration or billed Init,
    # AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency; spillover is on-demand with a cold start

    executor = PythonExecutor(max_processes=4)
    events = ListSink()
    engine = Engine(RealtimeClock(factor=1.0), random.Random(7), sink=Both(events, executor),
                    executors={"python": executor})  # fmt: skip
    try:
        version = lam.config(PROVISIONED, timeout_s=2.0)
        engine.put_function(
            FunctionConfig(
                "hello", versions={"$LATEST": version, "1": version}, aliases={"live": AliasConfig("1")},
                provisioned={"live": 1},
            )
        )  # fmt: skip
        step_until(engine, executor, lambda: events.of_type(ProvisionedConcurrencyChanged)[-1].status == "READY")
        allocated_at = time.time()
        assert executor.stats()["processes"] == 1
        assert [e.state for e in events.of_type(EnvironmentStateChanged)] == [EnvState.INITIALIZING, EnvState.READY]
        assert [e.status for e in events.of_type(ProvisionedConcurrencyChanged)] == ["IN_PROGRESS", "READY"]

        results = []
        engine.invoke_sync("hello:live", {}, on_complete=results.append)
        engine.invoke_sync("hello:live", {}, on_complete=results.append)
        step_until(engine, executor, lambda: len(results) == 2)
        served, spilled = sorted(results, key=lambda r: r.cold_start)
        assert served.payload["init_type"] == "provisioned-concurrency"
        assert served.payload["started"] < allocated_at  # the module ran before the invoke
        assert (served.cold_start, served.init_ms) == (False, None)
        assert not any("INIT_START" in line or "Init Duration" in line for line in served.log_lines())
        assert "module loaded" not in served.log_lines()
        assert served.billed_ms == max(1, math.ceil(served.duration_ms))
        assert spilled.payload["init_type"] == "on-demand"
        assert spilled.cold_start and spilled.init_ms > 0
        assert "\tInit Duration: " in spilled.log_lines()[-1]
        assert engine.spillover_invocations == {"hello": 1}
    finally:
        executor.close()


def test_a_provisioned_real_handler_whose_module_fails_to_import_makes_the_config_failed(lam):
    # semantics §9: Status FAILED; invokes then run on-demand

    executor = PythonExecutor(max_processes=2)
    events = ListSink()
    engine = Engine(RealtimeClock(factor=1.0), random.Random(7), sink=Both(events, executor),
                    executors={"python": executor})  # fmt: skip
    try:
        version = lam.config("raise RuntimeError('no database')\ndef handler(e, c):\n    return 1\n")
        engine.put_function(
            FunctionConfig(
                "broken", versions={"$LATEST": version, "1": version}, aliases={"live": AliasConfig("1")},
                provisioned={"live": 1},
            )
        )  # fmt: skip
        step_until(engine, executor, lambda: events.of_type(ProvisionedConcurrencyChanged)[-1].status == "FAILED")
        assert [e.state for e in events.of_type(EnvironmentStateChanged)] == [
            EnvState.INITIALIZING,
            EnvState.RECLAIMED,
        ]
        step_until(engine, executor, lambda: executor.stats()["processes"] == 0)
    finally:
        executor.close()
