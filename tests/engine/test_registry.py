"""The live configuration: AWS's invariants on aliases, provisioned concurrency and async configs (semantics §5, §9)."""

from __future__ import annotations

import pytest

from invocations.engine.config import AliasConfig, AsyncConfig, FunctionConfig, VersionConfig
from invocations.engine.registry import Registry
from invocations.errors import InvalidParameterValueException, ResourceConflictException, ResourceNotFoundException

V = VersionConfig()


def fn(**kw) -> FunctionConfig:
    return FunctionConfig("fn", versions={"$LATEST": V, "1": V, "2": V}, **kw)


@pytest.mark.parametrize(
    ("alias", "error", "message"),
    [
        (
            AliasConfig("1", {"2": 0.1, "$LATEST": 0.1}),
            InvalidParameterValueException,
            "Number of items in AdditionalVersionWeights cannot be greater than 1",
        ),
        (
            AliasConfig("1", {"1": 0.5}),
            InvalidParameterValueException,
            "Function version 1 is already included in routing configuration.",
        ),
        (
            AliasConfig("$LATEST", {"1": 0.5}),
            InvalidParameterValueException,
            r"\$LATEST is not supported for an alias pointing to more than 1 version",
        ),
        (AliasConfig("9"), ResourceNotFoundException, "Function not found"),
        (AliasConfig("1", {"2": 1.5}), InvalidParameterValueException, "between 0.0 and 1.0"),
    ],
)
def test_invalid_aliases_are_rejected_with_aws_messages(alias, error, message):
    # semantics §5
    with pytest.raises(error, match=message):
        Registry(functions=[fn(aliases={"a": alias})])


def test_provisioned_concurrency_needs_a_published_version_or_alias():
    # semantics §9: "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
    with pytest.raises(InvalidParameterValueException, match="unpublished function versions"):
        Registry(functions=[fn(provisioned={"$LATEST": 1})])


def test_one_provisioned_config_per_version():
    # semantics §9: "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version"
    with pytest.raises(ResourceConflictException, match="already Provisioned version"):
        Registry(functions=[fn(aliases={"live": AliasConfig("1")}, provisioned={"1": 1, "live": 1})])


def test_provisioned_concurrency_cannot_exceed_the_reservation():
    # semantics §8: reserved must be >= total PC
    with pytest.raises(InvalidParameterValueException, match="reservedConcurrentExecution"):
        Registry(functions=[fn(reserved_concurrency=1, provisioned={"1": 2})])


def test_a_function_always_has_latest():
    with pytest.raises(InvalidParameterValueException):
        Registry(functions=[FunctionConfig("fn", versions={"1": V})])


def test_an_async_config_for_an_unknown_qualifier_is_not_found():
    with pytest.raises(ResourceNotFoundException):
        Registry(functions=[fn(async_configs={"nope": AsyncConfig()})])


def test_a_rejected_change_leaves_the_previous_config_in_place():
    registry = Registry(functions=[fn()])
    with pytest.raises(InvalidParameterValueException):
        registry.set_reserved("fn", 950)
    assert registry.get("fn").reserved_concurrency is None


def test_changes_bump_the_generation_and_notify_subscribers():
    registry = Registry(functions=[fn()])
    seen = []
    registry.subscribe(seen.append)
    before = registry.generation
    registry.set_alias("fn", "live", AliasConfig("1", {"2": 0.2}))
    registry.set_alias("fn", "live", None)
    registry.remove("fn")
    assert seen == ["fn", "fn", "fn"] and registry.generation == before + 3
    with pytest.raises(
        ResourceNotFoundException, match="Function not found: arn:aws:lambda:us-east-1:123456789012:function:fn"
    ):
        registry.get("fn")
