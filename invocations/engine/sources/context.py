"""What every poller is built with: the engine's clock, invoker, sink, RNG and outbox, plus the mapping's identity."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..events import EventSink, ListSink
from ..targets import MemoryTargets, Targets
from .invoker import Clock, SyncInvoker
from .kinds import SourceKind
from .settings import EsmSettings

# Simulated second 0 is this wall time (2025-01-01T00:00:00Z) unless the runtime passes its own start epoch;
# payload timestamps (SentTimestamp, approximateArrivalTimestamp, ...) are epoch + clock.now().
DEFAULT_EPOCH = 1_735_689_600.0


@dataclass
class PollerContext:
    clock: Clock
    invoker: SyncInvoker
    sink: EventSink = field(default_factory=ListSink)
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    targets: Targets = field(default_factory=MemoryTargets)
    epoch: float = DEFAULT_EPOCH
    region: str = "us-east-1"
    account_id: str = "123456789012"

    def wall(self, sim_seconds: float) -> float:
        """Simulated seconds -> epoch seconds, for payload timestamps."""
        return self.epoch + sim_seconds


@dataclass(frozen=True, slots=True)
class MappingSpec:
    """One event source mapping: which source feeds which function, with which settings."""

    uuid: str
    function: str  # what invoke_sync gets as `target` (name, qualified name or ARN)
    source_arn: str
    settings: EsmSettings
    function_arn: str = ""  # for on-failure records; defaults to `function`

    @property
    def kind(self) -> SourceKind:
        return self.settings.kind

    @property
    def record_function_arn(self) -> str:
        return self.function_arn or self.function
