"""Provisioned concurrency as a student sees it through boto3 and the logs: Init at allocation, no Init Duration on
the invokes it serves, spillover to on-demand with a cold start, and a real handler's AWS_LAMBDA_INITIALIZATION_TYPE
(semantics §9)."""

import base64
import json
import time

import pytest

from tests.conftest import eventually

from .conftest import ROLE, create_modelled, zip_of

pytestmark = pytest.mark.django_db(transaction=True)

APP = """
import os, time
INIT_TYPE = os.environ["AWS_LAMBDA_INITIALIZATION_TYPE"]
INITIALISED_AT = time.time()
def handler(event, context):
    return {"init_type": INIT_TYPE, "initialised_at": INITIALISED_AT}
"""


def wait_until_ready(client, qualifier: str = "prod") -> list[tuple]:
    """GetProvisionedConcurrencyConfig until READY; returns what it answered on the way."""
    seen = []

    def ready() -> bool:
        got = client.get_provisioned_concurrency_config(FunctionName="checkout", Qualifier=qualifier)
        state = (
            got["Status"],
            got["AllocatedProvisionedConcurrentExecutions"],
            got["AvailableProvisionedConcurrentExecutions"],
        )
        if not seen or seen[-1] != state:
            seen.append(state)
        return got["Status"] == "READY"

    eventually(ready, timeout=20, what=lambda: f"provisioned concurrency to be READY (answers so far: {seen})")
    return seen


def tail_of(answer) -> str:
    return base64.b64decode(answer["LogResult"]).decode()


def test_an_invoke_served_by_provisioned_concurrency_has_no_init_and_bills_its_duration_only(client, clock_speed):
    # semantics §9: IN_PROGRESS while the environment runs Init at allocation, READY after; no INIT_START, no
    # Init Duration, Billed Duration = the duration rounded up to 1 ms
    clock_speed(1)
    create_modelled(client, "checkout", {"duration_ms": 20, "init_ms": 1500}, Publish=True)
    client.create_alias(FunctionName="checkout", Name="prod", FunctionVersion="1")
    put = client.put_provisioned_concurrency_config(
        FunctionName="checkout", Qualifier="prod", ProvisionedConcurrentExecutions=1
    )
    assert (put["Status"], put["AllocatedProvisionedConcurrentExecutions"]) == ("IN_PROGRESS", 0)
    assert wait_until_ready(client) == [("IN_PROGRESS", 0, 0), ("READY", 1, 1)]
    log = tail_of(client.invoke(FunctionName="checkout", Qualifier="prod", LogType="Tail"))
    assert "INIT_START" not in log and "Init Duration" not in log
    report = next(line for line in log.splitlines() if line.startswith("REPORT"))
    assert "\tDuration: 20.00 ms\tBilled Duration: 20 ms\t" in report


def test_a_real_handler_is_initialised_at_allocation_and_knows_its_initialization_type(client, clock_speed):
    # semantics §9: module init at allocation with AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency;
    # a spillover (here: $LATEST, which has no provisioned concurrency) is on-demand and cold
    clock_speed(1)
    client.create_function(
        FunctionName="checkout", Runtime="python3.12", Role=ROLE, Handler="app.handler",
        Code={"ZipFile": zip_of({"app.py": APP})}, Publish=True,
    )  # fmt: skip
    client.create_alias(FunctionName="checkout", Name="prod", FunctionVersion="1")
    client.put_provisioned_concurrency_config(
        FunctionName="checkout", Qualifier="prod", ProvisionedConcurrentExecutions=1
    )
    wait_until_ready(client)
    ready_at = time.time()
    answer = client.invoke(FunctionName="checkout", Qualifier="prod", LogType="Tail")
    body = json.loads(answer["Payload"].read())
    assert body["init_type"] == "provisioned-concurrency"
    assert body["initialised_at"] < ready_at  # the module ran when the environment was allocated
    log = tail_of(answer)
    assert "INIT_START" not in log and "Init Duration" not in log
    on_demand = client.invoke(FunctionName="checkout", LogType="Tail")
    assert json.loads(on_demand["Payload"].read())["init_type"] == "on-demand"
    assert "Init Duration: " in tail_of(on_demand)
