"""Reload: bring the engine, queues, streams, fan-out targets and pollers in line with an account snapshot."""

from __future__ import annotations

import random

import redis

from ...engine.simulator import Engine
from ...engine.sources.context import MappingSpec, PollerContext
from ...engine.sources.mapping import create_poller
from ..connection import CONFIG_VERSION
from ..ports import AccountSnapshot, ConfigSource, HostReporter
from ..targets import RuntimeTargets


class AccountReload:
    """Applies the ConfigSource's snapshot whenever the configuration version in Redis moves (signals.py bumps it).

    Owns the running pollers (mapping uuid -> (spec, poller)) and the queue ARNs the gauges report."""

    def __init__(
        self,
        *,
        client: redis.Redis,
        config: ConfigSource,
        reporter: HostReporter,
        engine: Engine,
        targets: RuntimeTargets,
        queues,
        streams,
    ) -> None:
        self.client = client
        self.config = config
        self.reporter = reporter
        self.engine = engine
        self.targets = targets
        self.queues = queues
        self.streams = streams
        self.pollers: dict[str, tuple[MappingSpec, object]] = {}
        self.queue_arns: list[str] = []
        self.version: bytes | None = None

    def reload(self) -> None:
        """Read and apply the configuration now."""
        version = self.client.get(CONFIG_VERSION)
        self.reporter.settle_mappings()  # the runtime finishes a mapping's transition before it polls
        self.apply(self.config.snapshot())
        self.version = version  # only now: a reload that failed half-way is tried again next step

    def apply(self, snapshot: AccountSnapshot) -> None:
        registry = self.engine.registry
        registry.set_account(snapshot.account)
        wanted = {fn.name: fn for fn in snapshot.functions}
        for name in [fn.name for fn in registry.functions()]:
            if name not in wanted:
                registry.remove(name)
        for fn in wanted.values():
            # Re-putting an unchanged function would retire its warm environments: cold starts for nothing.
            if registry.find(fn.name) != fn:
                registry.put(fn)
        self.queue_arns = []
        for queue in snapshot.queues:
            self.queue_arns.append(queue.arn)
            self.queues.put_queue(queue)  # an edited queue (SetQueueAttributes) reaches Redis
        self.targets.region = snapshot.account.region
        self.targets.account_id = snapshot.account.account_id
        self.targets.subscriptions = snapshot.subscriptions
        self.targets.rules = snapshot.rules
        self.targets.s3_triggers = snapshot.s3_triggers
        for stream in snapshot.streams:
            self.streams.create_stream(stream)
        self._sync_pollers(snapshot)

    def _sync_pollers(self, snapshot: AccountSnapshot) -> None:
        enabled = {spec.uuid: spec for spec in snapshot.mappings}
        for key in list(self.pollers):
            if key not in enabled or self.pollers[key][0] != enabled[key]:
                self.pollers.pop(key)[1].stop()
        for key, spec in enabled.items():
            if key in self.pollers:
                continue
            context = PollerContext(
                self.engine.clock,
                self.engine,
                self.engine.sink,
                random.Random(),
                self.targets,
                epoch=0.0,
                region=snapshot.account.region,
                account_id=snapshot.account.account_id,
            )
            poller = create_poller(spec, context, queues=self.queues, streams=self.streams)
            poller.start()
            self.pollers[key] = (spec, poller)
