"""Through the real Lambda API and a running engine host: invocations journalled and written by the host land in
their environment's CloudWatch Logs stream, read back with boto3 (issue 13 point 3)."""

from __future__ import annotations

import base64
import re

import pytest

from invocations.models import InvocationRecord
from tests.conftest import eventually

from .conftest import create_modelled
from .logs_fixtures import logs_client

pytestmark = pytest.mark.django_db(transaction=True)


def test_invocations_through_the_host_land_in_one_stream_per_environment(client, engine_host, live_server):
    # semantics §9: sequential sync invokes reuse one warm environment, so they share one stream
    create_modelled(client, "orders", {"duration_ms": 5})
    sent = []
    for _ in range(3):
        answer = client.invoke(FunctionName="orders", Payload=b"{}", LogType="Tail")
        sent.append(answer["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"])
        tail = base64.b64decode(answer["LogResult"]).decode()
        assert f"REPORT RequestId: {answer['ResponseMetadata']['RequestId']}" in tail
    eventually(
        lambda: InvocationRecord.objects.filter(function="orders").count() == 3,
        timeout=30.0,
        what="the three invocation records",
    )

    logs = logs_client(live_server.url)
    (stream,) = logs.describe_log_streams(logGroupName="/aws/lambda/orders")["logStreams"]
    name = stream["logStreamName"]
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2}/\[\$LATEST\][0-9a-f]{32}", name)
    assert InvocationRecord.objects.filter(function="orders").values("env_id").distinct().count() == 1
    assert InvocationRecord.objects.filter(function="orders").first().env_id > 2**22  # this host run's id base
    events = logs.get_log_events(logGroupName="/aws/lambda/orders", logStreamName=name, startFromHead=True)["events"]
    starts = [e["message"].split()[2] for e in events if e["message"].startswith("START RequestId")]
    assert starts == sent
    found = logs.filter_log_events(logGroupName="/aws/lambda/orders", filterPattern=f'"{sent[1]}"')["events"]
    assert {e["logStreamName"] for e in found} == {name} and len(found) == 3  # its START, END and REPORT
