"""Build and parse AWS ARNs in AWS's own formats (lambda-semantics.md §12); pure Python, no Django."""

from __future__ import annotations

import re
from dataclasses import dataclass

PARTITION = "aws"
LATEST = "$LATEST"

# botocore's FunctionName pattern, anchored: a name, a partial ARN or a full ARN, each optionally qualified.
_FUNCTION_REF = re.compile(
    r"^(?:arn:(?P<partition>aws[a-zA-Z-]*)?:lambda:)?"
    r"(?:(?P<region>[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):)?"
    r"(?:(?P<account>\d{12}):)?"
    r"(?P<function_prefix>function:)?"
    r"(?P<name>[a-zA-Z0-9-_]+)"
    r"(?::(?P<qualifier>\$LATEST|[a-zA-Z0-9-_]+))?$"
)
_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-zA-Z0-9-]*):(?P<service>[a-zA-Z0-9-]+):(?P<region>[^:]*):(?P<account>[^:]*):(?P<resource>.+)$"
)


@dataclass(frozen=True, slots=True)
class Arn:
    """The five parts every ARN has; `resource` is everything after the account."""

    partition: str
    service: str
    region: str
    account: str
    resource: str

    def __str__(self) -> str:
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account}:{self.resource}"


@dataclass(frozen=True, slots=True)
class FunctionRef:
    """What a FunctionName parameter names: always a name, sometimes a qualifier, region and account."""

    name: str
    qualifier: str | None = None
    region: str | None = None
    account: str | None = None


def parse_arn(arn: str) -> Arn | None:
    """Split any ARN into its parts; None when `arn` is not ARN-shaped."""
    match = _ARN.match(arn or "")
    if not match:
        return None
    return Arn(**match.groupdict())


def parse_function_ref(name_or_arn: str) -> FunctionRef | None:
    """Parse a function name, partial ARN (acct:function:name) or full ARN; None when it matches none of them."""
    match = _FUNCTION_REF.match(name_or_arn or "")
    if not match:
        return None
    groups = match.groupdict()
    is_arn = name_or_arn.startswith("arn:")
    # "acct:function:name" and full ARNs need the "function:" part; a bare "name:qualifier" does not.
    if (is_arn or groups["account"]) and not groups["function_prefix"]:
        return None
    if groups["function_prefix"] and not groups["account"]:
        return None
    return FunctionRef(
        name=groups["name"], qualifier=groups["qualifier"], region=groups["region"], account=groups["account"]
    )


def service_of(arn: str) -> str | None:
    """The service part of an ARN ("sqs", "lambda", ...), or None when it is not an ARN."""
    parsed = parse_arn(arn)
    return parsed.service if parsed else None


# --- Lambda -------------------------------------------------------------------------------------------------


def function_arn(name: str, *, region: str, account: str) -> str:
    return f"arn:{PARTITION}:lambda:{region}:{account}:function:{name}"


def qualified_function_arn(name: str, qualifier: str, *, region: str, account: str) -> str:
    """A version (`:7`, `:$LATEST`) or alias (`:PROD`) ARN."""
    return f"{function_arn(name, region=region, account=account)}:{qualifier}"


alias_arn = qualified_function_arn


def partial_function_arn(name: str, *, account: str) -> str:
    return f"{account}:function:{name}"


def event_source_mapping_arn(uuid: str, *, region: str, account: str) -> str:
    return f"arn:{PARTITION}:lambda:{region}:{account}:event-source-mapping:{uuid}"


# --- Other services ---------------------------------------------------------------------------------------


def sqs_queue_arn(name: str, *, region: str, account: str) -> str:
    return f"arn:{PARTITION}:sqs:{region}:{account}:{name}"


def sns_topic_arn(name: str, *, region: str, account: str) -> str:
    return f"arn:{PARTITION}:sns:{region}:{account}:{name}"


def event_bus_arn(name: str, *, region: str, account: str) -> str:
    return f"arn:{PARTITION}:events:{region}:{account}:event-bus/{name}"


def s3_bucket_arn(bucket: str) -> str:
    # S3 bucket ARNs carry neither region nor account.
    return f"arn:{PARTITION}:s3:::{bucket}"


def kinesis_stream_arn(name: str, *, region: str, account: str) -> str:
    return f"arn:{PARTITION}:kinesis:{region}:{account}:stream/{name}"


def dynamodb_stream_arn(table: str, label: str, *, region: str, account: str) -> str:
    return f"arn:{PARTITION}:dynamodb:{region}:{account}:table/{table}/stream/{label}"


def target_group_arn(name: str, group_id: str, *, region: str, account: str) -> str:
    return f"arn:{PARTITION}:elasticloadbalancing:{region}:{account}:targetgroup/{name}/{group_id}"


def apigateway_integration_uri(function_name: str, stage_variable: str, *, region: str, account: str) -> str:
    """The Lambda proxy integration URI whose alias comes from a stage variable (semantics §10)."""
    target = qualified_function_arn(
        function_name, f"${{stageVariables.{stage_variable}}}", region=region, account=account
    )
    return f"arn:{PARTITION}:apigateway:{region}:lambda:path/2015-03-31/functions/{target}/invocations"


# --- Parsing the resource part of the ARNs above ------------------------------------------------------------


def resource_name(arn: str) -> str | None:
    """The resource's own name: queue, topic, bus, bucket, stream, table, function or target group."""
    parsed = parse_arn(arn)
    if not parsed:
        return None
    resource = parsed.resource
    if parsed.service == "lambda" and resource.startswith("function:"):
        return resource.split(":")[1]
    if parsed.service == "elasticloadbalancing" and resource.startswith("targetgroup/"):
        return resource.split("/")[1]
    if parsed.service == "dynamodb" and resource.startswith("table/"):
        return resource.split("/")[1]
    if parsed.service in {"kinesis", "events"} and "/" in resource:
        return resource.split("/", 1)[1]
    return resource


def dynamodb_stream_parts(arn: str) -> tuple[str, str] | None:
    """(table, stream label) of a DynamoDB stream ARN."""
    parsed = parse_arn(arn)
    if not parsed or parsed.service != "dynamodb":
        return None
    match = re.fullmatch(r"table/(?P<table>[^/]+)/stream/(?P<label>.+)", parsed.resource)
    return (match["table"], match["label"]) if match else None


def event_source_mapping_uuid(arn: str) -> str | None:
    parsed = parse_arn(arn)
    if not parsed or parsed.service != "lambda" or not parsed.resource.startswith("event-source-mapping:"):
        return None
    return parsed.resource.split(":", 1)[1]
