"""The domain model: functions, versions, aliases, concurrency, async configs, sources, mappings and front doors."""

from .account import AccountSettings
from .alarms import AlarmHistoryItem, MetricAlarm
from .aliases import Alias
from .async_config import EventInvokeConfig
from .autoscaling import ScalableTarget, ScalingActivity, ScalingPolicy, ScheduledAction
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
    "CodeKind",
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
    "ScalableTarget",
    "ScalingActivity",
    "ScalingPolicy",
    "ScheduledAction",
    "StartingPosition",
    "Stream",
    "StreamKind",
    "TargetGroup",
    "Topic",
    "TopicSubscription",
    "Version",
]
