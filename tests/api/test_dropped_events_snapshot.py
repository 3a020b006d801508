"""Through the real API and a running engine host: with reserved concurrency 0 and no DLQ or destination, Event
invokes are dropped, and the function's snapshot (what a reloaded page loads) lists each one by the request id its
202 carried, with its reason (issue 11, point 6)."""

import pytest

from invocations.services import queue_create
from invocations.services.live import live_snapshot
from tests.conftest import eventually

from .conftest import create_modelled

pytestmark = pytest.mark.django_db(transaction=True)


def test_dropped_events_with_zero_reserved_concurrency_are_in_the_snapshot_with_their_reason(client, engine_host):
    # semantics §2, §8: reserved concurrency 0 sends an async event straight to its DLQ / on-failure destination,
    # with no retry; without either, the event is lost
    dlq = queue_create(name="kept-dlq")
    create_modelled(client, "lost-orders")
    create_modelled(client, "kept-orders", DeadLetterConfig={"TargetArn": dlq.arn})
    for name in ("lost-orders", "kept-orders"):
        client.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
    sent = {
        name: [
            client.invoke(FunctionName=name, InvocationType="Event", Payload=b"{}")["ResponseMetadata"]["HTTPHeaders"][
                "x-amzn-requestid"
            ]
            for _ in range(3)
        ]
        for name in ("lost-orders", "kept-orders")
    }

    lost = eventually(
        lambda: len(live_snapshot("lost-orders")["dropped_events"]) == 3 and live_snapshot("lost-orders"),
        timeout=20,
        interval=0.1,
        what="three dropped events in lost-orders' snapshot",
    )
    assert [d["request_id"] for d in lost["dropped_events"]] == sent["lost-orders"][::-1]  # newest first
    assert {(d["condition"], d["target"]) for d in lost["dropped_events"]} == {("ZeroReservedConcurrency", None)}
    assert lost["totals"]["dropped"] == {"ZeroReservedConcurrency": 3}  # the diagram's count, from the same snapshot

    kept = eventually(
        lambda: len(live_snapshot("kept-orders")["dropped_events"]) == 3 and live_snapshot("kept-orders"),
        timeout=20,
        interval=0.1,
        what="three dropped events in kept-orders' snapshot",
    )
    assert {d["request_id"] for d in kept["dropped_events"]} == set(sent["kept-orders"])
    assert {(d["condition"], d["target"]) for d in kept["dropped_events"]} == {("ZeroReservedConcurrency", dlq.arn)}
