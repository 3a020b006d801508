"""Asynchronous invocation: queue, retries, DLQ, destinations, at-least-once (semantics §2)."""

from __future__ import annotations

import pytest

from invocations.engine.config import AccountConfig, AliasConfig, AsyncConfig, VersionConfig
from invocations.engine.events import (
    AsyncEventAccepted,
    AsyncEventSettled,
    DeliveredToDLQ,
    DestinationDelivered,
    DuplicateDelivered,
    InvocationCompleted,
    RetryScheduled,
    ServiceFailed,
    Throttled,
)
from invocations.engine.options import EngineOptions

from .helpers import fixed, function, make

FN_ARN = "arn:aws:lambda:us-east-1:123456789012:function:fn"
DLQ = "arn:aws:sqs:us-east-1:123456789012:fn-dlq"
ON_FAILURE = "arn:aws:sqs:us-east-1:123456789012:on-failure"
ON_SUCCESS = "arn:aws:sns:us-east-1:123456789012:on-success"
EPOCH = 1573755365.468  # 2019-11-14T18:16:05.468Z
ERROR_BODY = {
    "errorMessage": "Simulated failure",
    "errorType": "Exception",
    "stackTrace": [
        '  File "/var/task/lambda_function.py", line 12, in lambda_handler\n'
        "    raise Exception('Simulated failure')\n"
    ],
}


def failing(*, error_rate=1.0, dlq=DLQ, retries=2, max_age=21600.0, on_failure=ON_FAILURE, **kw):
    return function(
        versions={"$LATEST": VersionConfig(profile=fixed(100, 0, error_rate=error_rate), dlq_arn=dlq)},
        async_configs={"$LATEST": AsyncConfig(retries, max_age, on_success=ON_SUCCESS, on_failure=on_failure)},
        **kw,
    )


def opts(**kw):
    return EngineOptions(epoch=EPOCH, **kw)


def test_a_successful_event_goes_to_the_on_success_destination_with_the_exact_record():
    # semantics §2: Event -> internal queue -> 202; invocation record for condition Success
    sim = make(failing(error_rate=0.0), options=opts())
    sim.invoke_async(payload={"a": 1})
    sim.clock.run(until=10)
    assert sim.log() == [
        (0.0, "AsyncEventAccepted", "req-1"),
        (0.0, "EnvironmentStateChanged", 1, "Initializing"),
        (0.0, "ColdStartBegan", "req-1", 1),
        (0.1, "InvocationCompleted", "req-1", "$LATEST", 1, "Success", True),
        (0.1, "DestinationDelivered", "req-1", "OnSuccess", ON_SUCCESS),
        (0.1, "AsyncEventProcessed", "req-1", "Success", 1),
    ]
    assert sim.targets.bodies(ON_SUCCESS) == [
        {
            "version": "1.0",
            "timestamp": "2019-11-14T18:16:05.568Z",
            "requestContext": {
                "requestId": "req-1",
                "functionArn": f"{FN_ARN}:$LATEST",
                "condition": "Success",
                "approximateInvokeCount": 1,
            },
            "requestPayload": {"a": 1},
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
            "responsePayload": {"statusCode": 200, "body": "ok"},
        }
    ]
    assert sim.engine.async_queue_depth() == 0


def test_function_errors_are_retried_twice_after_one_then_two_minutes_then_sent_to_dlq_and_on_failure():
    # semantics §2: 2 retries (~1 min, ~2 min); DLQ body = original event + attributes; both DLQ and OnFailure
    sim = make(failing(), options=opts())
    sim.invoke_async(payload={"a": 1})
    sim.clock.run(until=1000)
    assert sim.log(InvocationCompleted, RetryScheduled, AsyncEventSettled) == [
        (0.1, "InvocationCompleted", "req-1", "$LATEST", 1, "FunctionError", True),
        (0.1, "RetryScheduled", "req-1", "FunctionError", 1, 60.1),
        (60.2, "InvocationCompleted", "req-1", "$LATEST", 1, "FunctionError", False),
        (60.2, "RetryScheduled", "req-1", "FunctionError", 2, 180.2),
        (180.3, "InvocationCompleted", "req-1", "$LATEST", 1, "FunctionError", False),
        (180.3, "AsyncEventDropped", "req-1", "RetriesExhausted", 3),
    ]
    assert [d.attempt for d in sim.events(InvocationCompleted)] == [1, 2, 3]
    (dlq,) = sim.targets.delivered[DLQ]
    assert dlq.body == {"a": 1}
    assert dlq.attributes == {
        "RequestID": {"DataType": "String", "StringValue": "req-1"},
        "ErrorCode": {"DataType": "Number", "StringValue": "200"},
        "ErrorMessage": {"DataType": "String", "StringValue": "Simulated failure"},
    }
    assert sim.targets.bodies(ON_FAILURE) == [
        {
            "version": "1.0",
            "timestamp": "2019-11-14T18:19:05.768Z",
            "requestContext": {
                "requestId": "req-1",
                "functionArn": f"{FN_ARN}:$LATEST",
                "condition": "RetriesExhausted",
                "approximateInvokeCount": 3,
            },
            "requestPayload": {"a": 1},
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
            "responsePayload": {**ERROR_BODY, "requestId": "req-1"},
        }
    ]
    assert sim.log(DeliveredToDLQ, DestinationDelivered, AsyncEventSettled) == [
        (180.3, "DeliveredToDLQ", "req-1", DLQ),
        (180.3, "DestinationDelivered", "req-1", "OnFailure", ON_FAILURE),
        (180.3, "AsyncEventDropped", "req-1", "RetriesExhausted", 3),
    ]


