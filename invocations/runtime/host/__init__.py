"""The engine host: the live loop around the pure engine (EngineHost); wiring.py builds one, lease.py guards it."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable

import redis

from ...engine.clock import RealtimeClock
from ...engine.simulator import Engine
from ..connection import CONFIG_VERSION, INBOX
from ..durable_acks import DurableAcks
from ..invoke_client import WAKE_CHANNEL
from ..metrics.hosting import HostMetrics
from ..publisher import Publisher
from ..python_executor import PythonExecutor
from ..record_journal import JournalWriter
from ..redis_store import RedisStore
from ..reporting import ProvisionedReporter
from ..shared_clock import SharedClock
from .batches import BatchInvoker
from .deployments import DeploymentDriver
from .inbox import InboxReader
from .reload import AccountReload
from .traffic_feed import TrafficFeed

log = logging.getLogger(__name__)

CHECK_EVERY_S = 1.0  # how often a run with `keep_running` asks it (and hands the records over)


class EngineHost:
    """The engine, its pollers, the publisher and the record buffer, stepped in real time (wiring.build_host).

    One host at a time holds the lease (lease.py); if its process dies, the lease expires and another worker's host
    takes over. Durable state lives in Redis (async queue claims, SQS messages, stream records and checkpoints,
    concurrency counters with per-holder accounting, the invocation-record journal), so a takeover loses no accepted
    event and no record of settled work (durable_acks.py); what is lost with the process is in-memory only: warm
    environments (the new host cold-starts) and in-flight sync invocations."""

    def __init__(
        self,
        *,
        client: redis.Redis,
        shared_clock: SharedClock,
        clock: RealtimeClock,
        store: RedisStore,
        acks: DurableAcks,
        engine: Engine,
        publisher: Publisher,
        record_writer: JournalWriter,
        provisioned: ProvisionedReporter,
        metrics: HostMetrics,
        python: PythonExecutor,
        inbox: InboxReader,
        invoke: BatchInvoker,
        feed: TrafficFeed,
        sources: AccountReload,
        deployments: DeploymentDriver | None = None,
    ) -> None:
        self.client = client
        self.shared_clock = shared_clock
        self.clock = clock
        self.store = store
        self.acks = acks
        self.queues, self.streams = acks.queues, acks.streams
        self.engine = engine
        self.publisher = publisher
        self.record_writer = record_writer
        self.provisioned = provisioned
        self.metrics = metrics
        self.python = python
        self.inbox = inbox
        self.invoke = invoke
        self.feed = feed
        self.traffic = feed.traffic
        self.sources = sources
        self.deployments = deployments
        self._last_records = time.monotonic()
        self._last_housekeeping = 0.0
        self._wake: redis.client.PubSub | None = None  # see _idle()

    @property
    def pollers(self) -> dict:
        """The running pollers, mapping uuid -> (spec, poller) (the gauges read them)."""
        return self.sources.pollers

    @property
    def queue_arns(self) -> list[str]:
        return self.sources.queue_arns

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
                if reads[0] != self.sources.version:
                    self.sources.reload()
        with self._guard("python handlers"):
            work += self.python.poll()  # finished real handlers complete on this thread, like everything else
        with self._guard("due work"):
            work += self.clock.run_due()
        if reads is not None:
            with self._guard("inbox"):
                drained = self._drain_inbox(reads[1])
                if drained:  # an invocation that ends at once (0 ms) answers its caller in this pass, not the next
                    work += drained + self.clock.run_due()
            with self._guard("traffic"):
                due = self.traffic.due(self.clock.now(), reads[2:])
                if due:  # what fell due since the top of the step completes first: its slots go to this admission
                    work += self.clock.run_due()
                for stream, count in due:
                    work += self.feed.generate(stream, count)
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
        if self.deployments is not None:
            with self._guard("deployments"):
                self.deployments.step(self.clock.now())  # CodeDeploy's runs, after the alarms they poll
        with self._guard("concurrency releases"):
            self.store.concurrency.flush()  # slots released this step are back for every process (one round trip)
        return work

    @contextlib.contextmanager
    def _guard(self, part: str):
        try:
            yield
        except Exception:
            log.exception("engine host: %s failed this step; carrying on", part)

    def _drain_inbox(self, raws: list[bytes]) -> int:
        # Read, run, then trim: a crash in between replays the requests (at-least-once), never drops them.
        if not raws:
            return 0
        requests = self.inbox.parse_all(raws)
        # The events accepted here reach the async queue in the same transaction that trims them from the inbox.
        pipe = self.client.pipeline(transaction=True)
        with self.acks.holding_pushes(pipe):
            self.invoke(requests, "inbox")
        pipe.ltrim(INBOX, len(raws), -1)
        pipe.execute()
        return len(raws)

    def _housekeeping(self) -> None:
        self.provisioned.flush()
        self.store.concurrency.heartbeat()
        self.store.async_queue.heartbeat()
        self.store.async_queue.requeue_expired()
        self.engine.async_invoker.wake()

    def run(
        self,
        seconds: float | None,
        idle_sleep: float = 0.01,
        *,
        drain: bool = True,
        keep_running: Callable[[], bool] | None = None,
    ) -> None:
        """Step for `seconds` (None: until `keep_running` says no); `drain` waits for the records to be written
        (tests read them; the task does not). `keep_running` is asked every CHECK_EVERY_S, after the records of
        that second are handed over."""
        deadline = float("inf") if seconds is None else time.monotonic() + seconds
        while True:
            until = deadline if keep_running is None else min(deadline, time.monotonic() + CHECK_EVERY_S)
            while time.monotonic() < until:
                if not self.step():
                    wait = self.clock.seconds_until_next()
                    self._idle(idle_sleep if wait is None else min(idle_sleep, max(wait, 0.0)))
            if keep_running is None or time.monotonic() >= deadline:
                break
            self.flush(drain=False)
            if not keep_running():
                break
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
        with contextlib.ExitStack() as stack:
            # Callbacks run last-in first-out: flush, then the publisher, the writer, the handlers, the wake-up.
            stack.callback(self._close_wake)
            stack.callback(self.python.close)
            stack.callback(self.record_writer.close)
            stack.callback(self.publisher.close)
            self.flush()
