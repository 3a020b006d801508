"""Writes back what the live engine decided that the API must show: provisioned-concurrency allocation."""

from __future__ import annotations

from ..engine.events import Event, ProvisionedConcurrencyChanged
from ..models import ProvisionedConcurrencyConfig
from ..services import provisioned_concurrency_report


class ProvisionedReporter:
    """An engine EventSink: keeps the latest allocation per (function, qualifier); `flush()` saves what changed."""

    def __init__(self) -> None:
        self._latest: dict[tuple[str, str], ProvisionedConcurrencyChanged] = {}

    def emit(self, event: Event) -> None:
        if type(event) is ProvisionedConcurrencyChanged:
            self._latest[(event.function, event.qualifier)] = event

    def flush(self) -> int:
        latest, self._latest = self._latest, {}
        saved = 0
        for (function, qualifier), event in latest.items():
            config = _config_for(function, qualifier)
            # Only real changes are saved: a save makes the host reload, which re-announces the same allocation.
            if config is None or (config.allocated, config.status) == (event.allocated, event.status):
                continue
            # AWS's StatusReason when a provisioned environment's Init fails (semantics §9).
            reason = "FUNCTION_ERROR_INIT_FAILURE" if event.status == "FAILED" else ""
            provisioned_concurrency_report(
                config=config, allocated=event.allocated, status=event.status, status_reason=reason
            )
            saved += 1
        return saved


def _config_for(function: str, qualifier: str) -> ProvisionedConcurrencyConfig | None:
    configs = ProvisionedConcurrencyConfig.objects.select_related("version", "alias").filter(function__name=function)
    return next((config for config in configs if config.qualifier == qualifier), None)