def test_maximum_retry_attempts_zero_means_one_attempt():
    # semantics §2: MaximumRetryAttempts 0-2
    sim = make(failing(retries=0), options=opts())
    sim.invoke_async()
    sim.clock.run(until=1000)
    assert sim.log(AsyncEventSettled) == [(0.1, "AsyncEventDropped", "req-1", "RetriesExhausted", 1)]


def test_timeouts_are_retried_like_function_errors():
    # semantics §11: async timeouts are retried
    fn = function(profile=fixed(100, 0, timeout_rate=1.0), timeout_s=1.0)
    sim = make(fn)
    sim.invoke_async()
    sim.clock.run(until=1000)
    assert [(d.attempt, str(d.result.outcome)) for d in sim.events(InvocationCompleted)] == [
        (1, "Timeout"),
        (2, "Timeout"),
        (3, "Timeout"),
    ]


def hog_and_fn(fn=None, *, hog_s: float = 10.0, limit: int = 1):
    """Account limit 1: a long sync `hog` invocation makes async attempts of `fn` throttle."""
    hog = function("hog", profile=fixed(hog_s * 1000, 0), timeout_s=900)
    return make(
        hog,
        fn or function(profile=fixed(100, 0)),
        options=opts(),
        account=AccountConfig(concurrency_limit=limit, unreserved_min=0),
    )


def test_throttled_events_are_requeued_with_exponential_backoff_without_using_retries():
    # semantics §2: throttles retried with backoff 1 s -> 5 min, up to the max event age
    sim = hog_and_fn(hog_s=10)
    sim.invoke("hog")
    sim.invoke_async("fn")
    sim.clock.run(until=100)
    assert sim.log(RetryScheduled, AsyncEventSettled) == [
        (0.0, "RetryScheduled", "req-2", "Throttled", 0, 1.0),
        (1.0, "RetryScheduled", "req-2", "Throttled", 0, 3.0),
        (3.0, "RetryScheduled", "req-2", "Throttled", 0, 7.0),
        (7.0, "RetryScheduled", "req-2", "Throttled", 0, 15.0),
        (15.1, "AsyncEventProcessed", "req-2", "Success", 1),
    ]
    assert {t.invocation_type for t in sim.events(Throttled)} == {"Event"}


def test_throttle_backoff_is_capped_at_five_minutes():
    # semantics §2: backoff 1 s -> max 5 min
    sim = hog_and_fn(hog_s=890)
    sim.invoke("hog")
    sim.invoke_async("fn")
    sim.clock.run(until=2000)
    delays = [round(e.retry_at - e.at, 6) for e in sim.events(RetryScheduled)]
    assert delays == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]


def test_an_event_that_only_ever_throttled_expires_with_event_age_exceeded_and_no_response():
    # semantics §2: EventAgeExceeded, count = attempts made (0 here), so no responseContext
    fn = failing(error_rate=0.0, max_age=60)
    sim = hog_and_fn(fn, hog_s=100)
    sim.invoke("hog")
    sim.invoke_async("fn", {"k": "v"})
    sim.clock.run(until=200)
    assert [e.retry_at for e in sim.events(RetryScheduled)][-1] == 60.0  # never scheduled past the age limit
    assert sim.log(AsyncEventSettled) == [(60.0, "AsyncEventDropped", "req-2", "EventAgeExceeded", 0)]
    (record,) = sim.targets.bodies(ON_FAILURE)
    assert "responseContext" not in record and "responsePayload" not in record
    assert record["requestContext"]["condition"] == "EventAgeExceeded"
    (dlq,) = sim.targets.delivered[DLQ]
    assert dlq.attributes["ErrorCode"]["StringValue"] == "429"
    assert dlq.attributes["ErrorMessage"]["StringValue"] == "Rate Exceeded."


