"""`manage.py traffic` feeding an SQS FIFO queue through the real engine host (issue 11, point 8): groups, dedup
ids, SQS's errors, and the gauges behind the diagram's group lanes (a failing group held, the others flowing)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from invocations.models import InvocationRecord
from invocations.runtime.host.lease import LEASE
from invocations.runtime.host.wiring import build_host
from invocations.runtime.publisher import Publisher
from invocations.runtime.shared_clock import SharedClock
from invocations.runtime.traffic import BURSTS
from invocations.services import event_source_mapping_create, function_create, queue_create
from invocations.services.host_adapter import DatabaseConfig, DatabaseReporter
from tests.conftest import eventually

from .test_host import CollectingLayer

pytestmark = pytest.mark.django_db(transaction=True)

POISONABLE = {"duration_ms": 20, "init_ms": 50, "fail_when": [{"path": "poison", "equals": True}]}


@pytest.fixture
def jobs(redis_client):
    return queue_create(name="jobs.fifo", visibility_timeout=60)


@pytest.fixture
def host(redis_client, jobs):
    SharedClock(redis_client).set_speed(1.0)
    redis_client.set(LEASE, "a-running-host", ex=60)  # the traffic command acts only while an engine host runs
    layer = CollectingLayer()
    engine_host = build_host(
        client=redis_client,
        config=DatabaseConfig(),
        reporter=DatabaseReporter(),
        publisher=Publisher(channel_layer=layer),
        seed=5,
    )
    engine_host.layer = layer
    yield engine_host
    engine_host.close()


def _run_until(host, condition, seconds=5.0):
    """Run the host 0.1 s at a time until `condition()` holds (AssertionError after `seconds`)."""

    def ran_until() -> bool:
        host.run(0.1)
        return condition()

    return eventually(ran_until, timeout=seconds, interval=0)


def test_a_burst_spread_over_groups_lands_in_the_fifo_queue_round_robin(host, jobs):
    out = StringIO()
    call_command("traffic", "burst", "6", "--type", "sqs", "--target", jobs.arn, "--groups", "2", stdout=out)
    assert f"Sent a burst of 6 to {jobs.arn}." in out.getvalue()
    assert _run_until(host, lambda: len(host.queues.messages(jobs.arn)) == 6)
    messages = host.queues.messages(jobs.arn)
    assert [m.group_id for m in messages] == ["group-0", "group-1"] * 3
    assert len({m.dedup_id for m in messages}) == 6  # each message is a new send, not a duplicate


def test_a_stream_with_one_group_and_a_dedup_template_numbers_its_messages(host, jobs):
    out = StringIO()
    target = "jobs.fifo"  # a name works as well as the ARN
    args = ["--type", "sqs", "--target", target, "--rate", "20", "--group-id", "tenant-a", "--dedup-id", "job-{n}"]
    call_command("traffic", "start", "jobs", *args, stdout=out)
    call_command("traffic", "list", stdout=out)
    assert "groups tenant-a" in out.getvalue()
    host.step()
    assert _run_until(host, lambda: len(host.queues.messages(jobs.arn)) >= 3)
    call_command("traffic", "stop", "jobs", stdout=out)
    messages = host.queues.messages(jobs.arn)
    assert {m.group_id for m in messages} == {"tenant-a"}
    assert [m.dedup_id for m in messages[:3]] == ["job-0", "job-1", "job-2"]


def test_a_fifo_target_without_a_group_gets_sqs_s_missing_parameter_and_nothing_is_sent(host, jobs, redis_client):
    missing = r"MissingParameter: The request must contain the parameter MessageGroupId\."
    with pytest.raises(CommandError, match=missing):
        call_command("traffic", "burst", "5", "--type", "sqs", "--target", jobs.arn)
    with pytest.raises(CommandError, match="MissingParameter"):
        call_command("traffic", "start", "j", "--type", "sqs", "--target", jobs.arn, "--rate", "5")
    with pytest.raises(CommandError, match="InvalidParameterValue: Value bad group for parameter MessageGroupId"):
        call_command("traffic", "burst", "5", "--type", "sqs", "--target", jobs.arn, "--group-id", "bad group")
    plain = queue_create(name="plain")
    with pytest.raises(CommandError, match="not valid for this queue type"):
        call_command("traffic", "burst", "5", "--type", "sqs", "--target", plain.arn, "--group-id", "g")
    assert redis_client.llen(BURSTS) == 0


def test_a_failing_group_is_held_while_another_group_flows(host, jobs):
    # semantics §3 (SQS FIFO): one batch in flight per group; a failed message holds its group until it succeeds
    # or is redriven; the other groups keep flowing.
    worker = function_create(name="job-worker", behaviour_profile=POISONABLE)
    mapping = event_source_mapping_create(function=worker, event_source_arn=jobs.arn, batch_size=1)
    host.step()
    sqs = ["--type", "sqs", "--target", jobs.arn]
    call_command("traffic", "burst", "1", *sqs, "--group-id", "bad", "--payload", '{"poison": true}', stdout=StringIO())
    call_command("traffic", "burst", "3", *sqs, "--group-id", "bad", stdout=StringIO())
    call_command("traffic", "burst", "5", *sqs, "--group-id", "good", stdout=StringIO())

    def good_drained():
        groups = host.queues.group_counts(jobs.arn, now=host.clock.now())
        return "good" not in groups and host.pollers[str(mapping.uuid)][1].blocked_groups == {"bad"}

    assert _run_until(host, good_drained), host.queues.group_counts(jobs.arn, now=host.clock.now())
    host.run(0.3)  # a frame with the gauges of that state
    frames = [m["frame"] for g, m in host.layer.sent if g == "lv.fn.job-worker" and m["type"] == "lv.frame"]
    lanes = frames[-1]["gauges"]["mappings"][str(mapping.uuid)]
    assert lanes["blocked_groups"] == ["bad"]
    # The poison message is hidden until its visibility timeout; the three behind it wait; nothing of "bad" ran
    # after the failure.
    assert lanes["groups"] == {"bad": {"waiting": 3, "in_flight": 1, "blocked": True}}
    assert InvocationRecord.objects.filter(function="job-worker", outcome="Success").count() == 5
