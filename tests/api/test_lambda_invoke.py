"""Invoke through real boto3 and a running engine host: RequestResponse, Event, DryRun, Tail logs, throttles,
weighted aliases, timeouts and payload limits (semantics §1, §2, §5, §8, §9)."""

import base64
import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from invocations.models import InvocationRecord
from tests.conftest import eventually

from .conftest import behaviour_zip, create_modelled, error_of, send_signed

pytestmark = pytest.mark.django_db(transaction=True)

FAST = {"duration_ms": 5, "init_ms": 5, "response": {"ok": True}}


def body_of(answer) -> object:
    return json.loads(answer["Payload"].read())


def tail_of(answer) -> str:
    return base64.b64decode(answer["LogResult"]).decode()


def test_a_sync_invoke_answers_200_with_the_return_value_and_the_executed_version(client, clock_speed):
    # semantics §1
    clock_speed(10)
    create_modelled(client, "checkout", {**FAST, "response": {"order": "{{event.order}}"}})
    answer = client.invoke(FunctionName="checkout", Payload=json.dumps({"order": 42}))
    assert answer["StatusCode"] == 200
    assert answer["ExecutedVersion"] == "$LATEST"
    assert "FunctionError" not in answer
    assert body_of(answer) == {"order": 42}


def test_an_alias_invoke_reports_the_version_it_resolved_to(client, clock_speed):
    # semantics §1, §5
    clock_speed(10)
    create_modelled(client, "checkout", FAST, Publish=True)
    client.create_alias(FunctionName="checkout", Name="prod", FunctionVersion="1")
    by_qualifier = client.invoke(FunctionName="checkout", Qualifier="prod", Payload=b"{}")
    by_arn = client.invoke(FunctionName="arn:aws:lambda:us-east-1:123456789012:function:checkout:prod")
    assert by_qualifier["ExecutedVersion"] == by_arn["ExecutedVersion"] == "1"


def test_a_weighted_alias_splits_traffic_as_measured_through_executed_version(client, clock_speed):
    # semantics §5: routing is probabilistic; 30% to version 2.
    clock_speed(50)
    create_modelled(client, "checkout", FAST, Publish=True)
    client.update_function_code(FunctionName="checkout", ZipFile=behaviour_zip({**FAST, "duration_ms": 6}))
    client.publish_version(FunctionName="checkout")
    client.create_alias(
        FunctionName="checkout",
        Name="live",
        FunctionVersion="1",
        RoutingConfig={"AdditionalVersionWeights": {"2": 0.3}},
    )

    def invoke(_):
        return client.invoke(FunctionName="checkout", Qualifier="live", Payload=b"{}")["ExecutedVersion"]

    with ThreadPoolExecutor(4) as pool:
        executed = Counter(pool.map(invoke, range(300)))
    assert set(executed) == {"1", "2"}
    assert 0.2 <= executed["2"] / 300 <= 0.4, executed


def test_log_type_tail_returns_the_log_with_init_duration_on_the_cold_start_only(client, clock_speed):
    # semantics §1 (last 4 KB, base64), §9 (Init Duration only on cold invokes)
    clock_speed(10)
    create_modelled(client, "checkout", {"duration_ms": 20, "init_ms": 300})
    cold = tail_of(client.invoke(FunctionName="checkout", LogType="Tail"))
    warm = tail_of(client.invoke(FunctionName="checkout", LogType="Tail"))
    assert "INIT_START" in cold and "Init Duration: 300.00 ms" in cold
    assert "START RequestId:" in warm and "Version: $LATEST" in warm and "REPORT RequestId:" in warm
    assert "Init Duration" not in warm and "INIT_START" not in warm
    assert "LogResult" not in client.invoke(FunctionName="checkout")


def test_a_timeout_is_a_200_with_sandbox_timedout_and_an_unhandled_function_error(client, clock_speed):
    # semantics §1, §11
    clock_speed(10)
    create_modelled(client, "slow", {"duration_ms": 5000, "init_ms": 1}, Timeout=1)
    answer = client.invoke(FunctionName="slow", Payload=b"{}")
    assert answer["StatusCode"] == 200
    assert answer["FunctionError"] == "Unhandled"
    body = body_of(answer)
    assert body["errorType"] == "Sandbox.Timedout"
    assert body["errorMessage"].startswith("RequestId: ")
    assert body["errorMessage"].endswith(" Error: Task timed out after 1.00 seconds")