def test_with_max_age_sixty_a_function_error_expires_after_one_attempt():
    # semantics §2: "with MaxAge=60 fired after 1 attempt"
    sim = make(failing(max_age=60), options=opts())
    sim.invoke_async()
    sim.clock.run(until=1000)
    assert sim.log(RetryScheduled, AsyncEventSettled) == [
        (0.1, "RetryScheduled", "req-1", "FunctionError", 1, 60.0),
        (60.0, "AsyncEventDropped", "req-1", "EventAgeExceeded", 1),
    ]
    (record,) = sim.targets.bodies(ON_FAILURE)
    assert record["requestContext"]["approximateInvokeCount"] == 1
    assert record["responseContext"]["functionError"] == "Unhandled"


def test_reserved_concurrency_zero_sends_the_event_straight_to_failure_without_invoking():
    # semantics §2, §8: ZeroReservedConcurrency, approximateInvokeCount 0, no responseContext/responsePayload
    sim = make(failing(reserved_concurrency=0), options=opts())
    sim.invoke_async(payload={"a": 1})
    sim.clock.run(until=1000)
    assert sim.log() == [
        (0.0, "AsyncEventAccepted", "req-1"),
        (0.0, "DeliveredToDLQ", "req-1", DLQ),
        (0.0, "DestinationDelivered", "req-1", "OnFailure", ON_FAILURE),
        (0.0, "AsyncEventDropped", "req-1", "ZeroReservedConcurrency", 0),
    ]
    assert sim.targets.bodies(ON_FAILURE) == [
        {
            "version": "1.0",
            "timestamp": "2019-11-14T18:16:05.468Z",
            "requestContext": {
                "requestId": "req-1",
                "functionArn": f"{FN_ARN}:$LATEST",
                "condition": "ZeroReservedConcurrency",
                "approximateInvokeCount": 0,
            },
            "requestPayload": {"a": 1},
        }
    ]
    assert sim.targets.delivered[DLQ][0].attributes["ErrorCode"]["StringValue"] == "429"


def test_the_dlq_error_message_keeps_only_the_first_kilobyte():
    # semantics §2: ErrorMessage (String, first 1 KB)
    fn = function(
        versions={
            "$LATEST": VersionConfig(profile=fixed(10, 0, error_rate=1.0, error_message="é" * 1000), dlq_arn=DLQ)
        },
        async_configs={"$LATEST": AsyncConfig(max_retry_attempts=0)},
    )
    sim = make(fn)
    sim.invoke_async()
    sim.clock.run(until=10)
    message = sim.targets.delivered[DLQ][0].attributes["ErrorMessage"]["StringValue"]
    assert len(message.encode()) <= 1024 and message == "é" * 512


def test_the_dlq_is_the_executed_versions_and_destinations_follow_the_invoked_qualifier():
    # semantics §2: DLQ is version-specific; EventInvokeConfig is per function/version/alias
    fn = function(
        versions={
            "$LATEST": VersionConfig(profile=fixed(10, 0, error_rate=1.0), dlq_arn="arn:aws:sqs:us-east-1:1:latest"),
            "1": VersionConfig(profile=fixed(10, 0, error_rate=1.0), dlq_arn="arn:aws:sqs:us-east-1:1:v1"),
        },
        aliases={"live": AliasConfig("1")},
        async_configs={"live": AsyncConfig(max_retry_attempts=0, on_failure=ON_FAILURE)},
    )
    sim = make(fn)
    sim.invoke_async("fn:live")
    sim.clock.run(until=10)
    assert list(sim.targets.delivered) == ["arn:aws:sqs:us-east-1:1:v1", ON_FAILURE]
    assert sim.targets.bodies(ON_FAILURE)[0]["requestContext"]["functionArn"] == f"{FN_ARN}:live"


def test_a_lambda_destination_receives_the_record_as_an_async_invocation():
    # semantics §2: Lambda destination carrier = payload
    dest = function("audit")
    fn = function(profile=fixed(10, 0), async_configs={"$LATEST": AsyncConfig(on_success=f"{FN_ARN[:-2]}audit")})
    sim = make(fn, dest)
    sim.invoke_async()
    sim.clock.run(until=10)
    accepted = sim.events(AsyncEventAccepted)
    assert [(a.function, a.source) for a in accepted] == [("fn", "sdk"), ("audit", "destination")]
    audit_run = [d for d in sim.events(InvocationCompleted) if d.function == "audit"]
    assert len(audit_run) == 1


def test_an_eventbridge_destination_carries_the_record_as_detail():
    # semantics §2: EventBridge = detail, source "lambda", detail-type "... - Success", resources [bus, fn]
    bus = "arn:aws:events:us-east-1:123456789012:event-bus/default"
    sim = make(function(profile=fixed(10, 0), async_configs={"$LATEST": AsyncConfig(on_success=bus)}))
    sim.invoke_async()
    sim.clock.run(until=10)
    (event,) = sim.targets.bodies(bus)
    assert (event["source"], event["detail-type"], event["resources"]) == (
        "lambda",
        "Lambda Function Invocation Result - Success",
        [bus, f"{FN_ARN}:$LATEST"],
    )
    assert event["detail"]["requestContext"]["condition"] == "Success"


