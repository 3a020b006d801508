"""The engine host's ports (runtime/ports.py) implemented with the database: what it reads, what it writes back."""

from __future__ import annotations

from typing import Any

from .. import selectors
from ..engine.config import AccountConfig
from ..engine.sources.context import MappingSpec
from ..models import BucketNotification, EventSourceMapping, MappingState, ProvisionedConcurrencyConfig, Queue, Stream
from ..runtime.engine_config import (
    account_config,
    all_function_configs,
    bus_rules,
    queue_config,
    stream_config,
    topic_subscribers,
)
from ..runtime.metrics.reader import MetricReader
from ..runtime.ports import AccountSnapshot
from ..runtime.shared_clock import ClockState
from ..runtime.targets import S3Trigger
from .autoscaling_evaluate import autoscaling_evaluate
from .clock import simulation_clock_ensure
from .cloudwatch import alarms_evaluate
from .codedeploy_run import deployments_advance
from .concurrency import provisioned_concurrency_report
from .mappings import event_source_mapping_settle

TRANSITIONAL = (MappingState.CREATING, MappingState.UPDATING, MappingState.ENABLING, MappingState.DISABLING)


def _qualified(name: str, qualifier: str | None) -> str:
    return name + (f":{qualifier}" if qualifier else "")


class DatabaseConfig:
    """ConfigSource: the account, functions, sources and mappings as the database holds them."""

    def clock(self) -> ClockState:
        return simulation_clock_ensure()

    def account(self) -> AccountConfig:
        return account_config()

    def snapshot(self) -> AccountSnapshot:
        return AccountSnapshot(
            account=account_config(),
            functions=all_function_configs(),
            queues=[queue_config(queue) for queue in Queue.objects.select_related("dead_letter_queue")],
            streams=[stream_config(stream) for stream in Stream.objects.all()],
            subscriptions=topic_subscribers(),
            rules=bus_rules(),
            s3_triggers=[
                S3Trigger(n.bucket.name, _qualified(n.function.name, n.qualifier), n.prefix, n.suffix)
                for n in BucketNotification.objects.select_related("bucket", "function")
                if any(e.startswith("s3:ObjectCreated:") for e in n.events)
            ],
            mappings=[
                MappingSpec(
                    str(mapping.uuid),
                    _qualified(mapping.function.name, mapping.qualifier),
                    mapping.event_source_arn,
                    mapping.settings(),
                    mapping.function_arn,
                )
                for mapping in EventSourceMapping.objects.select_related("function", "queue", "stream")
                if mapping.enabled and mapping.state == MappingState.ENABLED
            ],
        )

    def account_summary(self) -> dict[str, Any]:
        account = selectors.account_settings_get()
        return {
            "region": account.region,
            "account_id": account.account_id,
            "concurrency_limit": account.concurrency_limit,
            "unreserved_minimum": account.unreserved_minimum,
            "clock_factor": account.clock_factor,
            "clock_paused": account.clock_paused,
        }

    def function_summaries(self, function: str | None = None) -> list[dict[str, Any]]:
        functions = selectors.function_list()
        if function is not None:
            functions = functions.filter(name=function)
        return [selectors.function_summary(fn) for fn in functions]


class DatabaseReporter:
    """HostReporter: the runtime's decisions saved through the services (each save announces itself)."""

    def settle_mappings(self) -> None:
        for mapping in EventSourceMapping.objects.filter(state__in=TRANSITIONAL):
            event_source_mapping_settle(mapping=mapping)

    def provisioned_allocated(
        self, *, function: str, qualifier: str, allocated: int, status: str, status_reason: str
    ) -> bool:
        configs = ProvisionedConcurrencyConfig.objects.select_related("version", "alias")
        configs = configs.filter(function__name=function)
        config = next((config for config in configs if config.qualifier == qualifier), None)
        # Only real changes are saved: a save makes the host reload, which re-announces the same allocation.
        if config is None or (config.allocated, config.status) == (allocated, status):
            return False
        provisioned_concurrency_report(config=config, allocated=allocated, status=status, status_reason=status_reason)
        return True

    def evaluate_alarms(self, at: float, *, metric_reader: MetricReader | None = None) -> int:
        return alarms_evaluate(at, metric_reader=metric_reader)

    def evaluate_scaling(self, at: float, *, metric_reader: MetricReader | None = None) -> int:
        return autoscaling_evaluate(at, metric_reader=metric_reader)

    def advance_deployments(self, at: float) -> int:
        return deployments_advance(at)
