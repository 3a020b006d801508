"""Reads (HackSoft selectors): resolve names and ARNs the way Lambda does, and raise AWS's not-found errors."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet, Sum

from .. import arns
from ..arns import LATEST
from ..errors import (
    AccessDeniedException,
    InvalidParameterValueException,
    ProvisionedConcurrencyConfigNotFoundException,
    ResourceNotFoundException,
    ValidationException,
)
from ..models import (
    AccountSettings,
    Alias,
    ApiStage,
    Bucket,
    EventBus,
    EventInvokeConfig,
    EventSourceMapping,
    Function,
    ProvisionedConcurrencyConfig,
    Queue,
    Stream,
    StreamKind,
    TargetGroup,
    Topic,
    Version,
)
from ..models.concurrency import claims
from ..rules import functions as function_rules
from ..rules.messages import longest, pattern_failed

_QUALIFIER_RE = re.compile(r"^[a-zA-Z0-9$_-]{1,128}$")
NOT_FOUND = "The resource you requested does not exist."
ONLY_UNQUALIFIED = (
    "This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. "
    "Please specify either a function name or an unqualified function ARN."
)


# --- account --------------------------------------------------------------------------------------------------


def account_settings_get() -> AccountSettings:
    return AccountSettings.load()


@dataclass(frozen=True)
class AccountUsage:
    concurrency_limit: int
    unreserved_concurrent_executions: int
    unreserved_minimum: int
    function_count: int
    total_code_size: int

    def as_aws(self) -> dict:
        """GetAccountSettings' body (semantics §8)."""
        return {
            "AccountLimit": {
                "TotalCodeSize": function_rules.TOTAL_CODE_SIZE_MAX,
                "CodeSizeUnzipped": function_rules.CODE_SIZE_UNZIPPED_MAX,
                "CodeSizeZipped": 52_428_800,
                "ConcurrentExecutions": self.concurrency_limit,
                "UnreservedConcurrentExecutions": self.unreserved_concurrent_executions,
            },
            "AccountUsage": {"TotalCodeSize": self.total_code_size, "FunctionCount": self.function_count},
        }


def account_usage() -> AccountUsage:
    """The account's limit, what reservations and provisioned concurrency leave unreserved, and code storage."""
    account = AccountSettings.load()
    code = (Function.objects.aggregate(total=Sum("code_size"))["total"] or 0) + (
        Version.objects.aggregate(total=Sum("code_size"))["total"] or 0
    )
    return AccountUsage(
        concurrency_limit=account.concurrency_limit,
        unreserved_concurrent_executions=account.concurrency_limit - sum(claims()),
        unreserved_minimum=account.unreserved_minimum,
        function_count=Function.objects.count(),
        total_code_size=code,
    )


# --- functions --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QualifiedFunction:
    """A function as a request names it: unqualified, $LATEST, a version number or an alias."""

    function: Function
    qualifier: str | None
    version: Version | None  # the published version the qualifier resolves to; None means $LATEST
    alias: Alias | None

    @property
    def configuration(self) -> Function | Version:
        """What runs: the version's snapshot, or the function's $LATEST."""
        return self.version or self.function

    @property
    def executed_version(self) -> str:
        """X-Amz-Executed-Version for the alias's primary version (routing may pick the other one)."""
        return self.version.version if self.version else LATEST

    @property
    def arn(self) -> str:
        return self.function.qualified_arn(self.qualifier) if self.qualifier else self.function.arn


