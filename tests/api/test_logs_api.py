"""The CloudWatch Logs API through real boto3 (awsJson1_1) on the invocation records (issue 13 point 3): log
groups `/aws/lambda/<function>`, one stream per execution environment, GetLogEvents and FilterLogEvents."""

from __future__ import annotations

import re

import boto3
import pytest
from botocore.exceptions import ClientError

from invocations.models import InvocationRecord
from invocations.rules.log_streams import parse_stream, stream_name

from .logs_fixtures import START, logs_client, run_logged_traffic

pytestmark = pytest.mark.django_db(transaction=True)

STREAM_FORMAT = re.compile(r"2026/12/03/\[(\$LATEST|3)\][0-9a-f]{32}")


@pytest.fixture
def logged_traffic():
    return run_logged_traffic()


@pytest.fixture
def logs(live_server):
    return logs_client(live_server.url)


def error_of(call) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as caught:
        call()
    error = caught.value.response["Error"]
    return error["Code"], error["Message"], caught.value.response["ResponseMetadata"]["HTTPStatusCode"]


def streams(logs, **kwargs) -> list[dict]:
    return logs.describe_log_streams(logGroupName="/aws/lambda/checkout", **kwargs)["logStreams"]


def test_every_function_has_its_log_group(logs, logged_traffic):
    groups = logs.describe_log_groups()["logGroups"]
    assert [g["logGroupName"] for g in groups] == ["/aws/lambda/checkout", "/aws/lambda/quiet"]
    assert groups[0]["arn"] == groups[0]["logGroupArn"] + ":*"
    assert groups[0]["logGroupArn"].endswith(":log-group:/aws/lambda/checkout")
    assert [g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/q")["logGroups"]] == [
        "/aws/lambda/quiet"
    ]
    assert [g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePattern="CHECK")["logGroups"]] == [
        "/aws/lambda/checkout"
    ]


def test_describe_log_groups_pages_with_next_token(logs, logged_traffic):
    first = logs.describe_log_groups(limit=1)
    second = logs.describe_log_groups(limit=1, nextToken=first["nextToken"])
    assert [g["logGroupName"] for g in first["logGroups"] + second["logGroups"]] == [
        "/aws/lambda/checkout",
        "/aws/lambda/quiet",
    ]
    assert "nextToken" not in second
    pages = logs.get_paginator("describe_log_groups").paginate(PaginationConfig={"PageSize": 1})
    assert len([g for page in pages for g in page["logGroups"]]) == 2


def test_one_stream_per_environment_named_as_aws_names_them(logs, logged_traffic):
    # semantics §9: 3 concurrent $LATEST invocations need 3 environments; later ones reuse a warm one; version 3's
    # two concurrent invocations get two more. Each stream is dated by its environment's first invocation.
    found = streams(logs)
    assert len(found) == 5
    assert all(STREAM_FORMAT.fullmatch(s["logStreamName"]) for s in found), [s["logStreamName"] for s in found]
    assert sorted(s["logStreamName"] for s in found) == [s["logStreamName"] for s in found]  # by name by default
    assert sum(s["logStreamName"].startswith("2026/12/03/[3]") for s in found) == 2
    by_env: dict[tuple[str, int], set[str]] = {}
    for event in logged_traffic:
        version = event.result.executed_version
        by_env.setdefault((version, event.env_id), set()).add(event.result.request_id)
    assert len(by_env) == 5
    for s in found:
        assert s["firstEventTimestamp"] <= s["lastEventTimestamp"]
        assert s["arn"].endswith(f":log-group:/aws/lambda/checkout:log-stream:{s['logStreamName']}")


def test_one_environments_invocations_land_in_its_one_stream(logs, logged_traffic):
    # The reused $LATEST environment ran 1 cold + 4 warm invocations: all five in one stream, in order.
    by_env: dict[int, list] = {}
    for event in logged_traffic:
        by_env.setdefault(event.env_id, []).append(event)
    env_id, events = max(by_env.items(), key=lambda item: len(item[1]))
    assert len(events) == 5
    first = min(e.started_at for e in events)
    name = stream_name(function="checkout", version="$LATEST", env_id=env_id, first_at=first)
    got = logs.get_log_events(logGroupName="/aws/lambda/checkout", logStreamName=name, startFromHead=True)
    messages = [e["message"] for e in got["events"]]
    starts = [m.split()[2] for m in messages if m.startswith("START RequestId")]
    assert starts == [e.result.request_id for e in events]
    assert messages[0].startswith("INIT_START Runtime Version:")
    assert sum(m.startswith("REPORT RequestId") for m in messages) == 5
    assert sum("Init Duration" in m for m in messages) == 1  # only the cold start
    assert [e["timestamp"] for e in got["events"]] == sorted(e["timestamp"] for e in got["events"])
    assert parse_stream("checkout", name).env_id == env_id


