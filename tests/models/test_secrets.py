"""Secret environment values: encrypted at rest, masked for people, clear for the runtime (semantics §7)."""

import pytest
from django.db import connection

from invocations import selectors, services
from invocations.errors import InvalidParameterValueException
from invocations.models import Function
from tests.factories import assert_refused, make_function

pytestmark = pytest.mark.django_db


def raw_column(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        value = cursor.fetchone()[0]
    return value if isinstance(value, str) else str(value)


# semantics §7
def test_a_secret_value_is_not_stored_in_clear_in_the_database():
    function = make_function(environment={"STAGE": "demo"}, secret_environment={"DB_PASSWORD": "hunter2"})
    stored = raw_column("invocations_function", "secret_environment", function.pk)
    assert "DB_PASSWORD" in stored
    assert "hunter2" not in stored
    assert "demo" in raw_column("invocations_function", "environment", function.pk)


# semantics §7
def test_secrets_are_masked_for_people_and_clear_for_the_runtime():
    make_function(environment={"STAGE": "demo"}, secret_environment={"DB_PASSWORD": "hunter2"})
    configuration = selectors.function_get("fn").configuration
    assert configuration.environment_masked() == {"STAGE": "demo", "DB_PASSWORD": "****"}
    assert configuration.environment_for_runtime() == {"STAGE": "demo", "DB_PASSWORD": "hunter2"}


# semantics §4, §7
def test_a_published_version_keeps_its_secrets_encrypted_and_versioned():
    function = make_function(secret_environment={"API_KEY": "v1-key"})
    version = services.version_publish(function=function)
    services.function_update_configuration(function=function, secret_environment={"API_KEY": "v2-key"})
    assert "v1-key" not in raw_column("invocations_version", "secret_environment", version.pk)
    assert selectors.function_get("fn", "1").configuration.environment_for_runtime() == {"API_KEY": "v1-key"}
    assert Function.objects.get().environment_for_runtime() == {"API_KEY": "v2-key"}


# semantics §7
def test_a_too_large_environment_error_does_not_echo_secret_values():
    error = assert_refused(
        lambda: make_function(environment={"BIG": "x" * 4000}, secret_environment={"TOKEN": "s" * 200}),
        InvalidParameterValueException,
    )
    assert "exceeded the 4KB limit" in error.message
    assert "s" * 200 not in error.message and '"TOKEN":"****"' in error.message
