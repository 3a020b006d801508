"""TracingConfig and SnapStart through real boto3: stored as sent and reported back as AWS reports them, or refused
with AWS's error where AWS refuses (semantics §4: tracing is versioned; §9: SnapStart on published versions of
Java 11+, Python 3.12+ and .NET 8+ runtimes). Neither is simulated (README)."""

import pytest

from .conftest import create_modelled, error_of, lambda_api_client

pytestmark = pytest.mark.django_db(transaction=True)

SNAP_START = {"ApplyOn": "PublishedVersions"}


def test_active_tracing_is_stored_reported_and_locked_into_a_published_version(client):
    # semantics §4 (tracing is versioned)
    created = create_modelled(client, "checkout", TracingConfig={"Mode": "Active"})
    assert created["TracingConfig"] == {"Mode": "Active"}
    assert client.get_function_configuration(FunctionName="checkout")["TracingConfig"] == {"Mode": "Active"}
    assert client.publish_version(FunctionName="checkout")["TracingConfig"] == {"Mode": "Active"}
    updated = client.update_function_configuration(FunctionName="checkout", TracingConfig={"Mode": "PassThrough"})
    assert updated["TracingConfig"] == {"Mode": "PassThrough"}
    assert client.get_function(FunctionName="checkout", Qualifier="1")["Configuration"]["TracingConfig"] == {
        "Mode": "Active"
    }
    # A tracing change alone is a new configuration: publishing makes version 2.
    assert client.publish_version(FunctionName="checkout")["Version"] == "2"


def test_snap_start_is_reported_on_latest_and_optimized_on_published_versions(client):
    # semantics §9 (SnapStart: snapshot at publish, published versions only)
    created = create_modelled(client, "checkout", SnapStart=SNAP_START)
    assert created["SnapStart"] == {"ApplyOn": "PublishedVersions", "OptimizationStatus": "Off"}
    version = client.publish_version(FunctionName="checkout")
    assert version["SnapStart"] == {"ApplyOn": "PublishedVersions", "OptimizationStatus": "On"}
    assert client.get_function_configuration(FunctionName="checkout", Qualifier="1")["SnapStart"] == {
        "ApplyOn": "PublishedVersions",
        "OptimizationStatus": "On",
    }
    client.update_function_configuration(FunctionName="checkout", SnapStart={"ApplyOn": "None"})
    assert client.get_function_configuration(FunctionName="checkout")["SnapStart"] == {
        "ApplyOn": "None",
        "OptimizationStatus": "Off",
    }
    assert client.publish_version(FunctionName="checkout")["SnapStart"]["OptimizationStatus"] == "Off"


def test_snap_start_on_a_runtime_without_it_is_refused_and_nothing_is_created(client):
    # semantics §9 (SnapStart runtimes)
    error = error_of(lambda: create_modelled(client, "checkout", Runtime="nodejs22.x", SnapStart=SNAP_START))
    assert isinstance(error, client.exceptions.InvalidParameterValueException)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error.response["Error"]["Message"] == "nodejs22.x is not supported for SnapStart enabled functions."
    assert isinstance(
        error_of(lambda: client.get_function(FunctionName="checkout")), client.exceptions.ResourceNotFoundException
    )


def test_moving_a_snap_start_function_to_a_runtime_without_it_is_refused_and_changes_nothing(client):
    # semantics §9 (SnapStart runtimes: Python 3.12 and later)
    create_modelled(client, "checkout", Runtime="python3.12", SnapStart=SNAP_START)
    error = error_of(lambda: client.update_function_configuration(FunctionName="checkout", Runtime="python3.11"))
    assert isinstance(error, client.exceptions.InvalidParameterValueException)
    assert error.response["Error"]["Message"] == "python3.11 is not supported for SnapStart enabled functions."
    config = client.get_function_configuration(FunctionName="checkout")
    assert (config["Runtime"], config["SnapStart"]["ApplyOn"]) == ("python3.12", "PublishedVersions")


def test_values_outside_the_enums_are_validation_exceptions_with_aws_messages(live_server):
    # semantics §4: request validation answers before anything is stored
    client = lambda_api_client(live_server.url, validate=False)
    for config, member, allowed in (
        ({"TracingConfig": {"Mode": "Sometimes"}}, "tracingConfig.mode", "Active, PassThrough"),
        ({"SnapStart": {"ApplyOn": "Always"}}, "snapStart.applyOn", "PublishedVersions, None"),
    ):
        error = error_of(lambda config=config: create_modelled(client, "checkout", **config))
        assert error.response["Error"]["Code"] == "ValidationException"
        value = next(iter(next(iter(config.values())).values()))
        assert error.response["Error"]["Message"] == (
            f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: "
            f"Member must satisfy enum value set: [{allowed}]"
        )


def test_the_function_page_says_that_tracing_and_snap_start_are_stored_but_not_simulated(client):
    # README "Where the simulator approximates AWS on purpose": named where a user sees the function
    from django.test import Client

    create_modelled(client, "checkout", TracingConfig={"Mode": "Active"}, SnapStart=SNAP_START)
    create_modelled(client, "plain")
    page = Client().get("/functions/checkout/").content.decode()
    assert "X-Ray tracing Active (stored; no traces are simulated)" in page
    assert "SnapStart on published versions (stored; versions still run a full Init)" in page
    plain = Client().get("/functions/plain/").content.decode()
    assert "X-Ray" not in plain and "SnapStart" not in plain
