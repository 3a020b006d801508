"""The modelled executor and the Executor protocol (DESIGN "Function behaviour"; semantics §1, §9, §11)."""

from __future__ import annotations

import base64
import json
import statistics

import pytest

from invocations.engine.config import VersionConfig
from invocations.engine.executors import ExecutionReport
from invocations.engine.matching import matching_records
from invocations.engine.outcomes import Outcome
from invocations.engine.profile import BehaviourProfile
from invocations.engine.simulator import InvokeRequest

from .helpers import fixed, function, make


def run_many(profile: BehaviourProfile, n: int, payload=None, seed: int = 5, **fn_kw):
    sim = make(function(profile=profile, **fn_kw), seed=seed)
    for i in range(n):
        sim.invoke(payload=payload if payload is not None else {"i": i})
        sim.clock.run()
    return sim.results


def test_durations_follow_the_profiles_distribution():
    profile = BehaviourProfile.from_dict({"duration_ms": {"mean": 120, "stddev": 30}, "init_ms": 0})
    durations = [r.duration_ms for r in run_many(profile, 2000)]
    assert statistics.mean(durations) == pytest.approx(120, abs=3)
    assert statistics.stdev(durations) == pytest.approx(30, abs=3)
    assert min(durations) >= 0.1


def test_the_error_rate_produces_unhandled_errors_with_the_python_error_body():
    # semantics §1: Python 3.11+ body {"errorMessage","errorType","requestId","stackTrace"}; Unhandled
    results = run_many(fixed(10, 0, error_rate=0.25, error_type="ValueError", error_message="bad"), 2000)
    errors = [r for r in results if r.outcome is Outcome.FUNCTION_ERROR]
    assert len(errors) / len(results) == pytest.approx(0.25, abs=0.04)
    first = errors[0]
    assert (first.status_code, first.function_error) == (200, "Unhandled")
    assert set(first.payload) == {"errorMessage", "errorType", "requestId", "stackTrace"}
    assert (first.payload["errorType"], first.payload["errorMessage"], first.payload["requestId"]) == (
        "ValueError",
        "bad",
        first.request_id,
    )


def test_the_timeout_rate_produces_timeouts_lasting_the_function_timeout():
    # semantics §11: timeout = function error (Unhandled, Sandbox.Timedout)
    results = run_many(fixed(10, 0, timeout_rate=0.3), 1000, timeout_s=2.0)
    timeouts = [r for r in results if r.outcome is Outcome.TIMEOUT]
    assert len(timeouts) / len(results) == pytest.approx(0.3, abs=0.05)
    assert {r.duration_ms for r in timeouts} == {2000.0}


def test_a_duration_beyond_the_function_timeout_is_a_timeout():
    # semantics §11: the function timeout bounds Invoke
    (result,) = run_many(fixed(1500, 0), 1, timeout_s=1.0)
    assert (result.outcome, result.duration_ms) == (Outcome.TIMEOUT, 1000.0)


def test_fail_when_matches_the_payload():
    profile = fixed(10, 0, fail_when=[{"path": "order.poison", "equals": True}])
    ok, bad = run_many(profile, 1, {"order": {"poison": False}}) + run_many(profile, 1, {"order": {"poison": True}})
    assert (ok.outcome, bad.outcome) == (Outcome.SUCCESS, Outcome.FUNCTION_ERROR)


def kinesis_record(data: dict) -> dict:
    return {"eventSource": "aws:kinesis", "kinesis": {"data": base64.b64encode(json.dumps(data).encode()).decode()}}


@pytest.mark.parametrize(
    "record",
    [
        {"poison": True},
        kinesis_record({"poison": True}),
        {"eventSource": "aws:sqs", "body": json.dumps({"poison": True})},
        {"EventSource": "aws:sns", "Sns": {"Message": json.dumps({"poison": True})}},
    ],
    ids=["plain", "kinesis-base64", "sqs-body", "sns-message"],
)
def test_fail_when_matches_any_record_of_a_batch_event(record):
    # DESIGN: "fail when the record has poison: true" -- for a batch, any record (decoded for Kinesis)
    profile = fixed(10, 0, fail_when=[{"path": "poison"}])
    batch = {"Records": [kinesis_record({"poison": False}), record]}
    (result,) = run_many(profile, 1, batch)
    assert result.outcome is Outcome.FUNCTION_ERROR
    (clean,) = run_many(profile, 1, {"Records": [kinesis_record({"poison": False})]})
    assert clean.outcome is Outcome.SUCCESS