def test_at_least_once_duplicates_are_visible_as_events_and_do_not_settle_twice():
    # semantics §2: at-least-once; duplicates possible without errors (probability 1 here, 0 by default)
    sim = make(failing(error_rate=0.0), options=opts(duplicate_probability=1.0))
    sim.invoke_async()
    sim.clock.run(until=10)
    assert sim.log(DuplicateDelivered) == [
        (0.0, "DuplicateDelivered", "req-1", "function"),
        (0.1, "DuplicateDelivered", "req-1", ON_SUCCESS),
    ]
    assert sorted(d.attempt for d in sim.events(InvocationCompleted)) == [0, 1]
    assert len(sim.targets.delivered[ON_SUCCESS]) == 2
    assert len(sim.events(AsyncEventSettled)) == 1


def test_service_errors_are_retried_with_backoff_and_reported_with_their_status():
    # semantics §2: system errors (5xx) requeued with backoff until the max event age
    sim = make(failing(max_age=60), options=opts(service_error_rate=1.0))
    sim.invoke_async()
    sim.clock.run(until=100)
    assert {e.cause for e in sim.events(RetryScheduled)} == {"ServiceError"}
    assert len(sim.events(ServiceFailed)) == 6  # at 0, 1, 3, 7, 15, 31 s
    assert sim.targets.delivered[DLQ][0].attributes["ErrorCode"]["StringValue"] == "500"


def test_a_sync_invoke_can_fail_with_a_service_exception():
    # semantics §1: 500 ServiceException prevents execution
    sim = make(function(), options=EngineOptions(service_error_rate=1.0))
    sim.invoke()
    assert [(r.status_code, str(r.outcome)) for r in sim.results] == [(500, "ServiceError")]


def test_deleting_a_function_drops_its_queued_events():
    # approximation: the internal queue goes with the function (condition FunctionDeleted, engine-specific)
    sim = hog_and_fn(hog_s=10)
    sim.invoke("hog")
    sim.invoke_async("fn")
    sim.clock.run(until=0.5)  # throttled once, due again at 1 s
    sim.registry.remove("fn")
    sim.clock.run(until=100)
    assert sim.log(AsyncEventSettled) == [(1.0, "AsyncEventDropped", "req-2", "FunctionDeleted", 0)]


@pytest.mark.parametrize("bad", [AsyncConfig(max_retry_attempts=3), AsyncConfig(max_event_age_s=59)])
def test_async_configs_outside_aws_ranges_are_rejected(bad):
    # semantics §2: MaximumRetryAttempts 0-2, MaximumEventAgeInSeconds 60-21600
    from invocations.errors import InvalidParameterValueException

    sim = make(function())
    with pytest.raises(InvalidParameterValueException):
        sim.registry.set_async_config("fn", "$LATEST", bad)


def test_every_settled_event_is_acknowledged_once_so_a_durable_queue_can_forget_it():
    # semantics §2: an accepted event is never lost; the queue keeps its claim until the terminal outcome.
    from invocations.engine.store import MemoryAsyncQueue, MemoryStore

    acked: list[str] = []

    class Spy(MemoryAsyncQueue):
        def ack(self, request_id: str) -> bool:
            acked.append(request_id)
            return True

    store = MemoryStore()
    store.async_queue = Spy()
    sim = make(failing(error_rate=0.5), seed=3, options=opts(), store=store)
    ids = [sim.engine.invoke_async("fn", {"n": n}) for n in range(20)]
    sim.clock.run()
    settled = [e.request_id for e in sim.sink.of_type(AsyncEventSettled)]
    assert sorted(acked) == sorted(settled) == sorted(ids)


def test_waking_the_invoker_picks_up_events_another_process_left_in_a_durable_queue():
    # semantics §2: an accepted event is never lost, even if the engine that accepted it is gone.
    from invocations.engine.async_invoke import AsyncItem
    from invocations.engine.store import MemoryStore

    store = MemoryStore()
    store.async_queue.push(AsyncItem("req-other", "fn", "fn", None, {"n": 1}, "sdk", 0.0), 5.0)
    sim = make(failing(error_rate=0.0), options=opts(), store=store)
    sim.clock.run()
    assert sim.sink.of_type(AsyncEventSettled) == []  # nobody looked at the queue
    sim.engine.async_invoker.wake()
    sim.clock.run()
    (settled,) = sim.sink.of_type(AsyncEventSettled)
    assert (settled.request_id, settled.condition) == ("req-other", "Success")
