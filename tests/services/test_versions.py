"""PublishVersion and version deletes (semantics §4)."""

import pytest

from invocations import selectors, services
from invocations.errors import InvalidParameterValueException, PreconditionFailedException, ResourceConflictException
from invocations.models import Version
from tests.factories import assert_refused, make_function, make_versions

pytestmark = pytest.mark.django_db


# semantics §4
def test_publishing_snapshots_latest_as_the_next_number():
    function = make_function(memory_size=256, environment={"STAGE": "one"}, behaviour_profile={"error_rate": 0.1})
    version = services.version_publish(function=function, description="first")
    assert (version.number, version.description) == (1, "first")
    assert (version.memory_size, version.environment, version.behaviour_profile) == (
        256,
        {"STAGE": "one"},
        {"error_rate": 0.1},
    )
    assert version.code_sha256 == function.code_sha256
    assert version.arn.endswith(":function:fn:1")


# semantics §4
def test_publishing_with_nothing_changed_returns_the_latest_version():
    function = make_function()
    first = services.version_publish(function=function, description="v1")
    again = services.version_publish(function=function, description="ignored")
    assert again.pk == first.pk
    assert again.revision_id == first.revision_id
    assert again.description == "v1"
    assert Version.objects.count() == 1


# semantics §4
def test_version_numbers_are_never_reused_after_a_delete():
    function = make_function()
    make_versions(function, 0.1, 0.2)
    services.version_delete(function=function, number=2)
    (third,) = make_versions(function, 0.3)
    assert third.number == 3
    services.version_delete(function=function, number=1)
    assert [v.version for v in selectors.version_list(function=function)] == ["3"]


# semantics §4
def test_a_code_sha256_precondition_that_does_not_match_latest_is_refused():
    function = make_function()
    assert_refused(
        lambda: services.version_publish(function=function, code_sha256="bogus"),
        InvalidParameterValueException,
        f"CodeSHA256 (bogus) is different from current CodeSHA256 in $LATEST ({function.code_sha256}). "
        "Please try again with the CodeSHA256 in $LATEST.",
    )
    assert services.version_publish(function=function, code_sha256=function.code_sha256).number == 1


# semantics §4
def test_a_revision_id_precondition_that_does_not_match_latest_fails_with_412():
    function = make_function()
    error = assert_refused(
        lambda: services.version_publish(function=function, revision_id="00000000-0000-0000-0000-000000000000"),
        PreconditionFailedException,
    )
    assert error.status_code == 412
    assert services.version_publish(function=function, revision_id=str(function.revision_id)).number == 1


# semantics §4
def test_environment_variables_are_versioned_but_reserved_concurrency_is_not():
    function = make_function(environment={"COLOUR": "blue"})
    services.version_publish(function=function)
    services.function_update_configuration(function=function, environment={"COLOUR": "green"})
    services.function_concurrency_put(function=function, reserved_concurrent_executions=5)
    v1 = selectors.function_get("fn", "1")
    assert v1.configuration.environment == {"COLOUR": "blue"}
    assert selectors.function_get("fn").configuration.environment == {"COLOUR": "green"}
    assert v1.function.reserved_concurrency == 5


# semantics §4
def test_publishing_gives_latest_a_new_revision_id():
    function = make_function()
    before = function.revision_id
    services.version_publish(function=function)
    function.refresh_from_db()
    assert function.revision_id != before


# semantics §4
def test_a_version_an_alias_points_at_cannot_be_deleted():
    function = make_function()
    make_versions(function, 0.1, 0.2)
    services.alias_create(function=function, name="live", function_version="1", routing_config={"2": 0.1})
    assert_refused(
        lambda: services.version_delete(function=function, number=1),
        ResourceConflictException,
        "Unable to delete version because the following aliases reference it: [live]",
    )
    assert_refused(lambda: services.function_delete(function=function, qualifier="2"), ResourceConflictException)


# semantics §4
def test_deleting_a_version_that_does_not_exist_is_a_no_op():
    function = make_function()
    services.version_delete(function=function, number=99)
    assert function.versions.count() == 0
