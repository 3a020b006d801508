"""The real AWS CLI (`aws logs ... --endpoint-url`) against the CloudWatch Logs API (issue 13 point 3): awscli
speaks awsJson1_1 to logs, and pages describe-log-groups, describe-log-streams and filter-log-events itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ACCESS_KEY_ID, SECRET_ACCESS_KEY
from .logs_fixtures import run_logged_traffic

pytestmark = pytest.mark.django_db(transaction=True)

AWS = str(Path(sys.executable).parent / "aws")
GROUP = "/aws/lambda/checkout"


@pytest.fixture
def logged_traffic():
    return run_logged_traffic()


def aws(endpoint_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
    }
    command = [AWS, "logs", *args, "--endpoint-url", endpoint_url, "--region", "us-east-1", "--output", "json"]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def ok(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_cli_lists_groups_and_streams_page_by_page(live_server, logged_traffic):
    groups = ok(aws(live_server.url, "describe-log-groups", "--page-size", "1"))["logGroups"]
    assert [g["logGroupName"] for g in groups] == [GROUP, "/aws/lambda/quiet"]
    streams = ok(aws(live_server.url, "describe-log-streams", "--log-group-name", GROUP, "--page-size", "2"))
    names = [s["logStreamName"] for s in streams["logStreams"]]
    assert len(names) == 5 and names == sorted(names)
    newest = ok(aws(live_server.url, "describe-log-streams", "--log-group-name", GROUP, "--order-by", "LastEventTime",
                    "--descending", "--max-items", "1"))  # fmt: skip
    assert newest["logStreams"][0]["logStreamName"].startswith("2026/12/03/[3]")


def test_the_cli_reads_one_streams_events(live_server, logged_traffic):
    (name,) = [
        s["logStreamName"]
        for s in ok(aws(live_server.url, "describe-log-streams", "--log-group-name", GROUP))["logStreams"]
        if s["logStreamName"].startswith("2026/12/03/[3]")
    ][:1]
    got = ok(aws(live_server.url, "get-log-events", "--log-group-name", GROUP, "--log-stream-name", name,
                 "--start-from-head"))  # fmt: skip
    messages = [e["message"] for e in got["events"]]
    assert messages[0].startswith("INIT_START") and messages[1].startswith("START RequestId")
    assert any(m.startswith("[ERROR]") for m in messages) and messages[-1].startswith("REPORT RequestId")
    assert got["nextForwardToken"].startswith("f/") and got["nextBackwardToken"].startswith("b/")


def test_the_cli_filters_events_with_a_pattern_and_pages_through_them(live_server, logged_traffic):
    everything = ok(aws(live_server.url, "filter-log-events", "--log-group-name", GROUP, "--page-size", "4"))
    assert len(everything["events"]) > 20 and "nextToken" not in everything  # the CLI followed every token
    errors = ok(aws(live_server.url, "filter-log-events", "--log-group-name", GROUP, "--filter-pattern",
                    "?ERROR ?Exception"))  # fmt: skip
    assert [e["message"].split(":")[0] for e in errors["events"]] == ["[ERROR] Exception"] * 2
    phrase = ok(aws(live_server.url, "filter-log-events", "--log-group-name", GROUP, "--filter-pattern",
                    '"Version: $LATEST"', "--start-time", "0"))  # fmt: skip
    assert len(phrase["events"]) == 7


def test_the_cli_prints_awss_errors(live_server, logged_traffic):
    missing = aws(live_server.url, "describe-log-streams", "--log-group-name", "/aws/lambda/nope")
    assert missing.returncode != 0
    assert (
        "An error occurred (ResourceNotFoundException) when calling the DescribeLogStreams operation: "
        "The specified log group does not exist." in missing.stderr
    )
    stream = aws(live_server.url, "get-log-events", "--log-group-name", GROUP, "--log-stream-name", "2026/12/03/x")
    assert "(ResourceNotFoundException) when calling the GetLogEvents operation: The specified log stream does not " \
        "exist." in stream.stderr  # fmt: skip
    filtered = aws(live_server.url, "filter-log-events", "--log-group-name", "/aws/lambda/nope")
    assert "(ResourceNotFoundException)" in filtered.stderr and "log group does not exist" in filtered.stderr
    pattern = aws(live_server.url, "filter-log-events", "--log-group-name", GROUP, "--filter-pattern", '"open')
    assert "(InvalidParameterException) when calling the FilterLogEvents operation: Invalid filter pattern" in (
        pattern.stderr
    )
    order = aws(live_server.url, "describe-log-streams", "--log-group-name", GROUP, "--order-by", "LastEventTime",
                "--log-stream-name-prefix", "2026")  # fmt: skip
    assert "(InvalidParameterException)" in order.stderr
    assert "Cannot order by LastEventTime with a logStreamNamePrefix." in order.stderr
    limit = aws(live_server.url, "describe-log-groups", "--limit", "51")
    assert "(InvalidParameterException)" in limit.stderr and "less than or equal to 50" in limit.stderr
