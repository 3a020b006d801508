"""Outcomes, response bodies and the START/END/REPORT lines (semantics §1, §9)."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from invocations.engine.options import EngineOptions
from invocations.engine.outcomes import InvokeResult, Outcome, billed_duration_ms

from .helpers import fixed, function, make


def one(profile, *, options=None, timeout_s=3.0, warm_first=False, payload=None):
    sim = make(function(profile=profile, timeout_s=timeout_s), options=options)
    if warm_first:
        sim.invoke()
        sim.clock.run(until=10)  # not run(): that would also run the keep-alive reclaim
        sim.results.clear()
    sim.invoke(payload=payload)
    sim.clock.run()
    return sim.results[0]


def test_a_success_returns_200_with_the_response_and_no_function_error():
    # semantics §1: body = return value; X-Amz-Function-Error only on function errors
    r = one(fixed(10, 0, response={"ok": 1}))
    assert (r.outcome, r.status_code, r.payload, r.function_error, r.executed_version) == (
        Outcome.SUCCESS,
        200,
        {"ok": 1},
        None,
        "$LATEST",
    )


def test_a_timeout_is_sandbox_timedout_with_aws_message():
    # semantics §1: {"errorType":"Sandbox.Timedout",
    #                "errorMessage":"RequestId: <id> Error: Task timed out after 1.00 seconds"}
    r = one(fixed(10, 0, timeout_rate=1.0), timeout_s=3)
    assert (r.outcome, r.status_code, r.function_error) == (Outcome.TIMEOUT, 200, "Unhandled")
    assert r.payload == {
        "errorType": "Sandbox.Timedout",
        "errorMessage": f"RequestId: {r.request_id} Error: Task timed out after 3.00 seconds",
    }


def test_the_log_lines_of_a_cold_invocation_follow_aws_format():
    # semantics §9: INIT_START, START ... Version, END, tab-separated REPORT with a trailing tab and Init Duration
    r = one(fixed(3.01, 110.1, memory_used_mb=36), options=EngineOptions(bill_init_phase=False))
    rid = r.request_id
    assert r.log_lines() == [
        "INIT_START Runtime Version: python:3.13.v31\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:"
        "0d1b2c3a4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
        f"START RequestId: {rid} Version: $LATEST",
        f"END RequestId: {rid}",
        f"REPORT RequestId: {rid}\tDuration: 3.01 ms\tBilled Duration: 4 ms\tMemory Size: 128 MB\t"
        "Max Memory Used: 36 MB\tInit Duration: 110.10 ms\t",
    ]


def test_a_warm_invocation_has_no_init_duration():
    # semantics §9: Init Duration only on cold invokes
    r = one(fixed(3.01, 110.1), warm_first=True)
    assert r.cold_start is False and r.init_ms is None
    assert r.log_lines()[-1].endswith("Max Memory Used: 64 MB\t")
    assert not any(line.startswith("INIT_START") for line in r.log_lines())


@pytest.mark.parametrize(("bill_init", "billed"), [(True, 114), (False, 4)])
def test_the_init_billing_rule_is_a_flag(bill_init, billed):
    # semantics §9 ⚠: since 1 Aug 2025 on-demand INIT is billed; EngineOptions.bill_init_phase picks the rule
    r = one(fixed(3.01, 110.1), options=EngineOptions(bill_init_phase=bill_init))
    assert r.billed_ms == billed


def test_billed_duration_rounds_up_to_the_millisecond_and_is_at_least_one():
    # semantics §9: rounded up to 1 ms since Dec 2020
    assert billed_duration_ms(3.01, None, bill_init=True) == 4
    assert billed_duration_ms(3.0, None, bill_init=True) == 3
    assert billed_duration_ms(0.2, None, bill_init=True) == 1
    assert billed_duration_ms(3.0000000001, None, bill_init=True) == 3


@settings(max_examples=60, deadline=None)
@given(duration=st.floats(0.1, 5000), init=st.one_of(st.none(), st.floats(0, 3000)), bill_init=st.booleans())
def test_the_engines_inlined_billing_matches_billed_duration_ms(duration, init, bill_init):
    # The hot path inlines the rule; both must agree (semantics §9)
    r = one(fixed(duration, init or 0), options=EngineOptions(bill_init_phase=bill_init))
    assert r.billed_ms == billed_duration_ms(r.duration_ms, r.init_ms, bill_init=bill_init)


def test_a_function_error_logs_the_runtime_error_line():
    r = one(fixed(10, 0, error_rate=1.0, error_type="KeyError", error_message="'x'"), warm_first=False)
    assert r.log_lines()[2] == "[ERROR] KeyError: 'x'"


def test_a_timeout_logs_task_timed_out():
    # semantics §1: the Sandbox.Timedout message, "Task timed out after 1.00 seconds"
    r = one(fixed(10, 0, timeout_rate=1.0), timeout_s=1)
    assert f"{r.request_id} Task timed out after 1.00 seconds" in r.log_lines()


def test_a_throttle_has_no_log_lines():
    r = InvokeResult("id", Outcome.THROTTLED, 429, "1", {}, throttle_reason="ConcurrentInvocationLimitExceeded")
    assert r.log_lines() == []


def test_log_result_is_the_last_4kb_base64():
    # semantics §1: X-Amz-Log-Result = last 4 KB of log, base64 (LogType Tail)
    r = InvokeResult("id", Outcome.SUCCESS, 200, "$LATEST", None, duration_ms=1, billed_ms=1, logs=("x" * 5000,))
    raw = base64.b64decode(r.log_result())
    assert len(raw) == 4096 and raw.endswith(b"Max Memory Used: 0 MB\t\n")


def test_the_keyword_constructors_take_the_fields_in_order_with_their_defaults():
    import dataclasses
    import inspect

    from invocations.engine.invocation import Attempt, new_attempt
    from invocations.engine.outcomes import invoke_result

    for cls, factory in ((InvokeResult, invoke_result), (Attempt, new_attempt)):
        params = inspect.signature(factory).parameters.values()
        fields = dataclasses.fields(cls)
        assert [(p.name, p.default) for p in params] == [
            (f.name, inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default) for f in fields
        ]
    kw = dict(request_id="r", outcome=Outcome.SUCCESS, status_code=200, executed_version="1", payload=[1], logs=("a",))
    assert invoke_result(**kw) == InvokeResult(**kw)
