"""Writes back what the live engine decided that the API must show: provisioned-concurrency allocation."""

from __future__ import annotations

from ..engine.events import Event, ProvisionedConcurrencyChanged
from .ports import HostReporter


class ProvisionedReporter:
    """An engine EventSink: keeps the latest allocation per (function, qualifier); `flush()` saves what changed."""

    def __init__(self, reporter: HostReporter) -> None:
        self._reporter = reporter
        self._latest: dict[tuple[str, str], ProvisionedConcurrencyChanged] = {}

    def emit(self, event: Event) -> None:
        if type(event) is ProvisionedConcurrencyChanged:
            self._latest[(event.function, event.qualifier)] = event

    def flush(self) -> int:
        latest, self._latest = self._latest, {}
        saved = 0
        for (function, qualifier), event in latest.items():
            # AWS's StatusReason when a provisioned environment's Init fails (semantics §9).
            reason = "FUNCTION_ERROR_INIT_FAILURE" if event.status == "FAILED" else ""
            saved += self._reporter.provisioned_allocated(
                function=function,
                qualifier=qualifier,
                allocated=event.allocated,
                status=event.status,
                status_reason=reason,
            )
        return saved
