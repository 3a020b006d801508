"""The domain model: functions, versions, aliases, concurrency, async configs, sources, mappings, front doors,
resource policies, function URLs, CloudWatch alarms and CodeDeploy (applications, deployment groups, deployment
configs)."""

from .account import AccountSettings
from .alarms import AlarmHistoryItem, MetricAlarm
from .aliases import Alias
from .async_config import EventInvokeConfig
from .autoscaling import ScalableTarget, ScalingActivity, ScalingPolicy, ScheduledAction
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
from .front_doors import ApiDeployment, ApiResource, ApiStage, RestApi, TargetGroup
from .function_urls import FunctionUrlAuthType, FunctionUrlConfig, FunctionUrlInvokeMode
from .functions import Function
from .mappings import EventSourceMapping, MappingState, StartingPosition
from .policies import ResourcePolicy
from .records import InvocationMinute, InvocationRecord, RecordJournalMark
from .sources import Bucket, BucketNotification, EventBus, Queue, Stream, StreamKind, Topic
from .subscriptions import EventRule, TopicSubscription
from .versions import Version

__all__ = [
    "AccountSettings",
    "AlarmHistoryItem",
    "Alias",
    "ApiDeployment",
    "ApiResource",
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
    "FunctionUrlAuthType",
    "FunctionUrlConfig",
    "FunctionUrlInvokeMode",
    "FunctionConcurrency",
    "MappingState",
    "ProvisionedConcurrencyConfig",
    "ProvisionedConcurrencyStatus",
    "Queue",
    "RecordJournalMark",
    "ResourcePolicy",
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