def test_matching_records_lists_the_poisoned_indexes():
    rules = BehaviourProfile.from_dict({"fail_when": [{"path": "poison"}]}).fail_when
    batch = {"Records": [kinesis_record({"poison": True}), {"x": 1}, {"poison": True}, "junk"]}
    assert matching_records(rules, batch) == [0, 2]
    assert matching_records(rules, {"poison": True}) == []


def test_undecodable_record_data_is_matched_on_its_raw_shape_only():
    profile = fixed(10, 0, fail_when=[{"path": "poison"}])
    batch = {"Records": [{"kinesis": {"data": "%%%not-base64"}}, {"body": "{not json"}]}
    (result,) = run_many(profile, 1, batch)
    assert result.outcome is Outcome.SUCCESS


def test_the_response_template_is_rendered_with_request_and_event_values():
    profile = fixed(10, 0, response={"id": "{{requestId}}", "echo": "{{event.order.id}}", "msg": "v{{version}}!"})
    (result,) = run_many(profile, 1, {"order": {"id": 42}})
    assert result.payload == {"id": result.request_id, "echo": 42, "msg": "v$LATEST!"}


def test_a_plain_response_is_returned_as_is():
    (result,) = run_many(fixed(10, 0, response=[1, 2]), 1)
    assert result.payload == [1, 2]


def test_memory_used_is_reported_and_capped_at_the_memory_size():
    # semantics §9 REPORT: Max Memory Used
    (small,) = run_many(fixed(10, 0, memory_used_mb=300), 1)
    assert (small.memory_size_mb, small.max_memory_used_mb) == (128, 128)


class DeferredExecutor:
    """Stands in for the real-handler executor: reports later (from outside the clock), like a subprocess would."""

    def __init__(self):
        self.pending = []

    def execute(self, job, done):
        self.pending.append((job, done))

    def finish_all(self, duration_ms: float):
        for job, done in self.pending:
            done(
                job,
                ExecutionReport(
                    Outcome.SUCCESS,
                    duration_ms,
                    5.0 if job.cold else None,
                    {"real": True},
                    40,
                    logs=("hello from the handler",),
                ),
            )
        self.pending.clear()


def test_an_executor_that_reports_later_completes_the_invocation_on_the_clock():
    # The Executor protocol: a later real-handler executor plugs in by name (VersionConfig.executor)
    executor = DeferredExecutor()
    sim = make(function(versions={"$LATEST": VersionConfig(executor="python")}), executors={"python": executor})
    sim.invoke()
    sim.clock.run(until=5.0)
    assert sim.results == [] and len(executor.pending) == 1
    executor.finish_all(20.0)  # its report arrives after its simulated end time: complete at once
    sim.clock.run()
    (result,) = sim.results
    assert (result.payload, result.init_ms, result.duration_ms) == ({"real": True}, 5.0, 20.0)
    assert "hello from the handler" in result.log_lines()


def test_a_sync_invokes_client_context_reaches_the_executor_and_an_event_invoke_has_none():
    # semantics §1: ClientContext is passed to the function for synchronous invocations only
    executor = DeferredExecutor()
    sim = make(function(versions={"$LATEST": VersionConfig(executor="python")}), executors={"python": executor})
    context = {"custom": {"cart": "42"}}
    sim.invoke(client_context=context)
    sim.engine.invoke_many(
        [
            InvokeRequest("fn", {}, client_context={"custom": {"n": 2}}),
            InvokeRequest("fn", {}),
            InvokeRequest("fn", {}, event=True, client_context={"custom": {"ignored": True}}),
        ]
    )
    sim.clock.run(until=1.0)
    assert [job.client_context for job, _ in executor.pending] == [context, {"custom": {"n": 2}}, None, None]
