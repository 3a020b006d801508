"""Function URL configs through real boto3: Create/Get/Update/Delete/ListFunctionUrlConfig(s) and AWS's errors
(messages from localstack's AWS-recorded snapshots, test_lambda_api TestLambdaUrl)."""

import re

import pytest

from .conftest import error_of, lambda_api_client

pytestmark = pytest.mark.django_db(transaction=True)

ARN = "arn:aws:lambda:us-east-1:123456789012:function:checkout"
URL = re.compile(r"^http://[a-z0-9]{32}\.lambda-url\.us-east-1\.localhost:\d+/$")
NOT_FOUND = "The resource you requested does not exist."
QUALIFIER_PATTERN = r"((?!^\d+$)^[0-9a-zA-Z-_]+$)"


def test_create_answers_the_url_and_get_reads_the_whole_config(checkout):
    created = checkout.create_function_url_config(FunctionName="checkout", AuthType="NONE")
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert URL.match(created["FunctionUrl"])
    assert created["FunctionUrl"].endswith(f":{checkout.meta.endpoint_url.rsplit(':', 1)[1]}/")
    assert (created["FunctionArn"], created["AuthType"]) == (ARN, "NONE")
    assert set(created) - {"ResponseMetadata"} == {"FunctionUrl", "FunctionArn", "AuthType", "CreationTime"}
    fetched = checkout.get_function_url_config(FunctionName="checkout")
    assert fetched["FunctionUrl"] == created["FunctionUrl"]
    assert fetched["InvokeMode"] == "BUFFERED"
    assert set(fetched) - {"ResponseMetadata"} == {
        "FunctionUrl",
        "FunctionArn",
        "AuthType",
        "CreationTime",
        "LastModifiedTime",
        "InvokeMode",
    }
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", fetched["CreationTime"])


def test_an_alias_has_its_own_url_with_cors_and_update_changes_only_what_it_names(checkout):
    cors = {"AllowOrigins": ["https://shop.example"], "AllowMethods": ["GET", "POST"], "MaxAge": 300}
    created = checkout.create_function_url_config(
        FunctionName="checkout", Qualifier="prod", AuthType="AWS_IAM", Cors=cors
    )
    assert created["FunctionArn"] == f"{ARN}:prod"
    assert created["Cors"] == cors
    updated = checkout.update_function_url_config(FunctionName=f"{ARN}:prod", AuthType="NONE")
    assert (updated["AuthType"], updated["Cors"], updated["FunctionUrl"]) == ("NONE", cors, created["FunctionUrl"])
    assert updated["LastModifiedTime"] >= updated["CreationTime"]
    recors = checkout.update_function_url_config(
        FunctionName="checkout", Qualifier="prod", Cors={"AllowOrigins": ["*"]}
    )
    assert recors["Cors"] == {"AllowOrigins": ["*"]}


def test_configs_are_listed_paged_and_deleted_with_204(checkout):
    assert checkout.list_function_url_configs(FunctionName="checkout")["FunctionUrlConfigs"] == []
    checkout.create_function_url_config(FunctionName="checkout", AuthType="NONE")
    checkout.create_function_url_config(FunctionName="checkout", Qualifier="prod", AuthType="NONE")
    listed = checkout.list_function_url_configs(FunctionName="checkout")["FunctionUrlConfigs"]
    assert [c["FunctionArn"] for c in listed] == [ARN, f"{ARN}:prod"]
    first = checkout.list_function_url_configs(FunctionName="checkout", MaxItems=1)
    assert len(first["FunctionUrlConfigs"]) == 1 and first["NextMarker"]
    rest = checkout.list_function_url_configs(FunctionName="checkout", Marker=first["NextMarker"])
    assert [c["FunctionArn"] for c in rest["FunctionUrlConfigs"]] == [f"{ARN}:prod"]
    deleted = checkout.delete_function_url_config(FunctionName="checkout", Qualifier="prod")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    gone = error_of(lambda: checkout.get_function_url_config(FunctionName="checkout", Qualifier="prod"))
    assert gone.response["Error"] == {"Code": "ResourceNotFoundException", "Message": NOT_FOUND}


