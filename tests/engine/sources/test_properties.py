"""Property tests: per-key order on streams, per-group order on FIFO queues, and no lost messages (semantics §3)."""

from __future__ import annotations

import json
import random
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invocations.engine.outcomes import Outcome
from invocations.engine.sources import MessageRedriven

from .esm_helpers import error, ok
from .queue_rig import queue_rig
from .stream_rig import DEST, stream_rig

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Chaos:
    """A seeded function: throttles, errors, partial failures (as item ids) or success, and a log of answers."""

    def __init__(self, seed: int, ids_of, *, throttle: float, fail: float, partial: float) -> None:
        self.rng = random.Random(seed)
        self.ids_of = ids_of
        self.throttle, self.fail, self.partial = throttle, fail, partial
        self.answers: list[tuple[Outcome, list[str]]] = []  # per call: outcome and the ids that failed

    def __call__(self, payload: dict) -> tuple:
        ids = self.ids_of(payload)
        roll = self.rng.random()
        if roll < self.throttle:
            self.answers.append((Outcome.THROTTLED, ids))
            return Outcome.THROTTLED, None
        if roll < self.throttle + self.fail:
            self.answers.append((Outcome.FUNCTION_ERROR, ids))
            return error()
        if roll < self.throttle + self.fail + self.partial:
            failed = [i for i in ids if self.rng.random() < 0.3]
            self.answers.append((Outcome.SUCCESS, failed))
            return ok({"batchItemFailures": [{"itemIdentifier": i} for i in failed]})
        self.answers.append((Outcome.SUCCESS, []))
        return ok()


def kinesis_ids(payload: dict) -> list[str]:
    return [r["kinesis"]["sequenceNumber"] for r in payload["Records"]]


@PROPERTY
@given(
    seed=st.integers(0, 2**32),
    shards=st.integers(1, 3),
    factor=st.integers(1, 4),
    batch=st.integers(1, 5),
    bisect=st.booleans(),
    rbif=st.booleans(),
    retries=st.integers(0, 3),
    n=st.integers(1, 40),
    keys=st.integers(1, 6),
)
def test_stream_records_reach_the_function_in_order_per_partition_key_and_none_are_lost(
    seed, shards, factor, batch, bisect, rbif, retries, n, keys
):
    # semantics §3: order per shard / per partition key; retries block; exhausted batches go to on-failure
    chaos = Chaos(seed, kinesis_ids, throttle=0.05, fail=0.2, partial=0.2 if rbif else 0.0)
    rig = stream_rig(
        shards=shards,
        decide=chaos,
        duration=0.5,
        ParallelizationFactor=factor,
        BatchSize=batch,
        BisectBatchOnFunctionError=bisect,
        FunctionResponseTypes=["ReportBatchItemFailures"] if rbif else None,
        MaximumRetryAttempts=retries,
        DestinationConfig={"OnFailure": {"Destination": DEST}},
    )
    rng = random.Random(seed + 1)
    records = [rig.put(f"key-{rng.randrange(keys)}", {"i": i}) for i in range(n)]
    last = {r.shard_id: r.seq for r in records}
    while rig.clock.now() < 5000 and any(rig.poller.checkpoint(s) != seq for s, seq in last.items()):
        rig.clock.run(until=rig.clock.now() + 50)

    by_seq = {(r.shard_id, r.sequence_number): r for r in records}
    first_seen: dict[str, list[int]] = defaultdict(list)  # key -> seqs in order of first delivery
    delivered: set[tuple[str, int]] = set()
    done_upto: dict[str, tuple[float, int]] = {}  # key -> (time, highest seq completed)
    busy: dict[str, list[tuple[float, float]]] = defaultdict(list)
    completed: set[tuple[str, int]] = set()
    for call, (outcome, failed) in zip(rig.invoker.calls, chaos.answers, strict=True):
        shard = call.payload["Records"][0]["eventID"].split(":")[0]
        batch_records = [by_seq[(shard, s)] for s in kinesis_ids(call.payload)]
        assert [r.seq for r in batch_records] == sorted(r.seq for r in batch_records)
        for r in batch_records:
            key = r.partition_key
            # Never re-delivered after a later record of its key completed.
            if key in done_upto:
                at, upto = done_upto[key]
                assert not (at <= call.at and r.seq < upto), "record delivered after a later one completed"
            if (r.shard_id, r.seq) not in delivered:
                delivered.add((r.shard_id, r.seq))
                first_seen[key].append(r.seq)
        if outcome is Outcome.THROTTLED:
            continue
        end = call.at + 0.5
        for key in {r.partition_key for r in batch_records}:
            busy[key].append((call.at, end))
        if outcome is Outcome.SUCCESS:
            cut = min((i for i, r in enumerate(batch_records) if r.sequence_number in failed), default=None)
            ok_part = batch_records if cut is None else batch_records[:cut]
            for r in ok_part:
                completed.add((r.shard_id, r.seq))
                prev = done_upto.get(r.partition_key, (0.0, -1))
                done_upto[r.partition_key] = (end, max(prev[1], r.seq))
    for key, seqs in first_seen.items():
        assert seqs == sorted(seqs), f"first deliveries out of order for {key}"
    for spans in busy.values():
        spans.sort()
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False))
    # Nothing lost: every record completed or falls inside a batch sent to the on-failure destination.
    discarded = [b["KinesisBatchInfo"] for b in rig.ctx.targets.bodies(DEST)]
    for r in records:
        in_failure = any(
            info["shardId"] == r.shard_id
            and info["startSequenceNumber"] <= r.sequence_number <= info["endSequenceNumber"]
            for info in discarded
        )
        assert (r.shard_id, r.seq) in completed or in_failure


