"""CreateFunction / UpdateFunctionConfiguration / UpdateFunctionCode / DeleteFunction rules."""

import base64
import hashlib
import json

import pytest

from invocations import services
from invocations.errors import (
    InvalidParameterValueException,
    PreconditionFailedException,
    ResourceConflictException,
    ValidationException,
)
from invocations.models import CodeKind, Function
from tests.factories import assert_refused, make_function, make_versions

pytestmark = pytest.mark.django_db

NAME_PATTERN = (
    r"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?"
    r"([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?"
)


# semantics §11
def test_a_new_function_gets_aws_defaults_and_a_latest_arn():
    function = make_function("hello")
    assert (function.memory_size, function.timeout) == (128, 3)
    assert function.version == "$LATEST"
    assert function.arn == "arn:aws:lambda:us-east-1:123456789012:function:hello"
    assert function.role == "arn:aws:iam::123456789012:role/lambdaviz-execution-role"
    assert function.code_kind == CodeKind.MODELLED


# semantics §12
def test_a_name_longer_than_64_characters_is_refused_with_aws_message():
    name = "f" * 65
    assert_refused(
        lambda: make_function(name),
        InvalidParameterValueException,
        f"1 validation error detected: Value '{name}' at 'functionName' failed to satisfy constraint: "
        "Member must have length less than or equal to 64",
    )


# semantics §12
def test_a_name_with_characters_outside_the_pattern_is_refused():
    assert_refused(
        lambda: make_function("bad name!"),
        InvalidParameterValueException,
        "1 validation error detected: Value 'bad name!' at 'functionName' failed to satisfy constraint: "
        f"Member must satisfy regular expression pattern: {NAME_PATTERN}",
    )


def test_a_second_function_with_the_same_name_is_a_conflict():
    make_function("dup")
    assert_refused(lambda: make_function("dup"), ResourceConflictException, "Function already exist: dup")


# semantics §11
@pytest.mark.parametrize(
    ("settings", "error", "message"),
    [
        (
            {"memory_size": 64},
            ValidationException,
            "1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: "
            "Member must have value greater than or equal to 128",
        ),
        (
            {"memory_size": 10241},
            InvalidParameterValueException,
            "'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240",
        ),
        (
            {"timeout": 0},
            ValidationException,
            "1 validation error detected: Value '0' at 'timeout' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1",
        ),
        (
            {"timeout": 901},
            InvalidParameterValueException,
            "'timeout' failed to satisfy constraint: Member must have value less than or equal to 900",
        ),
    ],
)
def test_memory_and_timeout_outside_their_limits_are_refused(settings, error, message):
    assert_refused(lambda: make_function(**settings), error, message)


# semantics §11
def test_memory_and_timeout_at_their_limits_are_accepted():
    low = make_function("low", memory_size=128, timeout=1)
    high = make_function("high", memory_size=10240, timeout=900)
    assert (low.memory_size, low.timeout, high.memory_size, high.timeout) == (128, 1, 10240, 900)


def test_an_unknown_runtime_is_refused():
    error = assert_refused(lambda: make_function(runtime="python2.7"), InvalidParameterValueException)
    assert error.message.startswith("Value python2.7 at 'runtime' failed to satisfy constraint: Member must satisfy")


# botocore's Handler constraint (lambda-semantics.md gives no handler rule)
@pytest.mark.parametrize(
    ("handler", "constraint"),
    [
        ("app handler", r"Member must satisfy regular expression pattern: [^\s]+"),
        ("h" * 129, "Member must have length less than or equal to 128"),
    ],
)
def test_a_handler_with_whitespace_or_over_128_characters_is_refused(handler, constraint):
    assert_refused(
        lambda: make_function(handler=handler),
        ValidationException,
        f"1 validation error detected: Value '{handler}' at 'handler' failed to satisfy constraint: {constraint}",
    )


def test_a_description_over_256_characters_is_refused():
    assert_refused(lambda: make_function(description="d" * 257), ValidationException)


# semantics §7
def test_environment_variables_over_4kb_are_refused_with_aws_message():
    environment = {"BIG": "x" * 4090}
    measured = json.dumps(environment, separators=(",", ":"))
    assert_refused(
        lambda: make_function(environment=environment),
        InvalidParameterValueException,
        "Lambda was unable to configure your environment variables because the environment variables you have "
        f"provided exceeded the 4KB limit. String measured: {measured}",
    )


# semantics §7
def test_secret_values_count_toward_the_4kb_limit():
    assert_refused(
        lambda: make_function(environment={"PLAIN": "x" * 2100}, secret_environment={"SECRET": "y" * 2100}),
        InvalidParameterValueException,
    )


