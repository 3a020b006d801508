"""The traffic generator: named streams of invocations with a rate and a pattern, shared through Redis.

Any process starts or stops a stream (`traffic_start`, `traffic_stop`, `traffic_burst`); the engine host turns
each running stream into invocations, SQS messages or stream records for every slice of simulated time.
"""

from __future__ import annotations

import json
import logging
import math
import random
from dataclasses import asdict, dataclass, field
from typing import Any

import redis

from ..errors import InvalidParameterValueException

log = logging.getLogger(__name__)

STREAMS = "lv:traffic"
BURSTS = "lv:traffic:bursts"
SHED = "lv:traffic:shed"  # stream name -> invocations not generated because a step was over MAX_PER_STEP
MAX_PER_STEP = 10_000
BURSTS_PER_STEP = 100
PATTERNS = ("constant", "burst", "ramp", "sine")
KINDS = ("sync", "async", "s3", "sqs", "kinesis")
MAX_GROUPS = 1000
PERIOD_S = 60.0  # burst, ramp and sine repeat every simulated minute


@dataclass(frozen=True)
class TrafficStream:
    """`target`: a function (name or name:qualifier) for sync/async/s3, a queue or stream ARN for sqs/kinesis."""

    name: str
    target: str
    rate: float
    pattern: str = "constant"
    kind: str = "sync"
    payload: dict[str, Any] = field(default_factory=dict)
    poison_share: float = 0.0
    started_at: float = 0.0
    # SQS FIFO targets: every message needs a group; `groups` > 0 spreads them round-robin over that many groups
    # (named `<group_id or "group">-0` ... `-<groups-1>`). `dedup_id` may hold `{n}` (the message's number);
    # empty gives each message a fresh deduplication id (see fifo_ids).
    group_id: str = ""
    groups: int = 0
    dedup_id: str = ""

    def validate(self) -> TrafficStream:
        if not self.name or len(self.name) > 64:
            raise InvalidParameterValueException("A traffic stream needs a name of 1-64 characters.")
        if not 0 < self.rate <= 100_000:
            raise InvalidParameterValueException("rate must be between 0 and 100000 invocations per second.")
        if self.pattern not in PATTERNS:
            raise InvalidParameterValueException(f"pattern must be one of {', '.join(PATTERNS)}.")
        if self.kind not in KINDS:
            raise InvalidParameterValueException(f"type must be one of {', '.join(KINDS)}.")
        if not 0.0 <= self.poison_share <= 1.0:
            raise InvalidParameterValueException("poison share must be between 0.0 and 1.0.")
        if not isinstance(self.payload, dict):
            raise InvalidParameterValueException("The payload template must be a JSON object.")
        if not 0 <= self.groups <= MAX_GROUPS:
            raise InvalidParameterValueException(f"groups must be between 0 and {MAX_GROUPS}.")
        return self

    @property
    def fifo(self) -> bool:
        """Whether this stream sends FIFO messages (it names a group, or a rule for groups)."""
        return bool(self.group_id or self.groups)

    def fifo_ids(self, n: int, rng: random.Random) -> tuple[str, str]:
        """(MessageGroupId, MessageDeduplicationId) of message number `n`."""
        group = f"{self.group_id or 'group'}-{n % self.groups}" if self.groups else self.group_id
        dedup = self.dedup_id.replace("{n}", str(n)) if self.dedup_id else f"{self.name}-{rng.getrandbits(64):016x}"
        return group, dedup

    def rate_at(self, t: float) -> float:
        """Invocations per simulated second at simulated time `t`."""
        phase = ((t - self.started_at) % PERIOD_S) / PERIOD_S
        if self.pattern == "burst":
            return self.rate * 5 if phase < 0.1 else self.rate * 0.5  # a spike of 5x for 6 s each minute
        if self.pattern == "ramp":
            return self.rate * phase
        if self.pattern == "sine":
            return self.rate * (1 + math.sin(2 * math.pi * phase)) / 2
        return self.rate

    def count_between(self, t0: float, t1: float) -> float:
        """Expected invocations in [t0, t1) (midpoint rule over 1 s steps: exact for constant rates)."""
        total, t = 0.0, t0
        while t < t1:
            step = min(1.0, t1 - t)
            total += self.rate_at(t + step / 2) * step
            t += step
        return total

    def payload_for(self, n: int, rng: random.Random) -> dict[str, Any]:
        body = {**self.payload, "stream": self.name, "n": n}
        if self.poison_share and rng.random() < self.poison_share:
            body["poison"] = True
        return body


