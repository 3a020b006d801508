"""The domain model: functions, versions, aliases, concurrency, async configs, sources, mappings, front doors,
CloudWatch alarms and CodeDeploy (applications, deployment groups, deployment configs)."""

from .account import AccountSettings
from .alarms import AlarmHistoryItem, MetricAlarm
from .aliases import Alias
from .async_config import EventInvokeConfig
from .codedeploy import (
    CodeDeployApplication,
    ComputePlatform,
    Deployment,
    DeploymentConfig,
    DeploymentGroup,
    DeploymentStatus,
)
from .concurrency import FunctionConcurrency, ProvisionedConcurrencyConfig, ProvisionedConcurrencyStatus
from .configuration import CodeKind
from .front_doors import ApiStage, RestApi, TargetGroup
from .functions import Function
from .mappings import EventSourceMapping, MappingState, StartingPosition
from .records import InvocationMinute, InvocationRecord, RecordJournalMark
from .sources import Bucket, BucketNotification, EventBus, Queue, Stream, StreamKind, Topic
from .subscriptions import EventRule, TopicSubscription
from .versions import Version

__all__ = [
    "AccountSettings",
    "AlarmHistoryItem",
    "Alias",
    "ApiStage",
    "Bucket",
    "BucketNotification",
    "CodeDeployApplication",
    "CodeKind",
    "ComputePlatform",
    "Deployment",
    "DeploymentConfig",
    "DeploymentGroup",
    "DeploymentStatus",
    "EventBus",
    "EventInvokeConfig",
    "EventRule",
    "EventSourceMapping",
    "InvocationMinute",
    "InvocationRecord",
    "MetricAlarm",
    "Function",
    "FunctionConcurrency",
    "MappingState",
    "ProvisionedConcurrencyConfig",
    "ProvisionedConcurrencyStatus",
    "Queue",
    "RecordJournalMark",
    "RestApi",
    "StartingPosition",
    "Stream",
    "StreamKind",
    "TargetGroup",
    "Topic",
    "TopicSubscription",
    "Version",
]