def sqs_ids(payload: dict) -> list[str]:
    return [r["messageId"] for r in payload["Records"]]


def record_deletes(rig) -> list[tuple[float, str]]:
    """Wrap the rig's store so every successful DeleteMessage is logged as (time, message id)."""
    log: list[tuple[float, str]] = []
    delete = rig.store.delete

    def logged(arn: str, receipt_handle: str) -> bool:
        done = delete(arn, receipt_handle)
        if done:
            log.append((rig.clock.now(), receipt_handle.split("#")[0]))
        return done

    rig.store.delete = logged
    return log


@PROPERTY
@given(
    seed=st.integers(0, 2**32),
    groups=st.integers(1, 4),
    n=st.integers(1, 30),
    batch=st.integers(1, 10),
    rbif=st.booleans(),
    max_receive=st.integers(1, 4),
)
def test_fifo_groups_keep_order_never_run_two_batches_at_once_and_lose_nothing(
    seed, groups, n, batch, rbif, max_receive
):
    # semantics §3: order per MessageGroupId, one batch in flight per group
    chaos = Chaos(seed, sqs_ids, throttle=0.05, fail=0.2, partial=0.2 if rbif else 0.0)
    rig = queue_rig(
        "sqs-fifo",
        visibility=5,
        max_receive=max_receive,
        decide=chaos,
        duration=0.5,
        BatchSize=batch,
        FunctionResponseTypes=["ReportBatchItemFailures"] if rbif else None,
    )
    deletes = record_deletes(rig)
    rng = random.Random(seed + 1)
    sent = []
    for i in range(n):
        group = f"g{rng.randrange(groups)}"
        sent.append((rig.send({"i": i, "g": group}, group=group), group, i))
    rig.clock.run(until=400)

    group_of = {mid: g for mid, g, _ in sent}
    index_of = {mid: i for mid, _, i in sent}
    spans: dict[str, list[tuple[float, float]]] = defaultdict(list)
    first_seen: dict[str, list[int]] = defaultdict(list)
    seen: set[str] = set()
    for call, (outcome, _) in zip(rig.invoker.calls, chaos.answers, strict=True):
        ids = sqs_ids(call.payload)
        for mid in ids:
            g = group_of[mid]
            later_deleted = [
                m for at, m in deletes if at <= call.at and group_of[m] == g and index_of[m] > index_of[mid]
            ]
            assert not later_deleted, "delivered after a later message of its group was deleted"
            if mid not in seen:
                seen.add(mid)
                first_seen[g].append(index_of[mid])
        end = call.at if outcome is Outcome.THROTTLED else call.at + 0.5  # a throttle answers at once
        for g in {group_of[m] for m in ids}:
            spans[g].append((call.at, end))
    succeeded = {m for _, m in deletes}
    assert len(succeeded) == len(deletes), "a message was deleted twice"
    for g, order in first_seen.items():
        assert order == sorted(order), f"group {g} delivered out of order"
    for g, windows in spans.items():
        windows.sort()
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(windows, windows[1:], strict=False)), g
    in_queue = {m.message_id for m in rig.store.messages(rig.arn)}
    in_dlq = {m.message_id for m in rig.store.messages(rig.dlq)}
    assert succeeded.isdisjoint(in_queue) and succeeded.isdisjoint(in_dlq) and in_queue.isdisjoint(in_dlq)
    assert succeeded | in_queue | in_dlq == set(group_of)
    assert {e.message_id for e in rig.of(MessageRedriven)} == in_dlq