# semantics §7
@pytest.mark.parametrize("key", ["A", "1ABC", "HAS-DASH", "WITH SPACE"])
def test_environment_keys_must_match_the_aws_pattern(key):
    assert_refused(
        lambda: make_function(environment={key: "v"}),
        ValidationException,
        "1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: "
        "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]",
    )


# semantics §7
def test_reserved_environment_keys_are_refused_and_named():
    assert_refused(
        lambda: make_function(environment={"AWS_REGION": "eu-west-1", "OK_KEY": "1", "AWS_ACCESS_KEY_ID": "x"}),
        InvalidParameterValueException,
        "Lambda was unable to configure your environment variables because the environment variables you have "
        "provided contains reserved keys that are currently not supported for modification. "
        "Reserved keys used in this request: AWS_REGION, AWS_ACCESS_KEY_ID",
    )


# semantics §7
def test_unreserved_runtime_variables_such_as_tz_and_path_may_be_set():
    function = make_function(environment={"TZ": "UTC", "PATH": "/opt/bin", "LANG": "en_US.UTF-8"})
    assert function.environment["TZ"] == "UTC"


def test_a_key_cannot_be_both_plain_and_secret():
    assert_refused(
        lambda: make_function(environment={"TOKEN": "a"}, secret_environment={"TOKEN": "b"}),
        InvalidParameterValueException,
    )


# semantics §2
def test_a_dead_letter_queue_must_be_an_sqs_queue_or_sns_topic():
    make_function("sqs-dlq", dead_letter_target_arn="arn:aws:sqs:us-east-1:123456789012:dlq")
    make_function("sns-dlq", dead_letter_target_arn="arn:aws:sns:us-east-1:123456789012:topic")
    assert_refused(
        lambda: make_function("bus-dlq", dead_letter_target_arn="arn:aws:events:us-east-1:123456789012:event-bus/x"),
        InvalidParameterValueException,
    )


def test_a_behaviour_profile_is_validated_by_the_engine_profile():
    assert_refused(
        lambda: make_function(behaviour_profile={"error_rate": 2}),
        InvalidParameterValueException,
        "error_rate must be between 0 and 1.",
    )


# semantics §4
def test_code_sha256_is_the_base64_sha256_of_the_code():
    source = "def lambda_handler(event, context):\n    return event\n"
    function = make_function(handler_source=source)
    assert function.code_kind == CodeKind.PYTHON
    assert function.code_sha256 == base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
    assert function.code_size == len(source.encode())


def test_python_source_needs_a_python_runtime():
    assert_refused(
        lambda: make_function(handler_source="def h(e, c): pass", runtime="nodejs22.x", handler="index.handler"),
        InvalidParameterValueException,
    )


# semantics §4
def test_every_update_changes_the_revision_id_and_new_code_changes_code_sha256():
    function = make_function()
    first_revision, first_sha = function.revision_id, function.code_sha256
    function = services.function_update_configuration(function=function, memory_size=256)
    second_revision = function.revision_id
    function = services.function_update_code(function=function, behaviour_profile={"error_rate": 0.5})
    assert len({first_revision, second_revision, function.revision_id}) == 3
    assert function.code_sha256 != first_sha
    assert function.memory_size == 256


# semantics §4
def test_an_update_with_a_stale_revision_id_fails_the_precondition_and_changes_nothing():
    function = make_function()
    stale = function.revision_id
    services.function_update_configuration(function=function, timeout=10)
    error = assert_refused(
        lambda: services.function_update_configuration(function=function, timeout=20, revision_id=str(stale)),
        PreconditionFailedException,
        "The Revision Id provided does not match the latest Revision Id. "
        "Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
    )
    assert error.status_code == 412


def test_a_refused_update_leaves_latest_as_it_was():
    function = make_function(memory_size=256)
    assert_refused(
        lambda: services.function_update_configuration(function=function, memory_size=64, timeout=30),
        ValidationException,
    )
    assert Function.objects.get().memory_size == 256


def test_update_code_needs_some_code():
    function = make_function()
    assert_refused(
        lambda: services.function_update_code(function=function),
        InvalidParameterValueException,
        "Please provide a source for function code.",
    )


def test_deleting_a_function_removes_its_versions_and_aliases():
    function = make_function()
    make_versions(function, 0.1)
    services.alias_create(function=function, name="live", function_version="1")
    services.function_delete(function=function)
    assert not Function.objects.exists()


# semantics §4
def test_latest_cannot_be_deleted_on_its_own():
    function = make_function()
    assert_refused(
        lambda: services.function_delete(function=function, qualifier="$LATEST"),
        InvalidParameterValueException,
        "$LATEST version cannot be deleted without deleting the function.",
    )
