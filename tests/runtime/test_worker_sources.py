"""Event source mappings through a real Celery worker: SQS redrive and a Kinesis shard blocked by poison (§3)."""

import json

import pytest

from invocations.models import EventSourceMapping, InvocationRecord, MappingState, ProvisionedConcurrencyConfig
from invocations.runtime.host.lease import LEASE
from invocations.runtime.redis_store import RedisQueueStore, RedisStreamStore
from invocations.runtime.shared_clock import SharedClock
from invocations.services import (
    event_source_mapping_create,
    function_create,
    provisioned_concurrency_put,
    queue_create,
    stream_create,
    version_publish,
)
from invocations.tasks import host_run
from tests.conftest import eventually

from .worker import WorkerProcess

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

POISONABLE = {"duration_ms": 20, "init_ms": 50, "fail_when": [{"path": "poison", "equals": True}]}


def test_an_sqs_poison_message_is_redriven_to_the_dlq_after_max_receive_count(redis_client):
    # semantics §3: a failing batch becomes visible again after the visibility timeout; after maxReceiveCount the
    # message moves to the queue's DLQ, while good messages are deleted.
    dlq = queue_create(name="jobs-dlq")
    jobs = queue_create(name="jobs", visibility_timeout=30, dead_letter_queue=dlq, max_receive_count=2)
    worker_fn = function_create(name="job-worker", behaviour_profile=POISONABLE)
    event_source_mapping_create(function=worker_fn, event_source_arn=jobs.arn, batch_size=1)
    clock = SharedClock(redis_client)
    clock.set_speed(100.0)  # the 30 s visibility timeout passes in 0.3 s
    queues = RedisQueueStore(redis_client)
    process = WorkerProcess("sqs")
    host_run.delay(max_seconds=60)
    try:
        eventually(lambda: _exists(queues, jobs.arn), timeout=20, interval=0.2, what="the host to create the queue")
        for body in ({"n": 1}, {"n": 2, "poison": True}, {"n": 3}):
            queues.send_message(jobs.arn, json.dumps(body), now=clock.now())
        eventually(lambda: len(queues.messages(dlq.arn)) == 1, timeout=30, interval=0.2, what="one message in the DLQ")
        eventually(lambda: queues.counts(jobs.arn, now=clock.now()).total == 0, timeout=10, interval=0.2)
    finally:
        redis_client.delete(LEASE)
        process.stop()
    (dead,) = queues.messages(dlq.arn)
    assert json.loads(dead.body) == {"n": 2, "poison": True}
    assert EventSourceMapping.objects.get().state == MappingState.ENABLED  # the runtime settled "Creating"


def test_a_kinesis_poison_record_blocks_its_shard_while_the_other_shard_keeps_flowing(redis_client):
    # semantics §3: a failing batch is retried whole until it succeeds or expires (infinite by default), so its
    # shard is blocked; the other shard is independent.
    stream = stream_create(kind="kinesis", name="clicks", shard_count=2)
    processor = function_create(name="click-processor", behaviour_profile=POISONABLE)
    mapping = event_source_mapping_create(
        function=processor, event_source_arn=stream.arn, starting_position="TRIM_HORIZON", batch_size=10
    )
    clock = SharedClock(redis_client)
    clock.set_speed(10.0)
    streams = RedisStreamStore(redis_client)
    process = WorkerProcess("kinesis")
    host_run.delay(max_seconds=60)
    try:
        eventually(
            lambda: _stream_exists(streams, stream.arn), timeout=20, interval=0.2, what="the host to create the stream"
        )
        blocked, flowing = streams.shard_ids(stream.arn)
        put = [
            streams.put_record(stream.arn, "k", json.dumps({"n": 0, "poison": True}), now=clock.now(), shard_id=blocked)
        ]
        put += [
            streams.put_record(stream.arn, "k", json.dumps({"n": n}), now=clock.now(), shard_id=blocked) for n in (1, 2)
        ]
        last_flowing = None
        for batch in range(3):
            for n in range(5):
                last_flowing = streams.put_record(
                    stream.arn, "k", json.dumps({"n": n}), now=clock.now(), shard_id=flowing
                )
            eventually(
                lambda last=last_flowing: streams.get_checkpoint(str(mapping.uuid), stream.arn, flowing) == last.seq,
                timeout=20,
                interval=0.2,
                what=f"shard {flowing} to go on flowing in batch {batch}",
            )
        # The poisoned shard has not moved past the poison record, however long it has been retried.
        assert streams.get_checkpoint(str(mapping.uuid), stream.arn, blocked) in (None, put[0].seq - 1)
    finally:
        redis_client.delete(LEASE)
        process.stop()
    # ...because the batch holding it was invoked and failed again and again.
    failures = InvocationRecord.objects.filter(function="click-processor", outcome="FunctionError").count()
    assert failures >= 3


def test_provisioned_concurrency_is_allocated_and_reported_ready(redis_client):
    # semantics §9: PutProvisionedConcurrencyConfig answers IN_PROGRESS; the runtime allocates and reports READY.
    function = function_create(name="warm", behaviour_profile={"duration_ms": 10})
    version_publish(function=function)
    config = provisioned_concurrency_put(function=function, qualifier="1", provisioned_concurrent_executions=3)
    assert (config.status, config.allocated) == ("IN_PROGRESS", 0)
    process = WorkerProcess("pc")
    host_run.delay(max_seconds=60)
    try:
        eventually(
            lambda: ProvisionedConcurrencyConfig.objects.filter(pk=config.pk, status="READY", allocated=3).exists(),
            timeout=30,
            interval=0.2,
            what="the provisioned configuration to be READY with 3 allocated",
        )
    finally:
        redis_client.delete(LEASE)
        process.stop()


def _exists(queues, arn) -> bool:
    try:
        queues.queue_config(arn)
        return True
    except KeyError:
        return False


def _stream_exists(streams, arn) -> bool:
    try:
        streams.stream_config(arn)
        return True
    except KeyError:
        return False
