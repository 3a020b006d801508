"""The dashboard's log tail reads the CloudWatch Logs store: each invocation names the stream that
`aws logs get-log-events` reads it from (issue 13 point 3)."""

from __future__ import annotations

import pytest

from invocations.services import logs
from tests.api.logs_fixtures import run_logged_traffic

pytestmark = pytest.mark.django_db


def test_the_log_tail_names_each_invocations_log_stream(client):
    run_logged_traffic()
    entries = client.get("/dashboard/api/functions/checkout/logs").json()["entries"]
    assert len(entries) == 9  # every invocation, newest first
    assert [e["completed_at"] for e in entries] == sorted((e["completed_at"] for e in entries), reverse=True)
    for entry in entries[:3]:
        got = logs.get_log_events(
            {"logGroupName": "/aws/lambda/checkout", "logStreamName": entry["log_stream"], "startFromHead": True}
        )
        assert entry["lines"][-1] in [e["message"] for e in got["events"]]  # its REPORT line, in that stream
    only_3 = client.get("/dashboard/api/functions/checkout/logs?version=3").json()["entries"]
    assert len(only_3) == 2 and all(e["log_stream"].startswith("2026/12/03/[3]") for e in only_3)
