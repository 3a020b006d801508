"""Kinesis / DynamoDB stream pollers: batching, per-shard order, blocking retries, on-failure (semantics §3)."""

from invocations.engine.outcomes import Outcome
from invocations.engine.sources import (
    BatchFailed,
    BatchInvoked,
    BatchRetried,
    BatchSucceeded,
    OnFailureRecordSent,
    RecordsSkipped,
    ShardBlocked,
    ShardUnblocked,
)

from .esm_helpers import ScriptedInvoker, error, kinesis_items, kinesis_seqs, ok
from .stream_rig import DEST, stream_rig

SHARD = "shardId-000000000000"
ON_FAILURE = {"OnFailure": {"Destination": DEST}}


def test_records_reach_the_function_in_shard_order_in_batches_of_batch_size():
    # semantics §3
    rig = stream_rig(BatchSize=2)
    for i in range(5):
        rig.put("k", {"i": i})
    rig.clock.run(until=5)
    assert rig.delivered() == [[{"i": 0}, {"i": 1}], [{"i": 2}, {"i": 3}], [{"i": 4}]]


def test_a_batch_closes_as_soon_as_batch_size_records_wait_even_inside_the_window():
    # semantics §3
    rig = stream_rig(BatchSize=3, MaximumBatchingWindowInSeconds=5)
    for i in range(3):
        rig.put("k", {"i": i})
    rig.clock.run(until=1)
    assert [c.at for c in rig.invoker.calls] == [0.0]


def test_a_batch_closes_when_the_batching_window_expires():
    # semantics §3
    rig = stream_rig(BatchSize=3, MaximumBatchingWindowInSeconds=2)
    rig.put("k", {"i": 0})
    rig.clock.run(until=10)
    assert [(c.at, len(c.payload["Records"])) for c in rig.invoker.calls] == [(2.0, 1)]


def test_a_batch_closes_at_six_megabytes():
    # semantics §3
    rig = stream_rig(BatchSize=100, MaximumBatchingWindowInSeconds=1, decide=lambda p: ok())
    big = "x" * 1_600_000
    for _ in range(4):
        rig.put("k", big)
    rig.clock.run(until=10)
    assert [len(c.payload["Records"]) for c in rig.invoker.calls] == [3, 1]


def test_kinesis_polls_a_shard_once_a_second():
    # semantics §3
    rig = stream_rig()
    rig.clock.run(until=0.3)
    rig.put("k", {"i": 1})
    rig.clock.run(until=3)
    assert [c.at for c in rig.invoker.calls] == [1.0]


def test_dynamodb_polls_a_shard_four_times_a_second():
    # semantics §3
    rig = stream_rig("dynamodb", decide=lambda p: ok())
    rig.clock.run(until=0.3)
    rig.put("k", {"eventName": "INSERT", "Keys": {"id": {"S": "1"}}})
    rig.clock.run(until=3)
    assert [c.at for c in rig.invoker.calls] == [0.5]


def test_a_failing_batch_is_retried_whole_and_blocks_the_shard_until_it_succeeds():
    # semantics §3
    answers = iter([error(), error(), ok(), ok()])
    rig = stream_rig(decide=lambda payload: next(answers))
    first = rig.put("k", {"i": 0})
    rig.clock.run(until=2)
    second = rig.put("k", {"i": 1})
    rig.clock.run(until=10)
    ids = (first.sequence_number,)
    assert rig.events == [
        BatchInvoked(0.0, "esm-1", SHARD, ids, 1, 0.0),
        BatchFailed(0.25, "esm-1", SHARD, "FunctionError", ids),
        ShardBlocked(0.25, "esm-1", SHARD, first.sequence_number),
        BatchRetried(0.25, "esm-1", SHARD, 1, 1.0),
        BatchInvoked(1.25, "esm-1", SHARD, ids, 2, 1.25),
        BatchFailed(1.5, "esm-1", SHARD, "FunctionError", ids),
        BatchRetried(1.5, "esm-1", SHARD, 2, 1.0),
        BatchInvoked(2.5, "esm-1", SHARD, ids, 3, 2.5),  # the record put at t=2 waits behind it
        BatchSucceeded(2.75, "esm-1", SHARD, 1),
        ShardUnblocked(2.75, "esm-1", SHARD, "Succeeded"),
        BatchInvoked(2.75, "esm-1", SHARD, (second.sequence_number,), 1, 0.75),
        BatchSucceeded(3.0, "esm-1", SHARD, 1),
    ]


