"""Feeding an SQS FIFO queue from the dashboard: the queue is offered, group and deduplication ids are required,
and SQS's own errors come back (issue 11, point 8)."""

import pytest

from invocations.runtime.redis_store import RedisQueueStore
from invocations.services import event_source_mapping_create, function_create, queue_create

from .test_controls import csrf_token, post

pytestmark = pytest.mark.django_db

URL = "/dashboard/api/sources/message"


@pytest.fixture
def jobs(redis_client):
    queue = queue_create(name="jobs.fifo", visibility_timeout=60)
    queue_create(name="plain")
    worker = function_create(name="job-worker", behaviour_profile={"duration_ms": 20})
    event_source_mapping_create(function=worker, event_source_arn=queue.arn, batch_size=10)
    return queue


def test_a_fifo_queue_with_a_mapping_is_offered_with_group_and_deduplication_fields(admin_client, jobs):
    html = admin_client.get("/functions/job-worker/").content.decode()
    assert f'<option value="{jobs.arn}" data-fifo>jobs.fifo</option>' in html
    assert 'name="group_id"' in html and 'name="dedup_id"' in html and 'name="groups"' in html
    topology = admin_client.get("/dashboard/api/functions/job-worker/topology").json()
    assert topology["invokers"]["mappings"][0]["fifo"] is True


def test_a_message_with_group_and_deduplication_ids_lands_in_its_group(admin_client, jobs, redis_client):
    token = csrf_token(admin_client, "/functions/job-worker/")
    body = {"queue": jobs.arn, "body": '{"job": 1}', "group_id": "tenant-a", "dedup_id": "job-1"}
    response = post(admin_client, URL, body, token)
    assert response.status_code == 200, response.content
    # SQS FIFO: the same deduplication id within 5 minutes is accepted but not delivered twice.
    assert post(admin_client, URL, body, token).status_code == 200
    (message,) = RedisQueueStore(redis_client).messages(jobs.arn)
    assert (message.group_id, message.dedup_id, message.body) == ("tenant-a", "job-1", '{"job": 1}')


@pytest.mark.parametrize(
    ("fields", "error_type", "message"),
    [
        ({"dedup_id": "d1"}, "MissingParameter", "The request must contain the parameter MessageGroupId."),
        (
            {"group_id": "tenant-a"},
            "InvalidParameterValue",
            "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided "
            "explicitly",
        ),
        (
            {"group_id": "has space", "dedup_id": "d1"},
            "InvalidParameterValue",
            "Value has space for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include "
            "alphanumeric and punctuation characters. 1 to 128 in length.",
        ),
    ],
)
def test_bad_fifo_input_gets_sqs_error(admin_client, jobs, redis_client, fields, error_type, message):
    token = csrf_token(admin_client, "/functions/job-worker/")
    response = post(admin_client, URL, {"queue": jobs.arn, "body": "x", **fields}, token)
    assert response.status_code == 400
    assert response["x-amzn-ErrorType"] == error_type and response.json()["message"] == message
    assert not redis_client.keys("*jobs.fifo*")  # refused before anything was written


def test_a_group_id_on_a_standard_queue_is_refused_as_sqs_does(admin_client, jobs):
    token = csrf_token(admin_client, "/functions/job-worker/")
    response = post(admin_client, URL, {"queue": "plain", "body": "x", "group_id": "g"}, token)
    assert response.status_code == 400 and response["x-amzn-ErrorType"] == "InvalidParameterValue"
    assert response.json()["message"] == (
        "Value g for parameter MessageGroupId is invalid. Reason: The request include parameter that is not valid "
        "for this queue type."
    )


def test_the_traffic_controls_send_a_burst_spread_over_groups(admin_client, jobs, redis_client):
    token = csrf_token(admin_client, "/functions/job-worker/")
    burst = {"target": jobs.arn, "kind": "sqs", "count": 4, "groups": 2}
    assert post(admin_client, "/dashboard/api/traffic/burst", burst, token).status_code == 200
    missing = {"target": jobs.arn, "kind": "sqs", "count": 4}
    response = post(admin_client, "/dashboard/api/traffic/burst", missing, token)
    assert response.status_code == 400 and response["x-amzn-ErrorType"] == "MissingParameter"
    assert redis_client.llen("lv:traffic:bursts") == 1


def test_the_demo_has_a_fifo_queue_and_a_scenario_that_feeds_its_groups_with_one_poison_job(admin_client, redis_client):
    from invocations.models import EventSourceMapping
    from invocations.services.demo import demo_seed

    demo_seed()
    jobs = EventSourceMapping.objects.get(queue__name="jobs.fifo")
    assert jobs.function.name == "job-runner" and jobs.queue.dead_letter_queue.name == "jobs-dlq.fifo"
    assert jobs.queue.visibility_timeout >= 6 * jobs.function.timeout  # semantics §3
    token = csrf_token(admin_client, "/functions/job-runner/")
    assert post(admin_client, "/dashboard/api/scenarios/fifo_groups", {}, token).status_code == 200
    (stream,) = admin_client.get("/dashboard/api/traffic").json()["streams"]
    assert (stream["name"], stream["group_id"], stream["groups"]) == ("jobs", "customer", 3)
    assert stream["target"] == jobs.queue.arn
    assert redis_client.llen("lv:traffic:bursts") == 1  # the poison job, in group customer-0
