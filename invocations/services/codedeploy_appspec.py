"""A Lambda deployment's AppSpec (issue 14, "Bad input"): YAML or JSON (PyYAML reads both), one
`AWS::Lambda::Function` resource with Name, Alias, CurrentVersion and TargetVersion, and optional
BeforeAllowTraffic / AfterAllowTraffic hooks; then checked against the functions, aliases and versions there are.

Every refusal is CodeDeploy's InvalidRevisionException, with the cause after its documented message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from ..models import Alias, Function
from . import codedeploy_errors as errors

FUNCTION_TYPE = "AWS::Lambda::Function"
HOOK_EVENTS = ("BeforeAllowTraffic", "AfterAllowTraffic")
LATEST = "$LATEST"


@dataclass(frozen=True)
class AppSpec:
    function: str
    alias: str
    current_version: str
    target_version: str
    hooks: dict[str, str]  # lifecycle event -> hook function name


def _invalid(cause: str) -> errors.CodeDeployError:
    return errors.InvalidRevisionException(f"The revision was specified in an invalid format. {cause}")


def _version(properties: dict[str, Any], key: str) -> str:
    value = properties.get(key)
    if isinstance(value, bool) or not isinstance(value, int | str) or value == "":
        raise _invalid(f"The AppSpec file's resource must name its {key}.")
    return str(value)


def appspec_parse(content: object) -> AppSpec:
    """The AppSpec's one Lambda resource and its hooks, or InvalidRevisionException."""
    if not isinstance(content, str) or not content.strip():
        raise _invalid("The AppSpec content is empty.")
    try:
        spec = yaml.safe_load(content)
    except yaml.YAMLError:
        raise _invalid("The AppSpec content is neither valid YAML nor valid JSON.") from None
    if not isinstance(spec, dict):
        raise _invalid("The AppSpec content must be a mapping.")
    if str(spec.get("version")) != "0.0":
        raise _invalid("The AppSpec file's version must be 0.0.")
    resources = spec.get("Resources")
    if not isinstance(resources, list) or len(resources) != 1:
        raise _invalid("The AppSpec file must hold exactly one resource.")
    entry = resources[0]
    if not isinstance(entry, dict) or len(entry) != 1:
        raise _invalid("The AppSpec file's resource must be one named resource.")
    (resource,) = entry.values()
    if not isinstance(resource, dict) or resource.get("Type") != FUNCTION_TYPE:
        raise _invalid(f"The AppSpec file's resource must be of type {FUNCTION_TYPE}.")
    properties = resource.get("Properties")
    if not isinstance(properties, dict):
        raise _invalid("The AppSpec file's resource must have Properties.")
    name, alias = properties.get("Name"), properties.get("Alias")
    if not isinstance(name, str) or not name or not isinstance(alias, str) or not alias:
        raise _invalid("The AppSpec file's resource must name its function (Name) and its Alias.")
    current, target = _version(properties, "CurrentVersion"), _version(properties, "TargetVersion")
    if LATEST in (current, target):
        raise _invalid(f"{LATEST} cannot be a CurrentVersion or a TargetVersion.")
    if current == target:
        raise _invalid("The TargetVersion must differ from the CurrentVersion.")
    return AppSpec(name, alias, current, target, _hooks(spec.get("Hooks")))


def _hooks(hooks: object) -> dict[str, str]:
    if hooks is None:
        return {}
    if not isinstance(hooks, list):
        raise _invalid("The AppSpec file's Hooks must be a list.")
    found: dict[str, str] = {}
    for hook in hooks:
        if not isinstance(hook, dict) or len(hook) != 1:
            raise _invalid("Each hook must name one lifecycle event and one function.")
        ((event, function),) = hook.items()
        if event not in HOOK_EVENTS or event in found:
            raise _invalid(f"The hook {event} is not a Lambda lifecycle event (BeforeAllowTraffic, AfterAllowTraffic).")
        if not isinstance(function, str) or not function:
            raise _invalid(f"The hook {event} must name a function.")
        found[event] = function
    return found


def appspec_check(spec: AppSpec) -> Alias:
    """The alias the deployment shifts, once the AppSpec matches what exists: the function, its alias pointing at
    CurrentVersion, a published TargetVersion, and each hook's function."""
    function = Function.objects.filter(name=spec.function).first()
    if function is None:
        raise _invalid(f"The function {spec.function} does not exist.")
    alias = Alias.objects.filter(function=function, name=spec.alias).select_related("version").first()
    if alias is None:
        raise _invalid(f"The alias {spec.alias} of {spec.function} does not exist.")
    pointed = LATEST if alias.version is None else str(alias.version.number)
    if pointed != spec.current_version:
        raise _invalid(
            f"The alias {spec.alias} points to version {pointed}, not to CurrentVersion {spec.current_version}."
        )
    if not spec.target_version.isdigit() or not function.versions.filter(number=int(spec.target_version)).exists():
        raise _invalid(f"The TargetVersion {spec.target_version} of {spec.function} does not exist.")
    for event, hook in spec.hooks.items():
        if not Function.objects.filter(name=hook).exists():
            raise _invalid(f"The {event} hook function {hook} does not exist.")
    return alias
