"""Write use cases (HackSoft style): `<entity>_<action>(*, ...)`, atomic, raising only AWS-named exceptions."""

from .account import account_settings_update
from .aliases import alias_create, alias_delete, alias_update
from .async_config import event_invoke_config_delete, event_invoke_config_put, event_invoke_config_update
from .clock import simulation_clock_ensure, simulation_clock_set
from .cloudwatch import alarms_evaluate
from .concurrency import (
    function_concurrency_delete,
    function_concurrency_put,
    provisioned_concurrency_delete,
    provisioned_concurrency_put,
    provisioned_concurrency_report,
)
from .front_doors import api_stage_create, api_stage_update, rest_api_create, target_group_create
from .function_urls import function_url_create, function_url_delete, function_url_update
from .functions import function_create, function_delete, function_update_code, function_update_configuration
from .mappings import (
    event_source_mapping_create,
    event_source_mapping_delete,
    event_source_mapping_settle,
    event_source_mapping_update,
)
from .policies import permission_add, permission_remove
from .sources import (
    bucket_create,
    bucket_notification_create,
    bus_create,
    queue_create,
    queue_update,
    stream_create,
    topic_create,
)
from .subscriptions import (
    event_rule_create,
    event_rule_delete,
    topic_subscription_create,
    topic_subscription_delete,
)
from .versions import version_delete, version_publish

__all__ = [
    "alarms_evaluate",
    "simulation_clock_ensure",
    "simulation_clock_set",
    "account_settings_update",
    "alias_create",
    "alias_delete",
    "alias_update",
    "api_stage_create",
    "api_stage_update",
    "bucket_create",
    "bucket_notification_create",
    "bus_create",
    "event_invoke_config_delete",
    "event_rule_create",
    "event_rule_delete",
    "event_invoke_config_put",
    "event_invoke_config_update",
    "event_source_mapping_create",
    "event_source_mapping_delete",
    "event_source_mapping_settle",
    "event_source_mapping_update",
    "function_concurrency_delete",
    "function_concurrency_put",
    "function_create",
    "function_delete",
    "function_update_code",
    "function_update_configuration",
    "function_url_create",
    "function_url_delete",
    "function_url_update",
    "permission_add",
    "permission_remove",
    "provisioned_concurrency_delete",
    "provisioned_concurrency_put",
    "provisioned_concurrency_report",
    "queue_create",
    "queue_update",
    "rest_api_create",
    "stream_create",
    "target_group_create",
    "topic_create",
    "topic_subscription_create",
    "topic_subscription_delete",
    "version_delete",
    "version_publish",
]