def test_describe_log_streams_orders_by_last_event_time_and_filters_by_prefix(logs, logged_traffic):
    newest_first = streams(logs, orderBy="LastEventTime", descending=True)
    last = [s["lastEventTimestamp"] for s in newest_first]
    assert last == sorted(last, reverse=True)
    assert newest_first[0]["logStreamName"].startswith("2026/12/03/[3]")
    assert len(streams(logs, logStreamNamePrefix="2026/12/03/[3]")) == 2
    assert streams(logs, logStreamNamePrefix="2026/12/04/") == []
    page = logs.describe_log_streams(logGroupName="/aws/lambda/checkout", limit=2)
    rest = logs.describe_log_streams(logGroupName="/aws/lambda/checkout", nextToken=page["nextToken"])
    assert [s["logStreamName"] for s in page["logStreams"] + rest["logStreams"]] == [
        s["logStreamName"] for s in streams(logs)
    ]
    assert logs.describe_log_streams(logGroupName="/aws/lambda/quiet")["logStreams"] == []


def test_get_log_events_reads_the_tail_by_default_and_pages_both_ways(logs, logged_traffic):
    name = max(streams(logs), key=lambda s: s["lastEventTimestamp"] - s["firstEventTimestamp"])["logStreamName"]
    group = "/aws/lambda/checkout"
    whole = logs.get_log_events(logGroupName=group, logStreamName=name, startFromHead=True)["events"]
    tail = logs.get_log_events(logGroupName=group, logStreamName=name, limit=3)
    assert tail["events"] == whole[-3:]
    before = logs.get_log_events(logGroupName=group, logStreamName=name, limit=3, nextToken=tail["nextBackwardToken"])
    assert before["events"] == whole[-6:-3]
    head = logs.get_log_events(logGroupName=group, logStreamName=name, limit=4, startFromHead=True)
    after = logs.get_log_events(logGroupName=group, logStreamName=name, limit=4, nextToken=head["nextForwardToken"])
    assert head["events"] + after["events"] == whole[:8]
    end = logs.get_log_events(logGroupName=group, logStreamName=name, nextToken=tail["nextForwardToken"])
    assert end["events"] == [] and end["nextForwardToken"] == tail["nextForwardToken"]  # the CLI stops here
    # startTime/endTime bound the events' timestamps, [start, end)
    cut = whole[len(whole) // 2]["timestamp"]
    later = logs.get_log_events(logGroupName=group, logStreamName=name, startTime=cut, startFromHead=True)["events"]
    assert later and all(e["timestamp"] >= cut for e in later)
    earlier = logs.get_log_events(logGroupName=group, logStreamName=name, endTime=cut, startFromHead=True)["events"]
    assert earlier + later == whole
    by_arn = logs.get_log_events(
        logGroupIdentifier=f"arn:aws:logs:us-east-1:123456789012:log-group:{group}", logStreamName=name, limit=3
    )
    assert by_arn["events"] == tail["events"]


def test_filter_log_events_matches_terms_phrases_and_optional_terms(logs, logged_traffic):
    group = "/aws/lambda/checkout"

    def messages(pattern: str, **kwargs) -> list[str]:
        found = logs.filter_log_events(logGroupName=group, filterPattern=pattern, **kwargs)["events"]
        return [e["message"] for e in found]

    assert len(messages("REPORT")) == 9  # every invocation
    assert len(messages("REPORT Init")) == 5  # terms are ANDed: the cold starts (3 + 2 environments)
    assert all("Version: 3" in m for m in messages('"Version: 3"'))  # a quoted phrase
    assert len(messages('"Version: 3"')) == 2
    errors = messages("?ERROR ?INIT_START")  # either term
    assert sum(m.startswith("[ERROR]") for m in errors) == 2 and sum(m.startswith("INIT_START") for m in errors) == 5
    assert messages("report") == []  # case-sensitive
    assert len(messages("REPORT -Init")) == 4  # the warm invocations
    events = logs.filter_log_events(logGroupName=group, filterPattern="REPORT")["events"]
    assert all(STREAM_FORMAT.fullmatch(e["logStreamName"]) for e in events)
    assert len({e["eventId"] for e in events}) == 9


def test_filter_log_events_bounds_time_streams_and_pages(logs, logged_traffic):
    group = "/aws/lambda/checkout"
    everything = logs.filter_log_events(logGroupName=group)["events"]
    assert len(everything) == sum(len(r.log.split("\n")) for r in InvocationRecord.objects.exclude(log=""))
    cut = int((START + 15) * 1000)
    late = logs.filter_log_events(logGroupName=group, startTime=cut)["events"]
    early = logs.filter_log_events(logGroupName=group, endTime=cut)["events"]
    assert all(e["timestamp"] >= cut for e in late) and all(e["timestamp"] < cut for e in early)
    assert len(late) + len(early) == len(everything)
    version_3 = logs.filter_log_events(logGroupName=group, logStreamNamePrefix="2026/12/03/[3]")["events"]
    assert {e["logStreamName"][:14] for e in version_3} == {"2026/12/03/[3]"}
    one = version_3[0]["logStreamName"]
    only = logs.filter_log_events(logGroupName=group, logStreamNames=[one])["events"]
    assert {e["logStreamName"] for e in only} == {one}
    paged, token = [], None
    while True:
        page = logs.filter_log_events(logGroupName=group, limit=7, **({"nextToken": token} if token else {}))
        paged += page["events"]
        token = page.get("nextToken")
        if token is None:
            break
    assert paged == everything
    paginator = logs.get_paginator("filter_log_events")
    via_paginator = paginator.paginate(logGroupName=group, PaginationConfig={"PageSize": 5})
    assert [e for page in via_paginator for e in page["events"]] == everything


def test_unknown_groups_and_streams_get_awss_errors(logs, logged_traffic):
    group_missing = ("ResourceNotFoundException", "The specified log group does not exist.", 400)
    assert error_of(lambda: logs.describe_log_streams(logGroupName="/aws/lambda/nope")) == group_missing
    assert error_of(lambda: logs.describe_log_streams(logGroupName="/not/lambda")) == group_missing
    assert error_of(lambda: logs.get_log_events(logGroupName="/aws/lambda/nope", logStreamName="x")) == group_missing
    assert error_of(lambda: logs.filter_log_events(logGroupName="/aws/lambda/nope")) == group_missing
    stream_missing = ("ResourceNotFoundException", "The specified log stream does not exist.", 400)
    real = streams(logs)[0]["logStreamName"]
    for name in ("nope", real.replace("2026/12/03", "2026/12/04"), real[:-1] + ("0" if real[-1] != "0" else "1")):
        call = lambda name=name: logs.get_log_events(logGroupName="/aws/lambda/checkout", logStreamName=name)  # noqa: E731
        assert error_of(call) == stream_missing
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.describe_log_streams(logGroupName="/aws/lambda/nope")


def test_bad_parameters_get_invalid_parameter_exception(live_server, logged_traffic):
    logs = logs_client(live_server.url, validate=False)  # what botocore would refuse itself reaches the server
    group = "/aws/lambda/checkout"
    invalid = "InvalidParameterException"
    assert error_of(lambda: logs.filter_log_events(logGroupName=group, filterPattern='"unclosed')) == (
        invalid,
        "Invalid filter pattern",
        400,
    )
    assert error_of(lambda: logs.filter_log_events(logGroupName=group, filterPattern="{ $.level = 1 }"))[1] == (
        "Invalid filter pattern"
    )
    assert error_of(
        lambda: logs.describe_log_streams(logGroupName=group, orderBy="LastEventTime", logStreamNamePrefix="2026")
    ) == (invalid, "Cannot order by LastEventTime with a logStreamNamePrefix.", 400)
    assert error_of(lambda: logs.describe_log_streams(logGroupName=group, limit=51)) == (
        invalid,
        "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: "
        "Member must have value less than or equal to 50",
        400,
    )
    assert error_of(lambda: logs.get_log_events(logGroupName=group, logStreamName="x", limit=10001))[0] == (
        "ResourceNotFoundException"  # the stream is looked up first
    )
    assert error_of(lambda: logs.filter_log_events(logGroupName=group, limit=0))[0] == invalid
    assert error_of(lambda: logs.filter_log_events(logGroupName=group, nextToken="garbage"))[0] == invalid
    name = streams(logs)[0]["logStreamName"]
    assert error_of(lambda: logs.get_log_events(logGroupName=group, logStreamName=name, nextToken="f/1"))[0] == invalid
    assert error_of(lambda: logs.describe_log_streams())[0] == invalid
    assert (
        error_of(lambda: logs.filter_log_events(logGroupName=group, logStreamNames=[name], logStreamNamePrefix="2026"))[
            0
        ]
        == invalid
    )
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.filter_log_events(logGroupName=group, filterPattern='"unclosed')


def test_a_bad_signature_is_refused_before_anything_is_read(live_server, logged_traffic):
    wrong = boto3.client(
        "logs",
        endpoint_url=live_server.url,
        region_name="us-east-1",
        aws_access_key_id="AKIALAMBDAVIZTEST001",
        aws_secret_access_key="not-the-secret",
    )
    code, _, status = error_of(lambda: wrong.describe_log_groups())
    assert (code, status) == ("InvalidSignatureException", 403)