def test_by_default_a_poison_record_blocks_its_shard_forever():
    # semantics §3: MaximumRetryAttempts and MaximumRecordAgeInSeconds are infinite by default
    rig = stream_rig()
    rig.put("k", {"poison": True})
    rig.put("k", {"i": 1})
    rig.clock.run(until=120)
    assert all(batch == [{"poison": True}, {"i": 1}] for batch in rig.delivered())
    assert len(rig.invoker.calls) == 97  # t = 0, 1.25, ..., 120: 0.25 s run + 1 s retry delay each
    assert rig.of(ShardUnblocked) == [] and rig.poller.blocked_shards() == [SHARD]
    assert rig.poller.checkpoint(SHARD) == -1


def test_exhausted_retries_send_the_on_failure_record_and_the_shard_moves_on():
    # semantics §3
    rig = stream_rig(BatchSize=2, MaximumRetryAttempts=2, DestinationConfig=ON_FAILURE)
    poison = rig.put("k", {"poison": True})
    other = rig.put("k", {"i": 1})
    after = rig.put("k", {"i": 2})
    rig.clock.run(until=10)
    assert rig.delivered() == [[{"poison": True}, {"i": 1}]] * 3 + [[{"i": 2}]]
    assert rig.ctx.targets.bodies(DEST) == [
        {
            "requestContext": {
                "requestId": "req-3",
                "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:fn",
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": 3,
            },
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
            "version": "1.0",
            "timestamp": "2025-01-01T00:00:02.750Z",
            "KinesisBatchInfo": {
                "shardId": SHARD,
                "startSequenceNumber": poison.sequence_number,
                "endSequenceNumber": other.sequence_number,
                "approximateArrivalOfFirstRecord": "2025-01-01T00:00:00.000Z",
                "approximateArrivalOfLastRecord": "2025-01-01T00:00:00.000Z",
                "batchSize": 2,
                "streamArn": rig.arn,
            },
        }
    ]
    assert rig.of(OnFailureRecordSent, ShardUnblocked) == [
        OnFailureRecordSent(2.75, "esm-1", SHARD, DEST, "RetryAttemptsExhausted", 2),
        ShardUnblocked(2.75, "esm-1", SHARD, "RetryAttemptsExhausted"),
    ]
    assert rig.poller.checkpoint(SHARD) == after.seq