@PROPERTY
@given(
    seed=st.integers(0, 2**32),
    n=st.integers(1, 60),
    batch=st.integers(1, 10),
    rbif=st.booleans(),
    max_receive=st.one_of(st.none(), st.integers(1, 4)),
    filtered=st.booleans(),
)
def test_every_sqs_message_ends_deleted_in_the_dlq_or_still_queued(seed, n, batch, rbif, max_receive, filtered):
    # semantics §3: success deletes, failures reappear, maxReceiveCount redrives; filters delete non-matches
    chaos = Chaos(seed, sqs_ids, throttle=0.1, fail=0.25, partial=0.25 if rbif else 0.0)
    criteria = {"Filters": [{"Pattern": '{"body": {"keep": [true]}}'}]} if filtered else None
    rig = queue_rig(
        visibility=4,
        max_receive=max_receive,
        decide=chaos,
        duration=0.5,
        BatchSize=batch,
        FunctionResponseTypes=["ReportBatchItemFailures"] if rbif else None,
        FilterCriteria=criteria,
    )
    deletes = record_deletes(rig)
    rng = random.Random(seed + 1)
    sent = {}
    for i in range(n):
        keep = rng.random() < 0.8
        sent[rig.send({"i": i, "keep": keep})] = keep
        if rng.random() < 0.2:
            rig.clock.run(until=rig.clock.now() + rng.random() * 3)
    rig.clock.run(until=rig.clock.now() + 120)

    reported_ok: set[str] = set()
    for call, (outcome, failed) in zip(rig.invoker.calls, chaos.answers, strict=True):
        if filtered:
            assert all(json.loads(r["body"])["keep"] for r in call.payload["Records"])
        if outcome is Outcome.SUCCESS:
            reported_ok |= {m for m in sqs_ids(call.payload) if m not in failed}
    dropped_by_filter = {m for m, keep in sent.items() if filtered and not keep}
    deleted = {m for _, m in deletes}
    # Deleted = what the function reported done, plus what the filter dropped; nothing else.
    assert deleted == reported_ok | dropped_by_filter
    succeeded = reported_ok
    in_queue = {m.message_id for m in rig.store.messages(rig.arn)}
    in_dlq = {m.message_id for m in rig.store.messages(rig.dlq)}
    groups = [succeeded, in_queue, in_dlq, dropped_by_filter]
    assert sum(len(g) for g in groups) == len(set().union(*groups)), "a message is in two places"
    assert set().union(*groups) == set(sent), "a message was lost"