def function_get(name_or_arn: str, qualifier: str | None = None) -> QualifiedFunction:
    """Resolve a FunctionName (name, partial or full ARN, maybe qualified) plus an optional Qualifier parameter."""
    ref = _parse_function_name(name_or_arn)
    if qualifier is not None and not _QUALIFIER_RE.match(qualifier):
        raise ValidationException(pattern_failed(qualifier, "qualifier", "(|[a-zA-Z0-9$_-]+)"))
    if qualifier and ref.qualifier and qualifier != ref.qualifier:
        raise InvalidParameterValueException(
            "The derived qualifier from the function name does not match the specified qualifier."
        )
    qualifier = qualifier or ref.qualifier
    account = AccountSettings.load()
    function = Function.objects.select_related("concurrency").filter(name=ref.name).first()
    if function is None:
        arn = arns.function_arn(ref.name, **account.where)
        missing = f"{arn}:{qualifier}" if qualifier else arn
        raise ResourceNotFoundException(f"Function not found: {missing}")
    if qualifier is None or qualifier == LATEST:
        return QualifiedFunction(function=function, qualifier=qualifier, version=None, alias=None)
    if qualifier.isdigit():
        version = function.versions.filter(number=int(qualifier)).first()
        if version is None:
            raise ResourceNotFoundException(f"Function not found: {function.qualified_arn(qualifier)}")
        return QualifiedFunction(function=function, qualifier=qualifier, version=version, alias=None)
    alias = function.aliases.select_related("version", "routing_version").filter(name=qualifier).first()
    if alias is None:
        raise ResourceNotFoundException(f"Function not found: {function.qualified_arn(qualifier)}")
    return QualifiedFunction(function=function, qualifier=qualifier, version=alias.version, alias=alias)


def function_get_unqualified(name_or_arn: str) -> Function:
    """For function-level operations (reserved concurrency): a qualified ARN is refused as AWS refuses it."""
    ref = _parse_function_name(name_or_arn)
    if ref.qualifier:
        raise InvalidParameterValueException(ONLY_UNQUALIFIED)
    return function_get(name_or_arn).function


def function_list() -> QuerySet[Function]:
    # Listings never need the deployment packages (up to 50 MB each); they load on access if ever touched.
    return Function.objects.select_related("concurrency").defer("code_archive").order_by("name")


def version_list(*, function: Function) -> QuerySet[Version]:
    """The published versions, oldest first (ListVersionsByFunction adds $LATEST in front)."""
    return function.versions.defer("code_archive").order_by("number")


def function_summary(function: Function) -> dict:
    """One function as the diagram draws it: versions, aliases with their configured weights, reserved concurrency."""
    return {
        "name": function.name,
        "arn": function.arn,
        "code_kind": function.code_kind,
        "reserved_concurrency": function.reserved_concurrency,
        "versions": [LATEST, *(str(v.number) for v in version_list(function=function))],
        "aliases": [
            {
                "name": alias.name,
                "function_version": alias.function_version,
                "additional_version_weights": alias.additional_version_weights,
            }
            for alias in alias_list(function=function)
        ],
    }


def function_concurrency_get(*, function: Function) -> int | None:
    """ReservedConcurrentExecutions, or None when none is reserved."""
    return Function.objects.select_related("concurrency").get(pk=function.pk).reserved_concurrency


def _parse_function_name(name_or_arn: str) -> arns.FunctionRef:
    if len(name_or_arn or "") > 140:
        raise ValidationException(longest(name_or_arn, "functionName", 140))
    ref = arns.parse_function_ref(name_or_arn or "")
    if ref is None:
        raise ValidationException(pattern_failed(name_or_arn, "functionName", function_rules.NAME_PATTERN_SHOWN))
    account = AccountSettings.load()
    if ref.region and ref.region != account.region:
        raise ResourceNotFoundException(
            f"Functions from '{ref.region}' are not reachable in this region ('{account.region}')"
        )
    if ref.account and ref.account != account.account_id:
        # ⚠ wording unconfirmed: LambdaViz simulates one account.
        raise AccessDeniedException(f"Account {ref.account} is not the simulated account {account.account_id}.")
    return ref


# --- aliases ----------------------------------------------------------------------------------------------------


def alias_get(*, function: Function, name: str) -> Alias:
    alias = function.aliases.select_related("version", "routing_version").filter(name=name).first()
    if alias is None:
        raise ResourceNotFoundException(f"Cannot find alias arn: {function.qualified_arn(name)}")
    return alias


