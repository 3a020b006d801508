"""The real AWS CLI on resource-based policies: add-permission, get-policy, remove-permission and their errors."""

import json

import pytest

from .test_lambda_cli import ARN, aws  # noqa: F401  (the `aws` fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_cli_adds_reads_and_removes_a_permission(checkout, aws):  # noqa: F811
    added = aws(
        "add-permission",
        "--function-name",
        "checkout",
        "--qualifier",
        "prod",
        "--statement-id",
        "apigw",
        "--action",
        "lambda:InvokeFunction",
        "--principal",
        "apigateway.amazonaws.com",
        "--source-arn",
        "arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/orders",
    )
    assert added.returncode == 0, added.stderr
    statement = json.loads(json.loads(added.stdout)["Statement"])
    assert statement["Condition"] == {
        "ArnLike": {"AWS:SourceArn": "arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/orders"}
    }
    assert statement["Resource"] == f"{ARN}:prod"
    fetched = aws("get-policy", "--function-name", "checkout", "--qualifier", "prod")
    assert fetched.returncode == 0, fetched.stderr
    assert json.loads(json.loads(fetched.stdout)["Policy"])["Statement"] == [statement]
    removed = aws("remove-permission", "--function-name", "checkout", "--qualifier", "prod", "--statement-id", "apigw")
    assert removed.returncode == 0, removed.stderr
    missing = aws("get-policy", "--function-name", "checkout", "--qualifier", "prod")
    assert missing.returncode == 255
    assert "ResourceNotFoundException" in missing.stderr
    assert "The resource you requested does not exist." in missing.stderr


def test_the_cli_shows_the_conflict_of_a_duplicate_statement_id(checkout, aws):  # noqa: F811
    args = ("add-permission", "--function-name", "checkout", "--statement-id", "s3", "--action")
    assert aws(*args, "lambda:InvokeFunction", "--principal", "s3.amazonaws.com").returncode == 0
    again = aws(*args, "lambda:InvokeFunction", "--principal", "s3.amazonaws.com")
    assert again.returncode == 255
    assert "(ResourceConflictException)" in again.stderr
    assert "The statement id (s3) provided already exists." in again.stderr


def test_the_cli_shows_a_malformed_source_arn_as_a_validation_error(checkout, aws):  # noqa: F811
    refused = aws(
        "add-permission",
        "--function-name",
        "checkout",
        "--statement-id",
        "s3",
        "--action",
        "lambda:InvokeFunction",
        "--principal",
        "s3.amazonaws.com",
        "--source-arn",
        "bucket-uploads",
    )
    assert refused.returncode == 255
    assert "(ValidationException)" in refused.stderr
    assert "Value 'bucket-uploads' at 'sourceArn' failed to satisfy constraint" in refused.stderr