def test_a_batch_failed_by_reported_items_is_discarded_with_a_response_context_but_no_function_error():
    # semantics §3: the on-failure record's responseContext; the function raised nothing, so no functionError key
    rig = stream_rig(
        FunctionResponseTypes=["ReportBatchItemFailures"],
        MaximumRetryAttempts=0,
        DestinationConfig=ON_FAILURE,
        decide=lambda p: report(kinesis_seqs(p)[-1]),
    )
    rig.put("k", {"i": 0})
    failed = rig.put("k", {"i": 1})
    rig.clock.run(until=5)
    (body,) = rig.ctx.targets.bodies(DEST)
    assert list(body) == ["requestContext", "responseContext", "version", "timestamp", "KinesisBatchInfo"]
    assert body["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert body["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST"}
    assert body["KinesisBatchInfo"]["startSequenceNumber"] == failed.sequence_number
    assert body["KinesisBatchInfo"]["batchSize"] == 1


def test_zero_retry_attempts_gives_up_after_one_invocation():
    # semantics §3
    rig = stream_rig(MaximumRetryAttempts=0, DestinationConfig=ON_FAILURE)
    rig.put("k", {"poison": True})
    rig.clock.run(until=5)
    assert len(rig.invoker.calls) == 1
    assert rig.ctx.targets.bodies(DEST)[0]["requestContext"]["approximateInvokeCount"] == 1


def test_records_older_than_the_maximum_age_are_discarded_without_a_response_context():
    # semantics §3
    rig = stream_rig("dynamodb", MaximumRecordAgeInSeconds=60, DestinationConfig=ON_FAILURE, decide=lambda p: error())
    rec = rig.put("k", {"eventName": "INSERT", "Keys": {"id": {"S": "1"}}})
    rig.clock.run(until=100)
    (body,) = rig.ctx.targets.bodies(DEST)
    assert "responseContext" not in body
    assert body["requestContext"]["condition"] == "RecordAgeExceeded"
    assert body["requestContext"]["approximateInvokeCount"] == len(rig.invoker.calls)
    assert body["DDBStreamBatchInfo"]["startSequenceNumber"] == rec.sequence_number
    assert body["DDBStreamBatchInfo"]["streamArn"] == rig.arn
    # Every invocation happened while the record was at most 60 s old.
    assert max(c.at for c in rig.invoker.calls) <= 60
    assert rig.of(ShardUnblocked)[0].reason == "RecordAgeExceeded"


def test_without_a_destination_a_discarded_batch_is_simply_dropped():
    # semantics §3
    rig = stream_rig(MaximumRetryAttempts=1)
    rig.put("k", {"poison": True})
    rig.put("k", {"i": 1})
    rig.clock.run(until=5)
    assert rig.of(OnFailureRecordSent) == [] and rig.of(ShardUnblocked)[0].reason == "RetryAttemptsExhausted"


def test_bisect_splits_a_failing_batch_and_the_split_is_not_a_retry():
    # semantics §3
    rig = stream_rig(BisectBatchOnFunctionError=True, MaximumRetryAttempts=1, DestinationConfig=ON_FAILURE)
    for i in range(4):
        rig.put("k", {"i": i, "poison": i == 2})
    rig.clock.run(until=20)
    assert [[d["i"] for d in batch] for batch in rig.delivered()] == [
        [0, 1, 2, 3],  # fails: split
        [0, 1],  # ok
        [2, 3],  # fails: split
        [2],  # fails: first retry (the only one allowed)
        [2],  # fails: exhausted
        [3],  # ok
    ]
    (body,) = rig.ctx.targets.bodies(DEST)
    assert body["KinesisBatchInfo"]["batchSize"] == 1
    assert body["requestContext"]["approximateInvokeCount"] == 2


def test_throttles_back_off_and_retry_without_consuming_retry_attempts():
    # semantics §3
    answers = iter([(Outcome.THROTTLED, None)] * 3 + [error()])
    rig = stream_rig(MaximumRetryAttempts=0, DestinationConfig=ON_FAILURE, decide=lambda p: next(answers))
    rig.put("k", {"i": 0})
    rig.clock.run(until=20)
    assert [c.at for c in rig.invoker.calls] == [0.0, 1.0, 3.0, 7.0]
    assert [e.delay for e in rig.of(BatchRetried)] == [1.0, 2.0, 4.0]
    assert [e.reason for e in rig.of(BatchFailed)] == ["Throttled"] * 3 + ["FunctionError"]
    assert rig.ctx.targets.bodies(DEST)[0]["requestContext"]["approximateInvokeCount"] == 1


def report(*seqs: str) -> tuple:
    return ok({"batchItemFailures": [{"itemIdentifier": s} for s in seqs]})


def test_reported_item_failures_checkpoint_at_the_lowest_failed_sequence_number():
    # semantics §3
    answers = iter([None, ok()])
    rig = stream_rig(FunctionResponseTypes=["ReportBatchItemFailures"], decide=lambda p: next(answers) or first(p))
    records = [rig.put("k", {"i": i}) for i in range(5)]

    def first(payload):
        return report(records[3].sequence_number, records[1].sequence_number)

    rig.clock.run(until=0.3)
    assert rig.poller.checkpoint(SHARD) == records[0].seq
    rig.clock.run(until=5)
    assert [kinesis_seqs(c.payload) for c in rig.invoker.calls] == [
        [r.sequence_number for r in records],
        [r.sequence_number for r in records[1:]],
    ]
    assert rig.poller.checkpoint(SHARD) == records[4].seq


def test_an_empty_failure_list_or_null_response_is_success():
    # semantics §3
    answers = iter([ok({"batchItemFailures": []}), ok(None)])
    rig = stream_rig(BatchSize=1, FunctionResponseTypes=["ReportBatchItemFailures"], decide=lambda p: next(answers))
    rig.put("k", {"i": 0})
    rig.put("k", {"i": 1})
    rig.clock.run(until=5)
    assert len(rig.of(BatchSucceeded)) == 2 and rig.of(BatchFailed) == []


def test_a_bad_item_identifier_fails_the_whole_batch():
    # semantics §3
    answers = iter([ok({"batchItemFailures": [{"itemIdentifier": ""}]}), ok()])
    rig = stream_rig(FunctionResponseTypes=["ReportBatchItemFailures"], decide=lambda p: next(answers))
    rig.put("k", {"i": 0})
    rig.put("k", {"i": 1})
    rig.clock.run(until=5)
    assert [len(c.payload["Records"]) for c in rig.invoker.calls] == [2, 2]
    assert rig.of(BatchFailed)[0].reason == "InvalidResponse"


def test_with_bisect_a_reported_failure_splits_the_batch_at_that_record_without_a_retry():
    # semantics §3
    rig = stream_rig(
        FunctionResponseTypes=["ReportBatchItemFailures"],
        BisectBatchOnFunctionError=True,
        MaximumRetryAttempts=0,
        decide=lambda p: report(kinesis_seqs(p)[-1]) if len(p["Records"]) == 4 else ok(),
    )
    for i in range(4):
        rig.put("k", {"i": i})
    rig.clock.run(until=5)
    assert [len(c.payload["Records"]) for c in rig.invoker.calls] == [4, 1]
    assert rig.of(OnFailureRecordSent) == []


def test_parallelization_factor_runs_batches_side_by_side_but_keeps_each_key_in_order():
    # semantics §3
    rig = stream_rig(ParallelizationFactor=4, BatchSize=5, duration=2.0, decide=lambda p: ok())
    for i in range(40):
        rig.put(f"user-{i % 8}", {"key": f"user-{i % 8}", "i": i})
    rig.clock.run(until=60)
    assert rig.invoker.max_in_flight > 1
    assert rig.invoker.max_in_flight <= 4
    seen: dict[str, list[int]] = {}
    for call in rig.invoker.calls:
        for key, data in kinesis_items(call.payload):
            seen.setdefault(key, []).append(data["i"])
    assert all(order == sorted(order) for order in seen.values())
    assert sum(len(v) for v in seen.values()) == 40


def test_with_parallel_lanes_a_poison_key_blocks_only_its_own_lane():
    # semantics §3
    rig = stream_rig(ParallelizationFactor=10, decide=lambda p: error() if any(
        k == "bad" for k, _ in kinesis_items(p)) else ok())  # fmt: skip
    rig.put("bad", {"i": 0})
    for i in range(1, 30):
        rig.put(f"good-{i}", {"i": i})
    rig.clock.run(until=30)
    delivered_ok = {d["i"] for call in rig.invoker.calls for k, d in kinesis_items(call.payload) if k != "bad"}
    assert len(delivered_ok) >= 20  # most good keys live in other lanes and flow past the blocked one
    assert [e.shard_id for e in rig.of(ShardBlocked)] == [SHARD]
    # The shard checkpoint cannot pass the blocked record.
    assert rig.poller.checkpoint(SHARD) == -1


def test_iterator_age_is_the_age_of_the_last_record_of_the_batch():
    # semantics §3
    answers = iter([error()] * 5 + [ok()])
    rig = stream_rig(decide=lambda p: next(answers))
    rig.put("k", {"i": 0})
    rig.clock.run(until=4)
    assert rig.poller.iterator_age(SHARD) == 3.75  # measured at the latest invocation
    assert [e.iterator_age for e in rig.of(BatchInvoked)] == [0.0, 1.25, 2.5, 3.75]


def test_filtered_out_records_are_skipped_and_the_checkpoint_passes_them():
    # semantics §3
    rig = stream_rig(FilterCriteria={"Filters": [{"Pattern": '{"data": {"type": ["order"]}}'}]}, decide=lambda p: ok())
    rig.put("k", {"type": "ping"})
    wanted = rig.put("k", {"type": "order"})
    last = rig.put("k", {"type": "ping"})
    rig.clock.run(until=3)
    assert [kinesis_seqs(c.payload) for c in rig.invoker.calls] == [[wanted.sequence_number]]
    assert sum(e.count for e in rig.of(RecordsSkipped)) == 2
    assert rig.poller.checkpoint(SHARD) == last.seq


def test_latest_skips_records_already_in_the_stream():
    # semantics §3
    rig = stream_rig(StartingPosition="LATEST", start=False, decide=lambda p: ok())
    rig.put("k", {"i": "old"})
    rig.poller.start()
    rig.put("k", {"i": "new"})
    rig.clock.run(until=3)
    assert rig.delivered() == [[{"i": "new"}]]


def test_a_restarted_mapping_resumes_from_its_checkpoint():
    # semantics §3
    rig = stream_rig(decide=lambda p: ok())
    rig.put("k", {"i": 0})
    rig.clock.run(until=2)
    rig.poller.stop()
    rig.put("k", {"i": 1})
    rig.clock.run(until=4)
    rig.poller.start()
    rig.clock.run(until=6)
    assert rig.delivered() == [[{"i": 0}], [{"i": 1}]]


def test_a_blocked_batch_is_dropped_when_its_records_pass_retention():
    # semantics §3: "default settings can block a shard until retention"
    rig = stream_rig(retention=30)
    rig.put("k", {"poison": True})
    rig.clock.run(until=10)
    rig.put("k", {"i": 1})
    rig.clock.run(until=60)
    assert rig.of(ShardUnblocked)[0].reason == "RecordsExpired"
    assert rig.delivered()[-1] == [{"i": 1}]


def test_each_shard_is_polled_independently():
    # semantics §3
    rig = stream_rig(shards=4, decide=lambda p: error() if any(d.get("poison") for _, d in kinesis_items(p)) else ok())
    keys = [f"k{i}" for i in range(50)]
    records = [rig.put(k, {"k": k, "poison": k == "k0"}) for k in keys]
    rig.clock.run(until=10)
    blocked = records[0].shard_id
    delivered = {d["k"] for c in rig.invoker.calls for _, d in kinesis_items(c.payload)}
    others = {r.partition_key for r in records if r.shard_id != blocked}
    assert others <= delivered
    assert rig.poller.blocked_shards() == [blocked]


def test_stream_invocations_name_their_source():
    rig = stream_rig(decide=lambda p: ok())
    rig.put("k", {"i": 0})
    rig.clock.run(until=1)
    assert [(c.target, c.source) for c in rig.invoker.calls] == [("fn", "kinesis")]


def test_the_scripted_invoker_is_not_needed_twice():
    # guard for the helpers: a throttle answers synchronously, an error after the duration
    clock = __import__("invocations.engine.clock", fromlist=["VirtualClock"]).VirtualClock()
    seen = []
    ScriptedInvoker(clock, lambda p: (Outcome.THROTTLED, None)).invoke_sync("f", {}, on_complete=seen.append)
    assert seen[0].outcome is Outcome.THROTTLED


def test_disabling_lets_the_batch_in_flight_finish_and_checkpoint_but_starts_no_more():
    # semantics §3 (State Disabled)
    rig = stream_rig(decide=lambda p: ok(), duration=2.0)
    first = rig.put("k", {"i": 0})
    rig.clock.run(until=1)
    rig.poller.stop()
    rig.put("k", {"i": 1})
    rig.clock.run(until=10)
    assert rig.delivered() == [[{"i": 0}]]
    assert rig.poller.checkpoint(SHARD) == first.seq