def alias_get_for_update(*, function: Function, name: str) -> Alias:
    """UpdateAlias/DeleteAlias name a missing alias differently from GetAlias."""
    alias = function.aliases.filter(name=name).first()
    if alias is None:
        raise ResourceNotFoundException(f"Alias not found: {function.qualified_arn(name)}")
    return alias


def alias_list(*, function: Function, function_version: str | None = None) -> QuerySet[Alias]:
    aliases = function.aliases.select_related("version", "routing_version").order_by("name")
    if function_version == LATEST:
        aliases = aliases.filter(version__isnull=True)
    elif function_version and function_version.isdigit():
        aliases = aliases.filter(version__number=int(function_version))
    elif function_version:
        aliases = aliases.none()
    return aliases


# --- per-qualifier settings -------------------------------------------------------------------------------------


def event_invoke_config_get(*, function: Function, qualifier: str | None = None) -> EventInvokeConfig:
    configs = EventInvokeConfig.objects.filter(function=function)
    config = _by_qualifier(configs, qualifier or LATEST).first()
    if config is None:
        raise ResourceNotFoundException(
            f"The function {function.qualified_arn(qualifier or LATEST)} doesn't have an EventInvokeConfig"
        )
    return config


def event_invoke_config_list(*, function: Function) -> QuerySet[EventInvokeConfig]:
    return EventInvokeConfig.objects.filter(function=function).select_related("version", "alias").order_by("id")


def event_invoke_config_for(qualified: QualifiedFunction) -> EventInvokeConfig | None:
    """The async config an invoke of `qualified` uses (the alias's own, else the version's, else none)."""
    configs = EventInvokeConfig.objects.filter(function=qualified.function)
    return _by_qualifier(configs, qualified.qualifier or LATEST).first()


def provisioned_concurrency_get(*, function: Function, qualifier: str) -> ProvisionedConcurrencyConfig:
    if not qualifier or qualifier == LATEST:
        raise InvalidParameterValueException("The function resource provided must be an alias or a published version.")
    config = _by_qualifier(ProvisionedConcurrencyConfig.objects.filter(function=function), qualifier).first()
    if config is None:
        raise ProvisionedConcurrencyConfigNotFoundException("No Provisioned Concurrency Config found for this function")
    return config


def provisioned_concurrency_list(*, function: Function) -> QuerySet[ProvisionedConcurrencyConfig]:
    return ProvisionedConcurrencyConfig.objects.filter(function=function).select_related("version", "alias")


def _by_qualifier(queryset: QuerySet, qualifier: str) -> QuerySet:
    if qualifier == LATEST:
        return queryset.filter(version__isnull=True, alias__isnull=True)
    if qualifier.isdigit():
        return queryset.filter(version__number=int(qualifier), alias__isnull=True)
    return queryset.filter(alias__name=qualifier)


# --- event source mappings and sources --------------------------------------------------------------------------


def event_source_mapping_get(mapping_uuid: str) -> EventSourceMapping:
    """By UUID (or by its ARN)."""
    key = arns.event_source_mapping_uuid(mapping_uuid) or mapping_uuid
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        raise ResourceNotFoundException(NOT_FOUND) from None
    mapping = EventSourceMapping.objects.select_related("function", "queue", "stream").filter(uuid=key).first()
    if mapping is None:
        raise ResourceNotFoundException(NOT_FOUND)
    return mapping


def event_source_mapping_list(
    *, event_source_arn: str | None = None, function: Function | None = None
) -> QuerySet[EventSourceMapping]:
    mappings = EventSourceMapping.objects.select_related("function", "queue", "stream").order_by("id")
    if function is not None:
        mappings = mappings.filter(function=function)
    if event_source_arn:
        try:
            source = source_get_by_arn(event_source_arn)
        except (ResourceNotFoundException, InvalidParameterValueException):
            return mappings.none()
        mappings = mappings.filter(queue=source) if isinstance(source, Queue) else mappings.filter(stream=source)
    return mappings


