"""API Gateway REST API rules, pure (no Django): path parts, stage names and variables, the Lambda proxy
integration URI and its `${stageVariables.x}`, which resource a request path reaches, and the source ARN API Gateway
presents to Lambda's resource policy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..arns import parse_function_ref

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY")
INTEGRATION_TYPES = ("HTTP", "AWS", "MOCK", "HTTP_PROXY", "AWS_PROXY")
INTEGRATION_TIMEOUT_MS = 29_000  # the default (and, for REST APIs by default, the maximum) integration timeout
STAGE_NAME_MESSAGE = "Stage name only allows a-zA-Z0-9_"
# ⚠ wording as we recall AWS's; the rule itself is botocore's documented one.
PATH_PART_MESSAGE = (
    "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end "
    "and an optional plus sign before the closing brace."
)
_PATH_PART = re.compile(r"^(?:[a-zA-Z0-9._\-:]+|\{[a-zA-Z0-9._\-]+\+?\})$")
_STAGE_NAME = re.compile(r"^[a-zA-Z0-9_]{1,128}$")
_VARIABLE_NAME = re.compile(r"^[a-zA-Z0-9_]{1,64}$")
_VARIABLE_VALUE = re.compile(r"^[A-Za-z0-9\-._~:/?#&=,]{1,512}$")
_LAMBDA_URI = re.compile(
    r"^arn:aws[a-zA-Z-]*:apigateway:(?P<region>[a-z0-9-]+):lambda:path/2015-03-31/functions/(?P<function>.+)/invocations$"
)
_STAGE_VARIABLE = re.compile(r"\$\{stageVariables\.([a-zA-Z0-9_]+)\}")


def path_part_ok(path_part: str) -> bool:
    return bool(_PATH_PART.match(path_part or ""))


def stage_name_ok(name: str) -> bool:
    return bool(_STAGE_NAME.match(name or ""))


def bad_variable(variables: dict[str, Any]) -> str | None:
    """The first stage variable AWS would refuse, as its message; None when all are valid."""
    for name, value in variables.items():
        if not _VARIABLE_NAME.match(name):
            return f"Stage variable name {name} must be alphanumeric or underscore"  # ⚠ wording unconfirmed
        if not isinstance(value, str) or not _VARIABLE_VALUE.match(value):
            # ⚠ wording unconfirmed; the allowed characters are the documented ones.
            return f"Stage variable value {value} for variable {name} must match [A-Za-z0-9-._~:/?#&=,]+"
    return None


@dataclass(frozen=True)
class LambdaUri:
    """What a Lambda proxy integration URI names: the function ARN template (maybe with stage variables)."""

    region: str
    function: str  # arn:aws:lambda:…:function:name[:qualifier], possibly with ${stageVariables.x}

    @property
    def stage_variables(self) -> list[str]:
        return _STAGE_VARIABLE.findall(self.function)


def parse_lambda_uri(uri: str) -> LambdaUri | None:
    match = _LAMBDA_URI.match(uri or "")
    return LambdaUri(region=match["region"], function=match["function"]) if match else None


def resolve(template: str, variables: dict[str, str]) -> str | None:
    """`template` with each ${stageVariables.x} replaced; None when one names a variable the stage lacks."""
    missing = [name for name in _STAGE_VARIABLE.findall(template) if not variables.get(name)]
    if missing:
        return None
    return _STAGE_VARIABLE.sub(lambda match: variables[match[1]], template)


def function_target(function_arn: str) -> tuple[str, str | None] | None:
    """(function name, qualifier or None) of a resolved function ARN; None when it names no function."""
    ref = parse_function_ref(function_arn)
    return (ref.name, ref.qualifier) if ref is not None else None


# --- routing: which deployed resource a request path reaches -------------------------------------------------------


@dataclass(frozen=True)
class Route:
    resource_id: str
    resource_path: str
    method: dict[str, Any]  # the Method as AWS renders it, methodIntegration included
    path_parameters: dict[str, str]


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


def _match(template: list[str], segments: list[str]) -> tuple[tuple[int, ...], dict[str, str]] | None:
    """(a score: literal segments beat variables, variables beat a greedy tail; the path parameters) or None."""
    score: list[int] = []
    params: dict[str, str] = {}
    for index, part in enumerate(template):
        if part.startswith("{") and part.endswith("+}"):
            rest = segments[index:]
            if not rest or index != len(template) - 1:
                return None
            params[part[1:-2]] = "/".join(rest)
            return (*score, 0), params
        if index >= len(segments):
            return None
        if part.startswith("{") and part.endswith("}"):
            params[part[1:-1]] = segments[index]
            score.append(1)
        elif part == segments[index]:
            score.append(2)
        else:
            return None
    if len(template) != len(segments):
        return None
    return tuple(score), params


def route(resources: list[dict[str, Any]], *, path: str, method: str) -> Route | None:
    """The resource and method a request reaches (the method itself, else ANY), as API Gateway picks it."""
    segments = _segments(path)
    best: tuple[tuple[int, ...], dict[str, Any], dict[str, str]] | None = None
    for resource in resources:
        matched = _match(_segments(resource["path"]), segments)
        if matched is None:
            continue
        methods = resource.get("methods") or {}
        if method not in methods and "ANY" not in methods:
            continue
        if best is None or matched[0] > best[0]:
            best = (matched[0], resource, matched[1])
    if best is None:
        return None
    _, resource, params = best
    methods = resource["methods"]
    return Route(
        resource_id=resource["id"],
        resource_path=resource["path"],
        method=methods.get(method) or methods["ANY"],
        path_parameters=params,
    )


def source_arn(*, region: str, account_id: str, api_id: str, stage: str, method: str, resource_path: str) -> str:
    """The SourceArn API Gateway presents when it invokes a function: api-id/stage/METHOD/resource-path.
    ⚠ the method part for an ANY method and the resource template form are as AWS's console grants them."""
    return f"arn:aws:execute-api:{region}:{account_id}:{api_id}/{stage}/{method}{resource_path}"
