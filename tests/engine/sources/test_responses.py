"""Reading a batch response with ReportBatchItemFailures (semantics §3)."""

import pytest

from invocations.engine.outcomes import InvokeResult, Outcome
from invocations.engine.sources.responses import Verdict, judge

IDS = ["a", "b", "c"]


def result(outcome: Outcome = Outcome.SUCCESS, payload: object = None) -> InvokeResult:
    return InvokeResult("r", outcome, 200, "$LATEST", payload)


@pytest.mark.parametrize("payload", [None, {}, {"batchItemFailures": None}, {"batchItemFailures": []}])
def test_an_empty_or_null_response_or_list_is_success(payload):
    # semantics §3
    assert judge(result(payload=payload), IDS, report_batch_item_failures=True).verdict is Verdict.SUCCESS


def test_listed_item_identifiers_fail_in_batch_order():
    # semantics §3
    payload = {"batchItemFailures": [{"itemIdentifier": "c"}, {"itemIdentifier": "b"}]}
    verdict = judge(result(payload=payload), IDS, report_batch_item_failures=True)
    assert (verdict.verdict, verdict.failed_ids) == (Verdict.PARTIAL, ("b", "c"))


@pytest.mark.parametrize(
    "item", [{"itemIdentifier": ""}, {"itemIdentifier": None}, {"itemId": "a"}, {"itemIdentifier": "zzz"}, "a"]
)
def test_an_empty_null_misnamed_or_unknown_identifier_fails_the_whole_batch(item):
    # semantics §3
    verdict = judge(result(payload={"batchItemFailures": [item]}), IDS, report_batch_item_failures=True)
    assert (verdict.verdict, verdict.failed_ids) == (Verdict.FAILURE, tuple(IDS))


@pytest.mark.parametrize("outcome", [Outcome.FUNCTION_ERROR, Outcome.TIMEOUT])
def test_a_thrown_error_or_timeout_fails_the_whole_batch(outcome):
    # semantics §3
    verdict = judge(result(outcome), IDS, report_batch_item_failures=True)
    assert (verdict.verdict, verdict.reason, verdict.failed_ids) == (Verdict.FAILURE, str(outcome), tuple(IDS))


@pytest.mark.parametrize("outcome", [Outcome.THROTTLED, Outcome.SERVICE_ERROR])
def test_throttles_and_service_errors_mean_the_function_never_ran(outcome):
    # semantics §3
    assert judge(result(outcome), IDS, report_batch_item_failures=False).verdict is Verdict.NOT_INVOKED


def test_without_the_setting_a_response_listing_failures_is_still_success():
    # semantics §3
    payload = {"batchItemFailures": [{"itemIdentifier": "a"}]}
    assert judge(result(payload=payload), IDS, report_batch_item_failures=False).verdict is Verdict.SUCCESS
