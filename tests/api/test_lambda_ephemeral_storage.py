"""EphemeralStorage through real boto3: 512 MB by default, stored as sent, reported by GetFunctionConfiguration,
locked into a published version, refused with AWS's errors outside 512-10,240 MB (semantics §11: /tmp), and what a
real handler's /tmp is given (python_executor/jail.py; tests/runtime/python_executor/test_hostile.py)."""

import pytest

from invocations.models import Function
from invocations.runtime.engine_config import version_config

from .conftest import create_modelled, error_of, lambda_api_client

pytestmark = pytest.mark.django_db(transaction=True)


def test_ephemeral_storage_defaults_to_512_mb_and_is_stored_reported_and_versioned(client):
    # semantics §11 (/tmp 512-10,240 MB, default 512); §4 (a version locks its configuration)
    assert create_modelled(client, "plain")["EphemeralStorage"] == {"Size": 512}
    created = create_modelled(client, "etl", EphemeralStorage={"Size": 2048})
    assert created["EphemeralStorage"] == {"Size": 2048}
    assert client.get_function_configuration(FunctionName="etl")["EphemeralStorage"] == {"Size": 2048}
    assert client.publish_version(FunctionName="etl")["EphemeralStorage"] == {"Size": 2048}
    updated = client.update_function_configuration(FunctionName="etl", EphemeralStorage={"Size": 10240})
    assert updated["EphemeralStorage"] == {"Size": 10240}
    assert client.get_function(FunctionName="etl")["Configuration"]["EphemeralStorage"] == {"Size": 10240}
    one = client.get_function_configuration(FunctionName="etl", Qualifier="1")
    assert one["EphemeralStorage"] == {"Size": 2048}
    # A storage change alone is a new configuration: publishing makes version 2.
    assert client.publish_version(FunctionName="etl")["Version"] == "2"
    # What the engine hands a real handler's executor: the size of its private /tmp.
    function = Function.objects.get(name="etl")
    assert version_config(function).ephemeral_storage_mb == 10240
    assert version_config(function.versions.get(number=1)).ephemeral_storage_mb == 2048


@pytest.mark.parametrize(
    "size, code, message",
    [
        (
            511,
            "ValidationException",
            "1 validation error detected: Value '511' at 'ephemeralStorage.size' failed to satisfy constraint: "
            "Member must have value greater than or equal to 512",
        ),
        (
            10241,
            "InvalidParameterValueException",
            "'ephemeralStorage.size' failed to satisfy constraint: Member must have value less than or equal to 10240",
        ),
        (
            32769,
            "ValidationException",
            "1 validation error detected: Value '32769' at 'ephemeralStorage.size' failed to satisfy constraint: "
            "Member must have value less than or equal to 32768",
        ),
    ],
)
def test_a_size_outside_the_range_is_refused_with_awss_error_and_changes_nothing(live_server, size, code, message):
    # semantics §11; botocore's model: EphemeralStorageSize 512-32768 (the top is for AcceleratorConfig functions)
    client = lambda_api_client(live_server.url, validate=False)
    error = error_of(lambda: create_modelled(client, "etl", EphemeralStorage={"Size": size}))
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert (error.response["Error"]["Code"], error.response["Error"]["Message"]) == (code, message)
    assert not Function.objects.filter(name="etl").exists()
    create_modelled(client, "etl", EphemeralStorage={"Size": 1024})
    error = error_of(
        lambda: client.update_function_configuration(
            FunctionName="etl", EphemeralStorage={"Size": size}, Description="half-written?"
        )
    )
    assert (error.response["Error"]["Code"], error.response["Error"]["Message"]) == (code, message)
    config = client.get_function_configuration(FunctionName="etl")
    assert (config["EphemeralStorage"], config.get("Description", "")) == ({"Size": 1024}, "")


def test_size_is_required_inside_ephemeral_storage(live_server):
    client = lambda_api_client(live_server.url, validate=False)
    error = error_of(lambda: create_modelled(client, "etl", EphemeralStorage={}))
    assert error.response["Error"]["Code"] == "ValidationException"
    assert error.response["Error"]["Message"] == (
        "1 validation error detected: Value null at 'ephemeralStorage.size' failed to satisfy constraint: "
        "Member must not be null"
    )
    assert not Function.objects.filter(name="etl").exists()