def test_a_function_error_is_still_a_200_with_the_error_body(client, clock_speed):
    # semantics §1
    clock_speed(10)
    create_modelled(client, "flaky", {**FAST, "fail_when": [{"path": "poison"}], "error_type": "ValueError"})
    answer = client.invoke(FunctionName="flaky", Payload=json.dumps({"poison": True}))
    assert (answer["StatusCode"], answer["FunctionError"]) == (200, "Unhandled")
    assert body_of(answer)["errorType"] == "ValueError"


def test_reserved_concurrency_zero_throttles_with_429_and_no_executed_version(client, clock_speed):
    # semantics §1, §8
    clock_speed(10)
    create_modelled(client, "checkout", FAST)
    client.put_function_concurrency(FunctionName="checkout", ReservedConcurrentExecutions=0)
    error = error_of(lambda: client.invoke(FunctionName="checkout", Payload=b"{}"))
    assert isinstance(error, client.exceptions.TooManyRequestsException)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert error.response["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"
    assert error.response["Type"] == "User"
    assert error.response["Error"]["Message"] == "Rate Exceeded."
    headers = error.response["ResponseMetadata"]["HTTPHeaders"]
    assert "x-amz-executed-version" not in headers
    assert headers["retry-after"]


def test_parallel_invokes_beyond_reserved_concurrency_are_throttled(client, clock_speed):
    # semantics §8: Lambda rejects rather than queues when the function's concurrency is full.
    clock_speed(1)
    create_modelled(client, "checkout", {"duration_ms": 1500, "init_ms": 1})
    client.put_function_concurrency(FunctionName="checkout", ReservedConcurrentExecutions=2)

    def invoke(_):
        try:
            return client.invoke(FunctionName="checkout", Payload=b"{}")["StatusCode"]
        except client.exceptions.TooManyRequestsException as error:
            return error.response["Reason"]

    with ThreadPoolExecutor(6) as pool:
        outcomes = Counter(pool.map(invoke, range(6)))
    assert outcomes == {200: 2, "ReservedFunctionConcurrentInvocationLimitExceeded": 4}


def test_an_event_invoke_is_accepted_with_202_and_then_runs(client, clock_speed):
    # semantics §2
    clock_speed(10)
    create_modelled(client, "thumbnailer", FAST)
    answer = client.invoke(FunctionName="thumbnailer", InvocationType="Event", Payload=json.dumps({"key": "a.jpg"}))
    assert answer["StatusCode"] == 202
    assert answer["Payload"].read() == b""
    eventually(
        lambda: InvocationRecord.objects.filter(function="thumbnailer", invocation_type="Event").exists(),
        timeout=10,
        what="the event's record",
    )


def test_a_dry_run_validates_and_answers_204_without_invoking(client, clock_speed):
    # semantics §1
    create_modelled(client, "checkout", FAST)
    answer = client.invoke(FunctionName="checkout", InvocationType="DryRun")
    assert answer["StatusCode"] == 204
    # A real invoke after it: the host takes the inbox in order and the journal is written oldest first, so once
    # this one's record is in, a record of the dry run would be too.
    after = client.invoke(FunctionName="checkout", Payload=b"{}")["ResponseMetadata"]["RequestId"]
    records = InvocationRecord.objects.filter(function="checkout")
    eventually(lambda: records.filter(request_id=after).exists(), timeout=10, what="the later invoke's record")
    assert list(records.values_list("request_id", flat=True)) == [after]
    error = error_of(lambda: client.invoke(FunctionName="checkout", InvocationType="DryRun", Qualifier="9"))
    assert isinstance(error, client.exceptions.ResourceNotFoundException)


def test_invoking_an_unknown_function_or_qualifier_is_a_404(client, clock_speed):
    # semantics §1
    create_modelled(client, "checkout", FAST)
    for call in (
        lambda: client.invoke(FunctionName="ghost"),
        lambda: client.invoke(FunctionName="checkout", Qualifier="nope"),
        lambda: client.invoke(FunctionName="ghost", InvocationType="Event"),
    ):
        error = error_of(call)
        assert isinstance(error, client.exceptions.ResourceNotFoundException)
        assert error.response["Error"]["Message"].startswith("Function not found: arn:aws:lambda:us-east-1:")


def test_a_payload_that_is_not_json_is_invalid_request_content(client, clock_speed):
    create_modelled(client, "checkout", FAST)
    error = error_of(lambda: client.invoke(FunctionName="checkout", Payload=b"hello"))
    assert isinstance(error, client.exceptions.InvalidRequestContentException)
    assert error.response["Error"]["Message"].startswith("Could not parse request body into json")


def test_a_sync_payload_over_6_mb_is_a_413_with_aws_message(client, clock_speed):
    # semantics §1
    create_modelled(client, "checkout", FAST)
    payload = json.dumps({"blob": "x" * 6_291_456}).encode()
    error = error_of(lambda: client.invoke(FunctionName="checkout", Payload=payload))
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert error.response["Error"]["Code"] == "RequestEntityTooLargeException"
    assert error.response["Error"]["Message"] == (
        "Request must be smaller than 6291456 bytes for the InvokeFunction operation"
    )


def test_an_event_payload_over_1_mb_is_a_413_naming_the_event_limit(client, clock_speed):
    # semantics §1, §2: asynchronous payloads up to 1 MB.
    create_modelled(client, "checkout", FAST)
    payload = json.dumps({"blob": "x" * 1_048_576}).encode()
    error = error_of(lambda: client.invoke(FunctionName="checkout", InvocationType="Event", Payload=payload))
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert error.response["Error"]["Code"] == "RequestEntityTooLargeException"
    assert error.response["Error"]["Message"] == (
        f"{len(payload)} byte payload is too large for the Event invocation type (limit 1048576 bytes)"
    )


def test_a_sync_payload_of_three_megabytes_is_within_the_limit(client, clock_speed):
    # semantics §1: 6 MB for synchronous requests.
    clock_speed(10)
    create_modelled(client, "checkout", {**FAST, "response": {"size": "{{event.size}}"}})
    payload = json.dumps({"size": 3, "blob": "x" * 3_000_000}).encode()
    answer = client.invoke(FunctionName="checkout", Payload=payload)
    assert (answer["StatusCode"], body_of(answer)) == (200, {"size": 3})


def test_a_sync_invoke_while_the_clock_is_paused_gives_up_with_a_service_exception_naming_the_pause(
    client, engine_host, clock_speed, monkeypatch
):
    # The clock is LambdaViz's own (DESIGN.md, "Time"): paused, nothing finishes, so the caller waits only a fixed cap.
    from invocations.api.lambda_api import invoke
    from invocations.services import simulation_clock_set

    monkeypatch.setattr(invoke, "PAUSED_WAIT_S", 1.0)
    create_modelled(client, "checkout", FAST)
    simulation_clock_set(paused=True)
    # Each reader caches the shared clock up to 0.25 s: wait until the host and the API's own reader see the pause.
    eventually(lambda: engine_host.host.clock.paused and invoke._clock().state().paused, what="both to see the pause")
    error = error_of(lambda: client.invoke(FunctionName="checkout", Payload=b"{}"))
    assert isinstance(error, client.exceptions.ServiceException)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert error.response["Error"]["Message"].startswith("The simulation clock is paused")


def test_an_unknown_invocation_type_is_a_validation_exception(live_server, client, clock_speed):
    create_modelled(client, "checkout", FAST)
    status, headers, body = send_signed(
        live_server.url,
        "POST",
        "/2015-03-31/functions/checkout/invocations",
        body=b"{}",
        headers={"X-Amz-Invocation-Type": "Sometime"},
    )
    assert (status, headers["x-amzn-ErrorType"]) == (400, "ValidationException")
    assert "invocationType" in body["message"]
