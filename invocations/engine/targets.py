"""Where DLQ messages and destination records go: an ARN-addressed outbox (SQS, SNS, EventBridge, S3, ...)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


class Targets(Protocol):
    def send(self, arn: str, body: Any, attributes: dict | None = None) -> bool:
        """True when the target took the message; False when it refused it (DeadLetterErrors,
        DestinationDeliveryFailures)."""
        ...


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message as a target received it; `attributes` are SQS-style message attributes."""

    body: Any
    attributes: dict | None = None


@dataclass
class MemoryTargets:
    """Records every delivery per ARN and forwards it to subscribers (e.g. a simulated SQS queue)."""

    delivered: dict[str, list[Delivery]] = field(default_factory=lambda: defaultdict(list))
    _subscribers: dict[str, list[Callable[[Any, dict | None], None]]] = field(default_factory=lambda: defaultdict(list))
    refused: set[str] = field(default_factory=set)  # ARNs that refuse every delivery (tests of failed deliveries)

    def send(self, arn: str, body: Any, attributes: dict | None = None) -> bool:
        if arn in self.refused:
            return False
        self.delivered[arn].append(Delivery(body, attributes))
        for callback in self._subscribers.get(arn, ()):
            callback(body, attributes)
        return True

    def subscribe(self, arn: str, callback: Callable[[Any, dict | None], None]) -> None:
        """Call `callback(body, attributes)` for every later delivery to `arn`."""
        self._subscribers[arn].append(callback)

    def bodies(self, arn: str) -> list[Any]:
        return [d.body for d in self.delivered.get(arn, ())]
