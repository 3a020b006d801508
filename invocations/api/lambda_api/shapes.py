"""Serialise models into the response shapes of botocore's Lambda model, field for field as AWS sends them."""

from __future__ import annotations

import datetime
from typing import Any

from invocations import arns
from invocations.arns import LATEST
from invocations.models import (
    Alias,
    EventInvokeConfig,
    EventSourceMapping,
    Function,
    ProvisionedConcurrencyConfig,
    Version,
)


def aws_timestamp(moment: datetime.datetime) -> str:
    """Lambda's string timestamps (FunctionConfiguration.LastModified): "2019-11-14T18:16:05.468+0000"."""
    moment = moment.astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


def epoch(moment: datetime.datetime | None) -> float | None:
    """Members of botocore's `timestamp` type (EventSourceMapping/EventInvokeConfig LastModified): epoch seconds."""
    return None if moment is None else round(moment.timestamp(), 3)


def function_configuration(
    config: Function | Version, *, function: Function, where: dict[str, str], arn: str | None = None
) -> dict[str, Any]:
    """FunctionConfiguration for $LATEST (`config` is the Function) or a published version.

    `arn` overrides FunctionArn (a qualified ARN when the request named a qualifier). Environment values of secret
    variables are masked (****); they are never sent in clear.
    """
    is_latest = isinstance(config, Function)
    if arn is None:
        arn = (
            arns.function_arn(function.name, **where)
            if is_latest
            else arns.qualified_function_arn(function.name, config.version, **where)
        )
    modified = function.last_modified if is_latest else config.created_at
    data: dict[str, Any] = {
        "FunctionName": function.name,
        "FunctionArn": arn,
        "Runtime": config.runtime,
        "Role": config.role,
        "Handler": config.handler,
        "CodeSize": config.code_size,
        "Description": config.description,
        "Timeout": config.timeout,
        "MemorySize": config.memory_size,
        "LastModified": aws_timestamp(modified),
        "CodeSha256": config.code_sha256,
        "Version": LATEST if is_latest else config.version,
        "TracingConfig": {"Mode": config.tracing_mode},
        "RevisionId": str(config.revision_id),
        "State": "Active",
        "LastUpdateStatus": "Successful",
        "PackageType": "Zip",
        "Architectures": ["x86_64"],
        "EphemeralStorage": {"Size": config.ephemeral_storage_size},
        "SnapStart": snap_start(config, is_latest=is_latest),
        "LoggingConfig": {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{function.name}"},
    }
    environment = config.environment_masked()
    if environment:
        data["Environment"] = {"Variables": environment}
    if config.dead_letter_target_arn:
        data["DeadLetterConfig"] = {"TargetArn": config.dead_letter_target_arn}
    return data


def snap_start(config: Function | Version, *, is_latest: bool) -> dict[str, str]:
    """SnapStart as AWS reports it: ApplyOn as set; OptimizationStatus "On" only on a version published with it
    ($LATEST is never snapshotted). The snapshot itself is not simulated (README)."""
    apply_on = config.snap_start_apply_on
    optimized = not is_latest and apply_on == "PublishedVersions"
    return {"ApplyOn": apply_on, "OptimizationStatus": "On" if optimized else "Off"}


def alias_configuration(alias: Alias, *, function: Function, where: dict[str, str]) -> dict[str, Any]:
    """AliasConfiguration; RoutingConfig only when the alias splits traffic."""
    data: dict[str, Any] = {
        "AliasArn": arns.alias_arn(function.name, alias.name, **where),
        "Name": alias.name,
        "FunctionVersion": alias.function_version,
        "Description": alias.description,
        "RevisionId": str(alias.revision_id),
    }
    weights = alias.additional_version_weights
    if weights:
        data["RoutingConfig"] = {"AdditionalVersionWeights": weights}
    return data


def provisioned_concurrency(config: ProvisionedConcurrencyConfig, *, function_arn: str | None = None) -> dict:
    """GetProvisionedConcurrencyConfig's shape; with `function_arn`, a ListProvisionedConcurrencyConfigs item."""
    data: dict[str, Any] = {}
    if function_arn is not None:
        data["FunctionArn"] = function_arn
    data.update(
        {
            "RequestedProvisionedConcurrentExecutions": config.requested,
            "AvailableProvisionedConcurrentExecutions": config.available,
            "AllocatedProvisionedConcurrentExecutions": config.allocated,
            "Status": config.status,
            "LastModified": aws_timestamp(config.last_modified),
        }
    )
    if config.status_reason:
        data["StatusReason"] = config.status_reason
    return data


def event_invoke_config(config: EventInvokeConfig, *, where: dict[str, str]) -> dict[str, Any]:
    """FunctionEventInvokeConfig: FunctionArn always qualified ($LATEST included); unset numbers are omitted."""
    data: dict[str, Any] = {
        "LastModified": epoch(config.last_modified),
        "FunctionArn": arns.qualified_function_arn(config.function.name, config.qualifier, **where),
    }
    if config.maximum_retry_attempts is not None:
        data["MaximumRetryAttempts"] = config.maximum_retry_attempts
    if config.maximum_event_age_in_seconds is not None:
        data["MaximumEventAgeInSeconds"] = config.maximum_event_age_in_seconds
    data["DestinationConfig"] = config.destination_config
    return data


def event_source_mapping(mapping: EventSourceMapping, *, where: dict[str, str]) -> dict[str, Any]:
    """EventSourceMappingConfiguration with the effective settings (AWS's per-source defaults filled in)."""
    function_arn = (
        arns.qualified_function_arn(mapping.function.name, mapping.qualifier, **where)
        if mapping.qualifier
        else arns.function_arn(mapping.function.name, **where)
    )
    return {
        "UUID": str(mapping.uuid),
        **mapping.settings().to_api(),
        "EventSourceArn": mapping.event_source_arn,
        "FunctionArn": function_arn,
        "LastModified": epoch(mapping.last_modified),
        "LastProcessingResult": mapping.last_processing_result,
        "State": mapping.state,
        "StateTransitionReason": mapping.state_transition_reason,
        "EventSourceMappingArn": arns.event_source_mapping_arn(str(mapping.uuid), **where),
    }
