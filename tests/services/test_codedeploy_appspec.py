"""A Lambda deployment's AppSpec, parsed and checked against the functions there are (issue 14, "Bad input"): no
resource, two resources, TargetVersion equal to CurrentVersion, $LATEST, an unknown alias, an alias whose
CurrentVersion does not match, a hook function that does not exist."""

from __future__ import annotations

import json

import pytest

from invocations import services
from invocations.services import codedeploy_errors as errors
from invocations.services.codedeploy_appspec import AppSpec, appspec_check, appspec_parse
from tests.factories import make_function, make_versions

YAML = """
version: 0.0
Resources:
  - checkout:
      Type: AWS::Lambda::Function
      Properties:
        Name: checkout
        Alias: prod
        CurrentVersion: 1
        TargetVersion: 2
Hooks:
  - BeforeAllowTraffic: pre-traffic-check
  - AfterAllowTraffic: post-traffic-check
"""


def spec_json(**properties) -> str:
    base = {"Name": "checkout", "Alias": "prod", "CurrentVersion": "1", "TargetVersion": "2"}
    resource = {"Type": "AWS::Lambda::Function", "Properties": {**base, **properties}}
    return json.dumps({"version": "0.0", "Resources": [{"checkout": resource}]})


def refused(call, cause: str) -> None:
    with pytest.raises(errors.InvalidRevisionException) as info:
        call()
    assert info.value.error_type == "InvalidRevisionException"
    assert info.value.message.startswith("The revision was specified in an invalid format.")
    assert cause in info.value.message


def test_a_yaml_appspec_gives_its_one_function_alias_versions_and_hooks():
    assert appspec_parse(YAML) == AppSpec(
        function="checkout",
        alias="prod",
        current_version="1",
        target_version="2",
        hooks={"BeforeAllowTraffic": "pre-traffic-check", "AfterAllowTraffic": "post-traffic-check"},
    )


def test_a_json_appspec_without_hooks_is_read_the_same_way():
    assert appspec_parse(spec_json()) == AppSpec("checkout", "prod", "1", "2", {})


@pytest.mark.parametrize(
    ("content", "cause"),
    [
        ("", "empty"),
        ("{not: [valid", "neither valid YAML nor valid JSON"),
        (json.dumps({"version": "1.0", "Resources": []}), "version must be 0.0"),
        (json.dumps({"version": "0.0", "Resources": []}), "exactly one resource"),
        (json.dumps({"version": "0.0", "Resources": [{"a": {}}, {"b": {}}]}), "exactly one resource"),
        (json.dumps({"version": "0.0", "Resources": [{"a": {"Type": "AWS::ECS::Service"}}]}), "AWS::Lambda::Function"),
        (spec_json(TargetVersion="1"), "must differ from the CurrentVersion"),
        (spec_json(CurrentVersion="$LATEST"), "$LATEST cannot be"),
        (spec_json(TargetVersion="$LATEST"), "$LATEST cannot be"),
        (spec_json(Alias=""), "Alias"),
        (YAML.replace("BeforeAllowTraffic", "BeforeInstall"), "not a Lambda lifecycle event"),
    ],
)
def test_a_malformed_appspec_is_refused(content, cause):
    refused(lambda: appspec_parse(content), cause)


@pytest.fixture
def checkout(db):
    function = make_function("checkout")
    make_versions(function, 0.0, 0.2)
    services.alias_create(function=function, name="prod", function_version="1")
    for hook in ("pre-traffic-check", "post-traffic-check"):
        make_function(hook)
    return function


def test_an_appspec_matching_the_functions_gives_the_alias_to_shift(checkout):
    alias = appspec_check(appspec_parse(YAML))
    assert (alias.function.name, alias.name, alias.version.number) == ("checkout", "prod", 1)


@pytest.mark.parametrize(
    ("content", "cause"),
    [
        (spec_json(Name="ghost"), "The function ghost does not exist."),
        (spec_json(Alias="canary"), "The alias canary of checkout does not exist."),
        (spec_json(CurrentVersion="2", TargetVersion="1"), "points to version 1, not to CurrentVersion 2"),
        (spec_json(TargetVersion="7"), "The TargetVersion 7 of checkout does not exist."),
        (YAML.replace("post-traffic-check", "no-such-hook"), "The AfterAllowTraffic hook function no-such-hook"),
    ],
)
def test_an_appspec_that_does_not_match_what_exists_is_refused(checkout, content, cause):
    refused(lambda: appspec_check(appspec_parse(content)), cause)
