"""Routing a target to a version (semantics §4, §5, §12)."""

from __future__ import annotations

import pytest

from invocations.engine.config import AccountConfig, AliasConfig, VersionConfig
from invocations.engine.events import InvocationCompleted
from invocations.errors import InvalidParameterValueException, ResourceNotFoundException

from .helpers import fixed, function, make

ARN = "arn:aws:lambda:us-east-1:123456789012:function:fn"


def versioned(**kw):
    return function(
        versions={
            "$LATEST": VersionConfig(profile=fixed()),
            "1": VersionConfig(profile=fixed()),
            "2": VersionConfig(profile=fixed()),
        },
        aliases={"live": AliasConfig("1"), "canary": AliasConfig("1", {"2": 0.5})},
        **kw,
    )


@pytest.mark.parametrize(
    ("target", "qualifier", "version"),
    [
        ("fn", None, "$LATEST"),
        ("fn:$LATEST", None, "$LATEST"),
        ("fn:2", None, "2"),
        ("fn", "2", "2"),
        ("fn:live", None, "1"),
        (f"{ARN}:live", None, "1"),
        ("123456789012:function:fn:2", None, "2"),
        (ARN, None, "$LATEST"),
    ],
)
def test_a_target_resolves_to_the_executed_version(target, qualifier, version):
    # semantics §4: unqualified invokes $LATEST; semantics §5: an alias resolves to its version; §12 ARN forms
    sim = make(versioned())
    sim.invoke(target, qualifier=qualifier)
    sim.clock.run()
    assert [r.executed_version for r in sim.results] == [version]
    assert sim.results[0].function_arn == f"{ARN}:{version}"


def test_the_completed_event_names_the_requested_qualifier_and_the_alias():
    # semantics §5: X-Amz-Executed-Version is the version an alias resolved to
    sim = make(versioned())
    sim.invoke("fn:live", source="alb")
    sim.clock.run()
    (done,) = sim.events(InvocationCompleted)
    assert (done.source, done.function, done.qualifier, done.alias, done.result.executed_version) == (
        "alb",
        "fn",
        "live",
        "live",
        "1",
    )


def test_an_unknown_function_or_qualifier_is_resource_not_found_with_aws_message():
    # semantics §1: 404 ResourceNotFound
    sim = make(versioned())
    with pytest.raises(
        ResourceNotFoundException, match="Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope"
    ):
        sim.invoke("nope")
    with pytest.raises(ResourceNotFoundException, match=f"Function not found: {ARN}:9"):
        sim.invoke("fn:9")


def test_an_arn_of_another_account_or_region_is_not_found():
    sim = make(versioned(), account=AccountConfig(region="eu-west-1"))
    with pytest.raises(ResourceNotFoundException):
        sim.invoke("arn:aws:lambda:us-east-1:123456789012:function:fn")
    with pytest.raises(ResourceNotFoundException):
        sim.invoke("999999999999:function:fn")


def test_a_qualifier_argument_that_contradicts_the_name_is_rejected():
    sim = make(versioned())
    with pytest.raises(InvalidParameterValueException, match="derived qualifier"):
        sim.invoke("fn:1", qualifier="2")


def test_a_weighted_alias_picks_versions_with_the_injected_rng_deterministically():
    # semantics §5: routing is probabilistic; the seeded RNG makes it repeatable
    def run(seed):
        sim = make(versioned(), seed=seed)
        for _ in range(40):
            sim.invoke("fn:canary")
        sim.clock.run()
        return [r.executed_version for r in sim.results]

    first = run(3)
    assert first == run(3)
    assert set(first) == {"1", "2"}
    assert first != run(4)


@pytest.mark.parametrize(("weight", "expected"), [(0.0, {"1"}), (1.0, {"2"})])
def test_weights_zero_and_one_send_everything_to_one_version(weight, expected):
    # semantics §5: AdditionalVersionWeights take 0.0-1.0
    fn = versioned()
    sim = make(fn)
    sim.registry.set_alias("fn", "canary", AliasConfig("1", {"2": weight}))
    for _ in range(30):
        sim.invoke("fn:canary")
    sim.clock.run()
    assert {r.executed_version for r in sim.results} == expected


def test_changing_alias_weights_live_takes_effect_on_the_next_invocation():
    # semantics §5: to finish shifting, point FunctionVersion at the new version with no extra weights
    sim = make(versioned())
    sim.invoke("fn:live")
    sim.registry.set_alias("fn", "live", AliasConfig("2"))
    sim.invoke("fn:live")
    sim.clock.run()
    assert [r.executed_version for r in sim.results] == ["1", "2"]
