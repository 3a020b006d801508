"""The engine host: runs the pure engine live in this process, on the shared clock, with Redis-backed state.

One host at a time holds the lease (`lv:host:lease`); if its process dies, the lease expires and another worker's
host takes over. Durable state lives in Redis (async queue claims, SQS messages, stream records and checkpoints,
concurrency counters with per-holder accounting, the invocation-record journal), so a takeover loses no accepted
event and no record of settled work (durable_acks.py); what is lost with the process is in-memory only: warm
environments (the new host cold-starts) and in-flight sync invocations.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import random
import time
import uuid
from typing import Any

import redis
from django.conf import settings

from ..engine.clock import RealtimeClock
from ..engine.events import Event
from ..engine.options import EngineOptions
from ..engine.registry import Registry
from ..engine.simulator import Engine, InvokeRequest
from ..engine.sources.async_payloads import s3_event
from ..engine.sources.context import MappingSpec, PollerContext
from ..engine.sources.mapping import create_poller
from ..models import BucketNotification, EventSourceMapping, MappingState, Queue, Stream
from ..services import alarms_evaluate, event_source_mapping_settle, simulation_clock_ensure
from . import gauges, totals
from .connection import CONFIG_VERSION, INBOX
from .deferred_releases import DeferredReleases
from .durable_acks import DurableAcks
from .engine_config import (
    account_config,
    all_function_configs,
    bus_rules,
    queue_config,
    stream_config,
    topic_subscribers,
)
from .invoke_client import WAKE_CHANNEL, reply, reply_error
from .metrics.hosting import HostMetrics
from .publisher import Publisher
from .python_executor import PythonExecutor, SandboxPolicy
from .python_executor.identity import instance_uid_base
from .record_journal import JournalWriter
from .records import RecordBuffer
from .redis_store import RedisQueueStore, RedisStore, RedisStreamStore
from .reporting import ProvisionedReporter
from .shared_clock import SharedClock
from .targets import RuntimeTargets, S3Trigger
from .traffic import TrafficRunner, TrafficStream

log = logging.getLogger(__name__)

LEASE = "lv:host:lease"
# What the running host's sandbox cannot isolate (its start-up warning), for the top bar; absent when fully jailed.
SANDBOX_WARNING = "lv:host:sandbox-warning"


class Fanout:
    """One engine sink feeding several (the publisher's frames and the record buffer)."""

    def __init__(self, *sinks) -> None:
        self._emits = [sink.emit for sink in sinks]

    def emit(self, event: Event) -> None:
        for emit in self._emits:
            emit(event)


class EngineHost:
    """The engine, its pollers, the publisher and the record buffer, stepped in real time."""

    def __init__(self, client: redis.Redis, *, publisher: Publisher | None = None, seed: int | None = None) -> None:
        self.client = client
        self.holder = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.shared_clock = SharedClock(client)
        state = simulation_clock_ensure()
        self.clock = RealtimeClock(state.factor, start=state.anchor_sim, wall=time.time)
        self.clock.follow(state.anchor_sim, state.anchor_wall, state.factor, state.paused)
        self.store = RedisStore(client, claim_timeout=settings.LAMBDAVIZ_ASYNC_CLAIM_TIMEOUT_S)
        # Releases ride on the next admission's round trip (exact: see deferred_releases); flushed every step.
        self.store.concurrency = DeferredReleases(self.store.concurrency, client)
        self.records = RecordBuffer()
        # Acknowledgements (async acks, SQS deletes, checkpoints) wait for their records: see durable_acks.
        self.acks = DurableAcks(
            client,
            self.records,
            async_queue=self.store.async_queue,
            queues=RedisQueueStore(client),
            streams=RedisStreamStore(client),
        )
        self.store.async_queue, self.queues, self.streams = self.acks.async_queue, self.acks.queues, self.acks.streams
        self.publisher = publisher or Publisher()
        self.record_writer = JournalWriter(client)
        self.provisioned = ProvisionedReporter()
        # CloudWatch: metrics per simulated second, alarms (issue 13)
        self.metrics = HostMetrics(client, evaluate_alarms=alarms_evaluate)
        # Real handlers: one sandboxed process per environment; it learns of reclaimed environments as a sink.
        self.python = PythonExecutor(
            max_processes=settings.LAMBDAVIZ_PYTHON_PROCESSES,
            policy=SandboxPolicy(
                # covered where a bound system directory would show them (a checkout under /usr/src, say)
                private_paths=(str(settings.VAR_DIR), str(settings.BASE_DIR)),
                # one uid per pool slot, from this instance's own block (never the shared nobody)
                uid_base=settings.LAMBDAVIZ_SANDBOX_UID_BASE or instance_uid_base(str(settings.VAR_DIR)),
                # fail closed where the kernel cannot jail handlers, unless the instructor allows less
                allow_partial_isolation=settings.LAMBDAVIZ_SANDBOX_ALLOW_PARTIAL,
            ),
        )
        # The start-up log and the top bar say how handlers are isolated here, loudly when less than the full jail.
        sandbox_line = self.python.sandbox.summary()
        if sandbox_line.startswith("WARNING"):
            log.warning("engine host: %s", sandbox_line)
            client.set(SANDBOX_WARNING, sandbox_line.removeprefix("WARNING: "))
        else:
            log.info("engine host: %s", sandbox_line)
            client.delete(SANDBOX_WARNING)
        self.targets = RuntimeTargets(client, self.queues, self.clock.now)
        rng = random.Random(seed)
        # Request ids: the API's own for its invocations (inbox requests carry them), random UUIDs drawn by the
        # engine for the rest (traffic, pollers, fan-out). Unseeded hosts draw from system entropy.
        self.engine = Engine(
            self.clock,
            rng,
            store=self.store,
            sink=Fanout(self.publisher, self.records, self.provisioned, self.python, self.metrics.writer),
            registry=Registry(account_config(), ()),
            targets=self.targets,
            executors={"python": self.python},
            options=EngineOptions(provisioned_allocation_delay_s=settings.LAMBDAVIZ_PC_ALLOCATION_DELAY_S),
        )
        self.targets.invoke_async = self.engine.invoke_async
        self.pollers: dict[str, Any] = {}
        self._reply_keys: dict[int, str] = {}  # callbacks of waiting API calls -> their reply key
        self.queue_arns: list[str] = []
        self.publisher.gauges = lambda: gauges.collect(self)
        self.publisher.gauges_io = lambda values: gauges.complete_from_redis(self, values)
        self.publisher.totals_io = lambda frame: totals.fold(client, frame)
        self.publisher.send_in_background()  # frames leave on their own thread, never on this loop
        self.traffic = TrafficRunner(client, random.Random(rng.random()))
        self._config_version: bytes | None = None
        self._last_records = time.monotonic()
        self._last_housekeeping = 0.0
        self._wake: redis.client.PubSub | None = None  # see _idle()
        try:
            self.reload()
        except BaseException:
            self.close()  # the handler processes and the writer thread must not outlive a failed start
            raise
        # What exists now (Django, the modules, the configuration) lives as long as the process: frozen out of the
        # collector, a full collection scans only what the simulation allocates (~25 ms pauses instead of 100-150 ms
        # at 10,000 invocations/s, each one a stall in completing invocations and sending frames).
        gc.collect()
        gc.freeze()

    # --- configuration ---------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Bring the engine, queues, streams and pollers in line with the database."""
        version = self.client.get(CONFIG_VERSION)
        registry = self.engine.registry
        registry.set_account(account_config())
        wanted = {fn.name: fn for fn in all_function_configs()}
        for name in [fn.name for fn in registry.functions()]:
            if name not in wanted:
                registry.remove(name)
        for fn in wanted.values():
            # Re-putting an unchanged function would retire its warm environments: cold starts for nothing.
            if registry.find(fn.name) != fn:
                registry.put(fn)
        self.queue_arns = []
        for queue in Queue.objects.select_related("dead_letter_queue"):
            self.queue_arns.append(queue.arn)
            self.queues.put_queue(queue_config(queue))  # an edited queue (SetQueueAttributes) reaches Redis
        self.targets.region = registry.account.region
        self.targets.account_id = registry.account.account_id
        self.targets.subscriptions = topic_subscribers()
        self.targets.rules = bus_rules()
        self.targets.s3_triggers = [
            S3Trigger(n.bucket.name, n.function.name + (f":{n.qualifier}" if n.qualifier else ""), n.prefix, n.suffix)
            for n in BucketNotification.objects.select_related("bucket", "function")
            if any(e.startswith("s3:ObjectCreated:") for e in n.events)
        ]
        for stream in Stream.objects.all():
            self.streams.create_stream(stream_config(stream))
        self._sync_pollers()
        self._config_version = version  # only now: a reload that failed half-way is tried again next step

    def _sync_pollers(self) -> None:
        account = account_config()
        enabled = {}
        transitional = (MappingState.CREATING, MappingState.UPDATING, MappingState.ENABLING, MappingState.DISABLING)
        for mapping in EventSourceMapping.objects.select_related("function", "queue", "stream"):
            if mapping.state in transitional:
                mapping = event_source_mapping_settle(mapping=mapping)  # the runtime finishes the transition
            if not mapping.enabled or mapping.state != MappingState.ENABLED:
                continue
            target = mapping.function.name + (f":{mapping.qualifier}" if mapping.qualifier else "")
            spec = MappingSpec(
                str(mapping.uuid), target, mapping.event_source_arn, mapping.settings(), mapping.function_arn
            )
            enabled[spec.uuid] = spec
        for key in list(self.pollers):
            if key not in enabled or self.pollers[key][0] != enabled[key]:
                self.pollers.pop(key)[1].stop()
        for key, spec in enabled.items():
            if key in self.pollers:
                continue
            context = PollerContext(
                self.clock,
                self.engine,
                self.engine.sink,
                random.Random(),
                self.targets,
                epoch=0.0,
                region=account.region,
                account_id=account.account_id,
            )
            poller = create_poller(spec, context, queues=self.queues, streams=self.streams)
            poller.start()
            self.pollers[key] = (spec, poller)

    # --- the loop --------------------------------------------------------------------------------------------

    def step(self, max_inbox: int = 5000) -> int:
        """One pass: follow the shared clock, run what is due, take new invocations; returns work done.

        Each part is guarded: a Redis or database hiccup in one of them is logged and retried next step, instead
        of ending the host (and with it every warm environment and waiting caller)."""
        state = self.shared_clock.state()
        self.clock.follow(state.anchor_sim, state.anchor_wall, state.factor, state.paused)
        work = 0
        reads = None
        with self._guard("reading Redis"):
            # Everything this step needs to know, in one round trip: config version, inbox, traffic, bursts.
            pipe = self.client.pipeline(transaction=False)
            pipe.get(CONFIG_VERSION).lrange(INBOX, 0, max_inbox - 1)
            self.traffic.read(pipe)
            reads = pipe.execute()
        if reads is not None:
            with self._guard("reload"):
                if reads[0] != self._config_version:
                    self.reload()
        with self._guard("python handlers"):
            work += self.python.poll()  # finished real handlers complete on this thread, like everything else
        with self._guard("due work"):
            work += self.clock.run_due()
        if reads is not None:
            with self._guard("inbox"):
                drained = self._drain_inbox(max_inbox, reads[1])
                if drained:  # an invocation that ends at once (0 ms) answers its caller in this pass, not the next
                    work += drained + self.clock.run_due()
            with self._guard("traffic"):
                due = self.traffic.due(self.clock.now(), reads[2:])
                if due:  # what fell due since the top of the step completes first: its slots go to this admission
                    work += self.clock.run_due()
                for stream, count in due:
                    work += self.generate(stream, count)
        with self._guard("publisher"):
            self.publisher.tick()
        now = time.monotonic()
        if self.acks.has_acks() or now - self._last_records >= 0.5:
            with self._guard("records and acknowledgements"):
                self.acks.commit()  # records to the journal first, then what they acknowledge
            self._last_records = now
        if now - self._last_housekeeping >= 1.0:
            with self._guard("housekeeping"):
                self._housekeeping()
            self._last_housekeeping = now
        with self._guard("metrics and alarms"):
            self.metrics.step(self)  # one pipeline for the finished seconds; alarms every 10 simulated s
        with self._guard("concurrency releases"):
            self.store.concurrency.flush()  # slots released this step are back for every process (one round trip)
        return work

    @contextlib.contextmanager
    def _guard(self, part: str):
        try:
            yield
        except Exception:
            log.exception("engine host: %s failed this step; carrying on", part)

    def _drain_inbox(self, limit: int, raws: list[bytes] | None = None) -> int:
        # Read, run, then trim: a crash in between replays the requests (at-least-once), never drops them.
        if raws is None:
            raws = self.client.lrange(INBOX, 0, limit - 1)
        if not raws:
            return 0
        requests = []
        for raw in raws:
            try:
                request = self._inbox_request(json.loads(raw))
            except Exception:  # one bad request must not stop the simulation
                log.exception("malformed inbox request: %r", raw)
                continue
            if request is not None:
                requests.append(request)
        # The events accepted here reach the async queue in the same transaction that trims them from the inbox.
        pipe = self.client.pipeline(transaction=True)
        with self.acks.holding_pushes(pipe):
            self._invoke_many(requests, "inbox")
        pipe.ltrim(INBOX, len(raws), -1)
        pipe.execute()
        return len(raws)

    def _inbox_request(self, request: dict[str, Any]) -> InvokeRequest | None:
        op = request.get("op", "invoke")
        if op != "invoke":
            log.warning("unknown inbox request %r", op)
            return None
        key = request.get("reply")
        on_complete = None
        if key:
            # The API is waiting on this key (runtime/invoke_client.py).
            def on_complete(result, key=key) -> None:
                self._reply_keys.pop(id(on_complete), None)
                reply(self.client, key, result)

            self._reply_keys[id(on_complete)] = key

        return InvokeRequest(
            request["target"],
            request.get("payload"),
            source=request.get("source", "sdk"),
            on_complete=on_complete,
            qualifier=request.get("qualifier"),
            event=request.get("type", "RequestResponse") == "Event",
            client_context=request.get("client_context"),
            request_id=request.get("request_id"),  # the API's x-amzn-RequestId (runtime/invoke_client.py)
        )

    def _invoke_many(self, requests: list[InvokeRequest], origin: str) -> None:
        """The engine's batch path: one concurrency round trip for the whole batch (Engine.invoke_many)."""
        if not requests:
            return
        try:
            results = self.engine.invoke_many(requests)
        except Exception:  # an executor or a sink failed: report it, keep the simulation running
            log.exception("%s: a batch of %d invocations failed", origin, len(requests))
            for request in requests:
                key = self._reply_keys.pop(id(request.on_complete), None)
                if key:  # waiting API callers learn at once instead of timing out
                    reply_error(self.client, key, "The simulator failed to run this invocation (see the server log).")
            return
        for request, result in zip(requests, results, strict=True):
            if not isinstance(result, str):
                log.warning("%s: invoke %s failed: %s", origin, request.target, result)
                key = self._reply_keys.pop(id(request.on_complete), None)
                if key:  # a waiting API call learns why instead of timing out
                    reply_error(self.client, key, str(getattr(result, "message", result)))

    def handle(self, request: dict[str, Any]) -> None:
        """One inbox request now (the inbox itself is drained in batches)."""
        try:
            parsed = self._inbox_request(request)
        except Exception:
            log.exception("malformed inbox request: %r", request)
            return
        if parsed is not None:
            self._invoke_many([parsed], "inbox")

    def generate(self, stream: TrafficStream, count: int) -> int:
        """Turn `count` of a traffic stream's invocations (or messages, or records) into work now."""
        now = self.clock.now()
        engine = self.engine
        try:
            payloads = self.traffic.payloads(stream, count)
            if stream.kind == "sync":
                target = stream.target
                self._invoke_many([InvokeRequest(target, p, "traffic") for p in payloads], stream.name)
            elif stream.kind == "async":
                target = stream.target
                self._invoke_many([InvokeRequest(target, p, "traffic", event=True) for p in payloads], stream.name)
            elif stream.kind == "s3":
                region = engine.registry.account.region
                requests = [
                    InvokeRequest(
                        stream.target,
                        s3_event(
                            "lambdaviz-uploads", f"{stream.name}/{p['n']}.jpg", size=1024 + n, at=now, region=region
                        ),
                        "s3",
                        event=True,
                    )
                    for n, p in enumerate(payloads)
                ]
                self._invoke_many(requests, stream.name)
            elif stream.kind == "sqs" and stream.fifo:  # each message with its group and deduplication id
                entries = [(json.dumps(p), *stream.fifo_ids(p["n"], self.traffic.rng)) for p in payloads]
                self.queues.send_many_fifo(stream.target, entries, now=now)
            elif stream.kind == "sqs":  # one round trip for the slice, not one per message
                self.queues.send_many(stream.target, [json.dumps(p) for p in payloads], now=now)
            elif stream.kind == "kinesis":
                entries = [(str(p["n"] % 64), json.dumps(p)) for p in payloads]
                self.streams.put_records(stream.target, entries, now=now)
        except Exception:  # a stream aimed at something that no longer exists: report it, keep the rest running
            log.exception("traffic stream %s failed", stream.name)
        return count

    def _housekeeping(self) -> None:
        self.provisioned.flush()
        self.store.concurrency.heartbeat()
        self.store.async_queue.heartbeat()
        self.store.async_queue.requeue_expired()
        self.engine.async_invoker.wake()

    def run(self, seconds: float, idle_sleep: float = 0.01, *, drain: bool = True) -> None:
        """Step for `seconds`; `drain` waits for the records to be written (tests read them; the task does not)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self.step():
                wait = self.clock.seconds_until_next()
                self._idle(idle_sleep if wait is None else min(idle_sleep, max(wait, 0.0)))
        self.flush(drain=drain)

    def _idle(self, seconds: float) -> None:
        """Wait up to `seconds`, or until an API call publishes a sync invoke (invoke_client.WAKE_CHANNEL, published
        after the request is in the inbox), so a waiting caller does not pay for the poll interval. The wake-up only
        shortens the wait: a lost message, or no subscription at all, costs latency, never an invocation."""
        if seconds <= 0:
            return
        try:
            if self._wake is None:
                self._wake = self.client.pubsub(ignore_subscribe_messages=True)
                self._wake.subscribe(WAKE_CHANNEL)
            if self._wake.get_message(timeout=seconds) is not None:
                while self._wake.get_message(timeout=0.0) is not None:  # several callers: one step serves them all
                    pass
        except redis.RedisError:
            log.warning("engine host: no wake-up subscription; polling every %g s", seconds, exc_info=True)
            self._close_wake()
            time.sleep(seconds)

    def _close_wake(self) -> None:
        if self._wake is not None:
            wake, self._wake = self._wake, None
            with contextlib.suppress(redis.RedisError):
                wake.close()

    def flush(self, *, drain: bool = True) -> None:
        """Publish the pending frame and hand the records over; `drain` waits until they are written."""
        self.publisher.flush(wait=drain)
        self.acks.commit()
        if drain:
            self.record_writer.drain()

    def close(self) -> None:
        """Flush, and stop every handler process; each step runs even if an earlier one fails."""
        try:
            self.flush()
        finally:
            try:
                try:
                    self.publisher.close()
                finally:
                    self.record_writer.close()
            finally:
                try:
                    self.python.close()
                finally:
                    self._close_wake()
