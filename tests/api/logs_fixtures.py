"""Log data for the CloudWatch Logs tests: a real engine run on a virtual clock, its records written by the host's
RecordBuffer (the path the runtime takes), and boto3 logs clients on the wire."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import boto3
from botocore.config import Config

from invocations.engine.clock import VirtualClock
from invocations.engine.config import AccountConfig, FunctionConfig, VersionConfig
from invocations.engine.profile import BehaviourProfile
from invocations.engine.registry import Registry
from invocations.engine.simulator import Engine, InvokeRequest
from invocations.runtime.records import RecordBuffer
from tests.factories import make_function

from .conftest import ACCESS_KEY_ID, SECRET_ACCESS_KEY

START = datetime(2026, 12, 3, 9, 30, tzinfo=UTC).timestamp()


def logs_client(endpoint_url: str, *, validate: bool = True):
    client = boto3.client(
        "logs",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
        config=Config(retries={"total_max_attempts": 1}, parameter_validation=validate),
    )
    assert client.meta.service_model.resolved_protocol == "json"  # awsJson1_1, the only one logs lists
    return client


def run_logged_traffic() -> list:
    """checkout: a burst of 3 concurrent invocations of $LATEST (3 environments), then 4 more one at a time (reusing
    one of them), and 2 of version 3 (which fails every time): START/END/REPORT lines, INIT_START on cold starts,
    `[ERROR]` lines for version 3. Returns the engine's completed events."""
    make_function("checkout")
    make_function("quiet")  # a function never invoked: its group exists, it has no streams
    clock = VirtualClock(start=START)
    versions = {
        "$LATEST": VersionConfig(profile=BehaviourProfile.from_dict({"duration_ms": 100})),
        "3": VersionConfig(profile=BehaviourProfile.from_dict({"duration_ms": 50, "error_rate": 1.0})),
    }
    fn = FunctionConfig("checkout", versions=versions)
    buffer = RecordBuffer()
    completed = []

    class Sink:
        def emit(self, event):
            buffer.emit(event)
            if type(event).__name__ == "InvocationCompleted":
                completed.append(event)

    engine = Engine(clock, random.Random(7), sink=Sink(), registry=Registry(AccountConfig(), [fn]))
    engine.invoke_many([InvokeRequest("checkout", {"i": i}) for i in range(3)])
    clock.run(until=START + 10)
    for i in range(4):
        engine.invoke_many([InvokeRequest("checkout", {"i": 10 + i})])
        clock.run(until=START + 20 + 10 * i)
    engine.invoke_many([InvokeRequest("checkout", {"v": 3}, qualifier="3") for _ in range(2)])
    clock.run(until=START + 100)
    buffer.flush()
    return completed
