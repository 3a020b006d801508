"""build_host: the engine host's collaborators, built once and handed to EngineHost."""

from __future__ import annotations

import gc
import logging
import random
import time

import redis
from django.conf import settings

from ...engine.clock import RealtimeClock
from ...engine.events import Event
from ...engine.options import EngineOptions
from ...engine.registry import Registry
from ...engine.simulator import Engine
from .. import gauges, totals
from ..deferred_releases import DeferredReleases
from ..durable_acks import DurableAcks
from ..metrics.hosting import HostMetrics
from ..ports import ConfigSource, HostReporter
from ..publisher import Publisher
from ..python_executor import PythonExecutor, SandboxPolicy
from ..python_executor.identity import instance_uid_base
from ..record_journal import JournalWriter
from ..records import RecordBuffer
from ..redis_store import RedisQueueStore, RedisStore, RedisStreamStore
from ..reporting import ProvisionedReporter
from ..shared_clock import SharedClock
from ..targets import RuntimeTargets
from ..traffic import TrafficRunner
from . import EngineHost
from .batches import BatchInvoker
from .deployments import DeploymentDriver
from .inbox import InboxReader
from .reload import AccountReload
from .traffic_feed import TrafficFeed

log = logging.getLogger("invocations.runtime.host")  # the start-up lines keep the logger they always had

# What the running host's sandbox cannot isolate (its start-up warning), for the top bar; absent when fully jailed.
SANDBOX_WARNING = "lv:host:sandbox-warning"


class Fanout:
    """One engine sink feeding several (the publisher's frames and the record buffer)."""

    def __init__(self, *sinks) -> None:
        self._emits = [sink.emit for sink in sinks]

    def emit(self, event: Event) -> None:
        for emit in self._emits:
            emit(event)


def build_host(
    *,
    client: redis.Redis,
    config: ConfigSource,
    reporter: HostReporter,
    publisher: Publisher | None = None,
    seed: int | None = None,
) -> EngineHost:
    """A host that has read the configuration once (config) and reports through `reporter`; `seed` fixes its draws
    (tests). If the first reload fails, what was started (handler processes, the writer thread) is closed again."""
    shared_clock = SharedClock(client)
    state = config.clock()
    clock = RealtimeClock(state.factor, start=state.anchor_sim, wall=time.time)
    clock.follow(state.anchor_sim, state.anchor_wall, state.factor, state.paused)
    store = RedisStore(client, claim_timeout=settings.LAMBDAVIZ_ASYNC_CLAIM_TIMEOUT_S)
    # Releases ride on the next admission's round trip (exact: see deferred_releases); flushed every step.
    store.concurrency = DeferredReleases(store.concurrency, client)
    records = RecordBuffer()
    # Acknowledgements (async acks, SQS deletes, checkpoints) wait for their records: see durable_acks.
    acks = DurableAcks(
        client, records, async_queue=store.async_queue, queues=RedisQueueStore(client), streams=RedisStreamStore(client)
    )
    store.async_queue = acks.async_queue
    publisher = publisher or Publisher()
    provisioned = ProvisionedReporter(reporter)
    # CloudWatch: metrics per simulated second, alarms (issue 13); the alarms live behind the reporter.
    metrics = HostMetrics(
        client, evaluate_alarms=reporter.evaluate_alarms, evaluate_scaling=getattr(reporter, "evaluate_scaling", None)
    )
    # Real handlers: one sandboxed process per environment; it learns of reclaimed environments as a sink.
    python = PythonExecutor(
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
    _announce_sandbox(client, python)
    targets = RuntimeTargets(client, acks.queues, clock.now)
    rng = random.Random(seed)
    # Request ids: the API's own for its invocations (inbox requests carry them), random UUIDs drawn by the
    # engine for the rest (traffic, pollers, fan-out). Unseeded hosts draw from system entropy.
    engine = Engine(
        clock,
        rng,
        store=store,
        sink=Fanout(publisher, records, provisioned, python, metrics.writer),
        registry=Registry(config.account(), ()),
        targets=targets,
        executors={"python": python},
        options=EngineOptions(provisioned_allocation_delay_s=settings.LAMBDAVIZ_PC_ALLOCATION_DELAY_S),
    )
    # The one cycle left: fan-out (SNS, EventBridge, S3) invokes the engine, which needs the targets to exist.
    targets.invoke_async = engine.invoke_async
    inbox = InboxReader(client)
    invoke = BatchInvoker(engine, inbox)
    traffic = TrafficRunner(client, random.Random(rng.random()))
    host = EngineHost(
        client=client,
        shared_clock=shared_clock,
        clock=clock,
        store=store,
        acks=acks,
        engine=engine,
        publisher=publisher,
        record_writer=JournalWriter(client),
        provisioned=provisioned,
        metrics=metrics,
        python=python,
        inbox=inbox,
        invoke=invoke,
        feed=TrafficFeed(
            traffic=traffic,
            invoke=invoke,
            queues=acks.queues,
            streams=acks.streams,
            registry=engine.registry,
            now=clock.now,
        ),
        sources=AccountReload(
            client=client,
            config=config,
            reporter=reporter,
            engine=engine,
            targets=targets,
            queues=acks.queues,
            streams=acks.streams,
        ),
        # CodeDeploy deployments (issue 14), driven through the reporter like the alarms
        deployments=DeploymentDriver(advance=reporter.advance_deployments)
        if hasattr(reporter, "advance_deployments")
        else None,
    )
    # The gauges read the finished host (engine, pollers, queues): the publisher asks for them when it sends.
    publisher.gauges = lambda: gauges.collect(host)
    publisher.gauges_io = lambda values: gauges.complete_from_redis(host, values)
    publisher.totals_io = lambda frame: totals.fold(client, frame)
    publisher.send_in_background()  # frames leave on their own thread, never on this loop
    try:
        host.sources.reload()
    except BaseException:
        host.close()  # the handler processes and the writer thread must not outlive a failed start
        raise
    # What exists now (Django, the modules, the configuration) lives as long as the process: frozen out of the
    # collector, a full collection scans only what the simulation allocates (~25 ms pauses instead of 100-150 ms
    # at 10,000 invocations/s, each one a stall in completing invocations and sending frames).
    gc.collect()
    gc.freeze()
    return host


def _announce_sandbox(client: redis.Redis, python: PythonExecutor) -> None:
    """The start-up log and the top bar say how handlers are isolated here, loudly when less than the full jail."""
    sandbox_line = python.sandbox.summary()
    if sandbox_line.startswith("WARNING"):
        log.warning("engine host: %s", sandbox_line)
        client.set(SANDBOX_WARNING, sandbox_line.removeprefix("WARNING: "))
    else:
        log.info("engine host: %s", sandbox_line)
        client.delete(SANDBOX_WARNING)