def source_get_by_arn(arn: str) -> Queue | Stream:
    """The queue or stream an event source ARN names."""
    parsed = arns.parse_arn(arn)
    account = AccountSettings.load()
    if parsed is None or parsed.service not in {"sqs", "kinesis", "dynamodb"}:
        raise InvalidParameterValueException("Unrecognized event source.")
    if parsed.service == "sqs":
        queue = Queue.objects.filter(name=parsed.resource).first() if _ours(parsed, account) else None
        if queue is None:
            raise InvalidParameterValueException(
                "Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. "
                "SQS Error Message: The specified queue does not exist for this wsdl version."
            )
        return queue
    stream = None
    if _ours(parsed, account):
        if parsed.service == "kinesis" and parsed.resource.startswith("stream/"):
            stream = Stream.objects.filter(kind=StreamKind.KINESIS, name=arns.resource_name(arn)).first()
        elif parsed.service == "dynamodb" and (parts := arns.dynamodb_stream_parts(arn)):
            stream = Stream.objects.filter(kind=StreamKind.DYNAMODB, name=parts[0], stream_label=parts[1]).first()
    if stream is None:
        # ⚠ wording unconfirmed.
        raise InvalidParameterValueException(f"Stream not found: {arn}")
    return stream


def _ours(parsed: arns.Arn, account: AccountSettings) -> bool:
    return parsed.region == account.region and parsed.account == account.account_id


def queue_get(name_or_arn: str) -> Queue:
    name = arns.resource_name(name_or_arn) if name_or_arn.startswith("arn:") else name_or_arn
    queue = Queue.objects.select_related("dead_letter_queue").filter(name=name).first()
    if queue is None:
        raise ResourceNotFoundException("The specified queue does not exist.")
    return queue


def topic_get(name_or_arn: str) -> Topic:
    name = arns.resource_name(name_or_arn) if name_or_arn.startswith("arn:") else name_or_arn
    topic = Topic.objects.filter(name=name).first()
    if topic is None:
        raise ResourceNotFoundException("Topic does not exist")
    return topic


def bus_get(name_or_arn: str) -> EventBus:
    name = arns.resource_name(name_or_arn) if name_or_arn.startswith("arn:") else name_or_arn
    bus = EventBus.objects.filter(name=name).first()
    if bus is None:
        raise ResourceNotFoundException(f"Event bus {name} does not exist.")
    return bus


def bucket_get(name_or_arn: str) -> Bucket:
    name = arns.resource_name(name_or_arn) if name_or_arn.startswith("arn:") else name_or_arn
    bucket = Bucket.objects.prefetch_related(Prefetch("notifications")).filter(name=name).first()
    if bucket is None:
        raise ResourceNotFoundException("The specified bucket does not exist")
    return bucket


def stream_get(kind: str, name: str) -> Stream:
    stream = Stream.objects.filter(kind=kind, name=name).first()
    if stream is None:
        raise ResourceNotFoundException(f"Stream {name} under account {AccountSettings.load().account_id} not found.")
    return stream


# --- front doors ------------------------------------------------------------------------------------------------


def api_stage_get(*, api_id: str, stage: str) -> ApiStage:
    found = ApiStage.objects.select_related("rest_api__function").filter(rest_api__api_id=api_id, name=stage).first()
    if found is None:
        raise ResourceNotFoundException("Invalid stage identifier specified")
    return found


def target_group_get(name_or_arn: str) -> TargetGroup:
    name = arns.resource_name(name_or_arn) if name_or_arn.startswith("arn:") else name_or_arn
    group = TargetGroup.objects.select_related("function").filter(name=name).first()
    if group is None:
        raise ResourceNotFoundException("One or more target groups not found")
    return group
