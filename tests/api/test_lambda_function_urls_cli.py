"""The real AWS CLI on function URL configs: create, get, update, list, delete and an error."""

import json

import pytest

from .test_lambda_cli import ARN, aws  # noqa: F401  (the `aws` fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_cli_manages_a_function_url(checkout, aws):  # noqa: F811
    created = aws("create-function-url-config", "--function-name", "checkout", "--auth-type", "NONE")
    assert created.returncode == 0, created.stderr
    url = json.loads(created.stdout)["FunctionUrl"]
    assert ".lambda-url.us-east-1.localhost:" in url
    updated = aws(
        "update-function-url-config",
        "--function-name",
        "checkout",
        "--auth-type",
        "AWS_IAM",
        "--cors",
        '{"AllowOrigins": ["*"]}',
    )
    assert updated.returncode == 0, updated.stderr
    assert json.loads(updated.stdout)["Cors"] == {"AllowOrigins": ["*"]}
    fetched = json.loads(aws("get-function-url-config", "--function-name", "checkout").stdout)
    assert (fetched["FunctionUrl"], fetched["AuthType"]) == (url, "AWS_IAM")
    listed = json.loads(aws("list-function-url-configs", "--function-name", "checkout").stdout)
    assert [c["FunctionArn"] for c in listed["FunctionUrlConfigs"]] == [ARN]
    assert aws("delete-function-url-config", "--function-name", "checkout").returncode == 0
    missing = aws("get-function-url-config", "--function-name", "checkout")
    assert missing.returncode == 255
    assert "ResourceNotFoundException" in missing.stderr
    assert "The resource you requested does not exist." in missing.stderr


def test_the_cli_shows_a_version_qualifier_as_a_validation_error(checkout, aws):  # noqa: F811
    refused = aws(
        "create-function-url-config", "--function-name", "checkout", "--qualifier", "1", "--auth-type", "NONE"
    )
    assert refused.returncode == 255
    assert "(ValidationException)" in refused.stderr
    assert "Value '1' at 'qualifier' failed to satisfy constraint" in refused.stderr