def test_a_second_url_for_the_same_qualifier_is_a_conflict(checkout):
    checkout.create_function_url_config(FunctionName="checkout", AuthType="NONE")
    again = error_of(lambda: checkout.create_function_url_config(FunctionName="checkout", AuthType="AWS_IAM"))
    assert again.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert again.response["Error"]["Code"] == "ResourceConflictException"
    assert f"[functionArn = {ARN}]" in again.response["Error"]["Message"]
    assert checkout.get_function_url_config(FunctionName="checkout")["AuthType"] == "NONE"


def _version_qualifier(value):
    return {
        "Code": "ValidationException",
        "Message": f"1 validation error detected: Value '{value}' at 'qualifier' failed to satisfy constraint: "
        f"Member must satisfy regular expression pattern: {QUALIFIER_PATTERN}",
    }


MISMATCH = {
    "Code": "InvalidParameterValueException",
    "Message": "The derived qualifier from the function name does not match the specified qualifier.",
}


@pytest.mark.parametrize(
    ("operation", "kwargs", "error"),
    [
        ("create", {"FunctionName": "doesnotexist"}, "Function does not exist"),
        ("create", {"FunctionName": f"{ARN[:-8]}doesnotexist"}, "Function does not exist"),
        ("create", {"Qualifier": "1"}, _version_qualifier("1")),
        ("create", {"Qualifier": "$LATEST"}, _version_qualifier("$LATEST")),
        ("create", {"Qualifier": "alias-doesnotexist"}, "Function does not exist"),
        ("create", {"FunctionName": f"{ARN}:prod", "Qualifier": "other"}, MISMATCH),
        ("get", {"FunctionName": "doesnotexist"}, NOT_FOUND),
        ("get", {"Qualifier": "2"}, _version_qualifier("2")),
        ("get", {"Qualifier": "alias-doesnotexist"}, NOT_FOUND),
        ("get", {}, NOT_FOUND),
        ("delete", {"FunctionName": "doesnotexist"}, NOT_FOUND),
        ("delete", {"Qualifier": "$LATEST"}, _version_qualifier("$LATEST")),
        ("delete", {}, NOT_FOUND),
        ("update", {"FunctionName": "doesnotexist"}, "Function does not exist"),
        ("update", {"Qualifier": "alias-doesnotexist"}, "Function does not exist"),
        ("update", {"Qualifier": "1"}, _version_qualifier("1")),
        ("update", {}, NOT_FOUND),
        ("list", {"FunctionName": "doesnotexist"}, "Function does not exist"),
    ],
)
def test_url_operations_refuse_bad_input_in_aws_words(checkout, operation, kwargs, error):
    call = {
        "create": lambda **kw: checkout.create_function_url_config(AuthType="NONE", **kw),
        "get": checkout.get_function_url_config,
        "delete": checkout.delete_function_url_config,
        "update": lambda **kw: checkout.update_function_url_config(AuthType="NONE", **kw),
        "list": checkout.list_function_url_configs,
    }[operation]
    response = error_of(lambda: call(**{"FunctionName": "checkout", **kwargs})).response
    expected = error if isinstance(error, dict) else {"Code": "ResourceNotFoundException", "Message": error}
    assert response["Error"] == expected
    assert response["ResponseMetadata"]["HTTPStatusCode"] == (404 if expected["Code"].startswith("Resource") else 400)
    assert checkout.list_function_url_configs(FunctionName="checkout")["FunctionUrlConfigs"] == []


def test_unknown_auth_types_and_invoke_modes_are_validation_errors(live_server, checkout):
    client = lambda_api_client(live_server.url, validate=False)
    bad = error_of(lambda: client.create_function_url_config(FunctionName="checkout", AuthType="BASIC")).response
    assert bad["Error"] == {
        "Code": "ValidationException",
        "Message": "1 validation error detected: Value 'BASIC' at 'authType' failed to satisfy constraint: "
        "Member must satisfy enum value set: [NONE, AWS_IAM]",
    }
    mode = error_of(
        lambda: client.create_function_url_config(FunctionName="checkout", AuthType="NONE", InvokeMode="FAST")
    ).response
    assert mode["Error"]["Code"] == "ValidationException"
    assert "at 'invokeMode'" in mode["Error"]["Message"]
