"""What the engine host does for CloudWatch, in one call per step: write the finished seconds' metrics (one
pipeline), sample the concurrency gauges once per simulated second (and tell the writer which function each
stream mapping feeds), and evaluate the alarms in simulated time."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import redis
from django.conf import settings

from ...engine.arns import parse_function_ref
from ...engine.events import EnvState
from ...errors import LambdaError
from .reader import MetricReader
from .writer import MetricWriter

if TYPE_CHECKING:
    from ..host import EngineHost

ALARM_EVALUATION_EVERY_S = 10.0  # simulated seconds between evaluations (each alarm itself waits its period)
ALARM_EVALUATION_MIN_WALL_S = 1.0  # and never more often than this in wall time (fast-forward)
PROVISIONED = "provisioned-concurrency"


class HostMetrics:
    def __init__(
        self,
        client: redis.Redis,
        *,
        evaluate_alarms: Callable[..., object],
        evaluate_scaling: Callable[..., object] | None = None,
    ) -> None:
        # The alarms live in the database, behind the services: the host hands their evaluator in (and Application
        # Auto Scaling's, which acts on the alarms' states right after they are evaluated).
        self._evaluate_alarms = evaluate_alarms
        self._evaluate_scaling = evaluate_scaling
        self.writer = MetricWriter(
            client,
            second_retention_s=settings.LAMBDAVIZ_METRICS_SECOND_RETENTION_S,
            minute_retention_s=settings.LAMBDAVIZ_METRICS_MINUTE_RETENTION_S,
        )
        self.reader = MetricReader(client, second_retention_s=settings.LAMBDAVIZ_METRICS_SECOND_RETENTION_S)
        self._sampled_second: int | None = None
        self._evaluated_at = -math.inf
        self._evaluated_wall = -math.inf

    def step(self, host: EngineHost) -> None:
        now = host.clock.now()
        if math.floor(now) != self._sampled_second:
            self._sampled_second = math.floor(now)
            busy = [
                (env.function, env.version, env.init_type == PROVISIONED)
                for env in host.engine.store.environments.all()
                if env.state is EnvState.BUSY
            ]
            registry = host.engine.registry
            self.writer.observe_concurrency(now, busy, **concurrency_context(registry))
            self.writer.mapping_targets = mapping_targets(host.pollers)
        self.writer.flush(now)
        wall = time.monotonic()
        if (
            now - self._evaluated_at >= ALARM_EVALUATION_EVERY_S
            and wall - self._evaluated_wall >= ALARM_EVALUATION_MIN_WALL_S
        ):
            self._evaluated_at, self._evaluated_wall = now, wall
            self._evaluate_alarms(now, metric_reader=self.reader)
            if self._evaluate_scaling is not None:
                self._evaluate_scaling(now, metric_reader=self.reader)


def concurrency_context(registry) -> dict:
    """What the gauges need from the configuration: which (function, version) a provisioned-concurrency config
    names (alias or version, for ProvisionedConcurrentExecutions' Resource), which functions reserve concurrency,
    and the concurrency allocated out of the account (ClaimedAccountConcurrency: every reservation, and the
    provisioned concurrency of functions without one; the registry's own arithmetic)."""
    qualifiers: dict[tuple[str, str], str] = {}
    reserved: set[str] = set()
    for fn in registry.functions():
        if fn.reserved_concurrency is not None:
            reserved.add(fn.name)
        for qualifier in fn.provisioned:
            qualifiers[(fn.name, fn.version_of(qualifier))] = qualifier
    allocated = registry.account.concurrency_limit - registry.unreserved_capacity()
    return {"qualifiers": qualifiers, "reserved": reserved, "allocated": allocated}


def mapping_targets(pollers: dict) -> dict[str, tuple[str, str | None]]:
    """Mapping UUID -> (function, qualifier) of every running mapping (IteratorAge, DestinationDeliveryFailures)."""
    out: dict[str, tuple[str, str | None]] = {}
    for uuid, (spec, _) in pollers.items():
        try:
            ref = parse_function_ref(spec.function)
        except LambdaError:
            continue
        out[uuid] = (ref.name, ref.qualifier)
    return out