def traffic_start(client: redis.Redis, stream: TrafficStream) -> TrafficStream:
    stream.validate()
    client.hset(STREAMS, stream.name, json.dumps(asdict(stream)))
    return stream


def traffic_stop(client: redis.Redis, name: str) -> bool:
    return bool(client.hdel(STREAMS, name))


def traffic_list(client: redis.Redis) -> list[TrafficStream]:
    return _streams(client.hvals(STREAMS))


def _streams(raws: list[bytes]) -> list[TrafficStream]:
    return [TrafficStream(**json.loads(raw)) for raw in raws]


def traffic_burst(client: redis.Redis, stream: TrafficStream, count: int) -> None:
    """Send `count` invocations now (a one-shot burst), using the stream's target, kind and payload."""
    if not 1 <= count <= 100_000:
        raise InvalidParameterValueException("A burst is 1-100000 invocations.")
    stream.validate()
    client.rpush(BURSTS, json.dumps({"stream": asdict(stream), "count": count}))


class TrafficRunner:
    """Kept by the engine host: turns running streams into work for each slice, carrying fractions over.

    At most `max_per_step` invocations come out of one call: a slow step (a reload, a pause of the process) must
    not make the next one bigger, and that one slower still, without bound. What the running streams would have
    sent beyond the cap is shed, counted per stream in `shed` and in Redis (SHED), and logged; one-shot bursts are
    never shed, only spread over the following steps."""

    def __init__(self, client: redis.Redis, rng: random.Random, *, max_per_step: int = MAX_PER_STEP) -> None:
        self._client = client
        self._rng = rng
        self.max_per_step = max_per_step
        self.shed: dict[str, int] = {}
        self._carry: dict[str, float] = {}
        self._sent: dict[str, int] = {}
        self._last: float | None = None

    def read(self, pipe: redis.client.Pipeline) -> None:
        """Queue the reads `due` needs on a pipeline (the host sends them with its own, one round trip a step):
        the running streams, then up to BURSTS_PER_STEP one-shot bursts, popped (what is not used goes back)."""
        pipe.hvals(STREAMS)
        pipe.lpop(BURSTS, BURSTS_PER_STEP)

    def due(self, now: float, reads: list | None = None) -> list[tuple[TrafficStream, int]]:
        """(stream, how many) for the slice since the last call, plus one-shot bursts, `max_per_step` at most.
        `reads`: the replies to what `read` queued (read here if not given)."""
        if reads is None:
            pipe = self._client.pipeline(transaction=False)
            self.read(pipe)
            reads = pipe.execute()
        stream_raws, burst_raws = reads
        work: list[tuple[TrafficStream, int]] = []
        start, self._last = self._last, now
        if start is not None and now > start:
            for stream in _streams(stream_raws):
                expected = stream.count_between(max(start, stream.started_at), now) + self._carry.get(stream.name, 0.0)
                whole = int(expected + 1e-9)  # 0.3 added ten times is 2.9999999999999996
                self._carry[stream.name] = expected - whole
                if whole:
                    work.append((stream, whole))
        work = self._cap(work)
        budget = self.max_per_step - sum(count for _, count in work)
        back = []  # bursts, or their rest, for the next steps
        for raw in burst_raws or ():
            data = json.loads(raw)
            count = int(data["count"])
            take = min(count, max(budget, 0))
            if take:
                work.append((TrafficStream(**data["stream"]), take))
                budget -= take
            if take < count:
                back.append(raw if not take else json.dumps({"stream": data["stream"], "count": count - take}))
        if back:
            self._client.lpush(BURSTS, *reversed(back))  # back at the head, in their order
        return work

    def _cap(self, work: list[tuple[TrafficStream, int]]) -> list[tuple[TrafficStream, int]]:
        total = sum(count for _, count in work)
        if total <= self.max_per_step:
            return work
        kept = []
        for stream, count in work:  # each stream keeps its share of the cap
            keep = count * self.max_per_step // total
            self.shed[stream.name] = self.shed.get(stream.name, 0) + count - keep
            self._client.hincrby(SHED, stream.name, count - keep)
            if keep:
                kept.append((stream, keep))
        log.warning("traffic: %d invocations due in one step, cap %d; shed the rest", total, self.max_per_step)
        return kept

    def payloads(self, stream: TrafficStream, count: int) -> list[dict[str, Any]]:
        first = self._sent.get(stream.name, 0)
        self._sent[stream.name] = first + count
        return [stream.payload_for(first + i, self._rng) for i in range(count)]

    @property
    def rng(self) -> random.Random:
        return self._rng
