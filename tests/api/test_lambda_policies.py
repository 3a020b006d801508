"""Resource-based policies through real boto3: AddPermission, GetPolicy and RemovePermission, and AWS's errors
(the shapes and messages of localstack's AWS-recorded snapshots, test_lambda_api TestLambdaPermissions)."""

import json

import pytest

from .conftest import error_of

pytestmark = pytest.mark.django_db(transaction=True)

ARN = "arn:aws:lambda:us-east-1:123456789012:function:checkout"
BUCKET = "arn:aws:s3:::uploads"


def test_add_permission_answers_the_statement_as_aws_renders_it(checkout):
    added = checkout.add_permission(
        FunctionName="checkout",
        StatementId="s3",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn=BUCKET,
        SourceAccount="123456789012",
    )
    assert added["ResponseMetadata"]["HTTPStatusCode"] == 201
    # A JSON string, compact, keys in AWS's order; StringEquals before ArnLike.
    assert added["Statement"] == (
        '{"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction",'
        f'"Resource":"{ARN}","Condition":{{"StringEquals":{{"AWS:SourceAccount":"123456789012"}},'
        f'"ArnLike":{{"AWS:SourceArn":"{BUCKET}"}}}}}}'
    )


def test_get_policy_answers_the_whole_document_with_a_revision_id(checkout):
    checkout.add_permission(
        FunctionName="checkout", StatementId="s3", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com"
    )
    checkout.add_permission(
        FunctionName="checkout", StatementId="xaccount", Action="lambda:GetFunction", Principal="111122223333"
    )
    checkout.add_permission(
        FunctionName="checkout",
        StatementId="url",
        Action="lambda:InvokeFunctionUrl",
        Principal="*",
        FunctionUrlAuthType="NONE",
    )
    fetched = checkout.get_policy(FunctionName="checkout")
    assert json.loads(fetched["Policy"]) == {
        "Version": "2012-10-17",
        "Id": "default",
        "Statement": [
            {
                "Sid": "s3",
                "Effect": "Allow",
                "Principal": {"Service": "s3.amazonaws.com"},
                "Action": "lambda:InvokeFunction",
                "Resource": ARN,
            },
            {
                "Sid": "xaccount",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": "lambda:GetFunction",
                "Resource": ARN,
            },
            {
                "Sid": "url",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "lambda:InvokeFunctionUrl",
                "Resource": ARN,
                "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}},
            },
        ],
    }
    assert fetched["Policy"].startswith('{"Version":"2012-10-17","Id":"default","Statement":[{"Sid":"s3"')
    assert len(fetched["RevisionId"]) == 36


def test_policies_are_per_qualifier_and_name_the_qualified_resource(checkout):
    # semantics §4: resource-policy statements are per version/alias; the same Sid may exist on each.
    for qualifier in ("prod", "1"):
        checkout.add_permission(
            FunctionName="checkout",
            Qualifier=qualifier,
            StatementId="apigw",
            Action="lambda:InvokeFunction",
            Principal="apigateway.amazonaws.com",
        )
    prod = json.loads(checkout.get_policy(FunctionName=f"{ARN}:prod")["Policy"])
    assert [s["Resource"] for s in prod["Statement"]] == [f"{ARN}:prod"]
    one = json.loads(checkout.get_policy(FunctionName="checkout", Qualifier="1")["Policy"])
    assert [s["Resource"] for s in one["Statement"]] == [f"{ARN}:1"]
    assert error_of(lambda: checkout.get_policy(FunctionName="checkout")).response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": "The resource you requested does not exist.",
    }


def test_remove_permission_removes_one_statement_and_the_policy_with_the_last(checkout):
    for sid in ("a", "b"):
        checkout.add_permission(FunctionName="checkout", StatementId=sid, Action="lambda:*", Principal="*")
    removed = checkout.remove_permission(FunctionName="checkout", StatementId="a")
    assert removed["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert [s["Sid"] for s in json.loads(checkout.get_policy(FunctionName="checkout")["Policy"])["Statement"]] == ["b"]
    checkout.remove_permission(FunctionName="checkout", StatementId="b")
    gone = error_of(lambda: checkout.get_policy(FunctionName="checkout"))
    assert gone.response["Error"]["Code"] == "ResourceNotFoundException"
    again = error_of(lambda: checkout.remove_permission(FunctionName="checkout", StatementId="b"))
    assert again.response["Error"]["Message"] == "No policy is associated with the given resource."


def test_revision_ids_guard_add_and_remove(checkout):
    checkout.add_permission(FunctionName="checkout", StatementId="a", Action="lambda:InvokeFunction", Principal="*")
    revision = checkout.get_policy(FunctionName="checkout")["RevisionId"]
    stale = error_of(
        lambda: checkout.add_permission(
            FunctionName="checkout",
            StatementId="b",
            Action="lambda:InvokeFunction",
            Principal="*",
            RevisionId="00000000-0000-0000-0000-000000000000",
        )
    )
    assert stale.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert stale.response["Error"]["Code"] == "PreconditionFailedException"
    checkout.add_permission(
        FunctionName="checkout", StatementId="b", Action="lambda:InvokeFunction", Principal="*", RevisionId=revision
    )
    newer = checkout.get_policy(FunctionName="checkout")["RevisionId"]
    assert newer != revision
    old = error_of(lambda: checkout.remove_permission(FunctionName="checkout", StatementId="a", RevisionId=revision))
    assert old.response["Error"]["Code"] == "PreconditionFailedException"
    checkout.remove_permission(FunctionName="checkout", StatementId="a", RevisionId=newer)
    # With no policy yet, the precondition is the RevisionId GetAlias shows.
    alias_revision = checkout.get_alias(FunctionName="checkout", Name="prod")["RevisionId"]
    checkout.add_permission(
        FunctionName="checkout",
        Qualifier="prod",
        StatementId="a",
        Action="lambda:InvokeFunction",
        Principal="*",
        RevisionId=alias_revision,
    )


def _add(client, **overrides):
    params = {
        "FunctionName": "checkout",
        "StatementId": "s3",
        "Action": "lambda:InvokeFunction",
        "Principal": "s3.amazonaws.com",
        **overrides,
    }
    return error_of(lambda: client.add_permission(**params)).response


@pytest.mark.parametrize(
    ("overrides", "status", "code", "message"),
    [
        (
            {"StatementId": "example.com"},
            400,
            "ValidationException",
            "1 validation error detected: Value 'example.com' at 'statementId' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)",
        ),
        (
            {"FunctionName": f"{ARN}:prod", "Qualifier": "1"},
            400,
            "InvalidParameterValueException",
            "The derived qualifier from the function name does not match the specified qualifier.",
        ),
        (
            {"Qualifier": "$LATEST"},
            400,
            "InvalidParameterValueException",
            "We currently do not support adding policies for $LATEST.",
        ),
        (
            {"Principal": "invalid principal"},
            400,
            "ValidationException",
            "1 validation error detected: Value 'invalid principal' at 'principal' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [^\\s]+",
        ),
        (
            {"Principal": "somebody"},
            400,
            "InvalidParameterValueException",
            "The provided principal was invalid. Please check the principal and try again.",
        ),
        (
            {"FunctionName": "doesnotexist"},
            404,
            "ResourceNotFoundException",
            "Function not found: arn:aws:lambda:us-east-1:123456789012:function:doesnotexist",
        ),
        (
            {"Qualifier": "alias-doesnotexist"},
            404,
            "ResourceNotFoundException",
            f"Cannot find alias arn: {ARN}:alias-doesnotexist",
        ),
        ({"Qualifier": "42"}, 404, "ResourceNotFoundException", f"Function not found: {ARN}:42"),
        (
            {"Qualifier": "invalid-qualifier-with-?-char"},
            400,
            "ValidationException",
            "1 validation error detected: Value 'invalid-qualifier-with-?-char' at 'qualifier' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)",
        ),
        (
            {"Qualifier": "valid-with-$-but-doesnotexist"},
            404,
            "ResourceNotFoundException",
            f"Function not found: {ARN}:valid-with-$-but-doesnotexist",
        ),
    ],
)
def test_add_permission_refuses_bad_input_in_aws_words(checkout, overrides, status, code, message):
    response = _add(checkout, **overrides)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert response["Error"] == {"Code": code, "Message": message}
    assert error_of(lambda: checkout.get_policy(FunctionName="checkout")).response["Error"]["Code"] == (
        "ResourceNotFoundException"
    )


def test_a_malformed_source_arn_is_a_validation_error_and_changes_nothing(checkout):
    # botocore's model gives SourceArn a pattern: AWS's validator answers ValidationException, listing every member.
    response = _add(checkout, SourceArn="not-an-arn", SourceAccount="12")
    assert response["Error"]["Code"] == "ValidationException"
    assert response["Error"]["Message"] == (
        "2 validation errors detected: Value 'not-an-arn' at 'sourceArn' failed to satisfy constraint: Member must "
        "satisfy regular expression pattern: arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?"
        ":(\\d{12})?:(.*); Value '12' at 'sourceAccount' failed to satisfy constraint: Member must satisfy regular "
        "expression pattern: \\d{12}"
    )
    assert error_of(lambda: checkout.get_policy(FunctionName="checkout")).response["Error"]["Code"] == (
        "ResourceNotFoundException"
    )


def test_a_duplicate_statement_id_is_a_conflict_and_changes_nothing(checkout):
    checkout.add_permission(FunctionName="checkout", StatementId="s3", Action="lambda:InvokeFunction", Principal="*")
    before = checkout.get_policy(FunctionName="checkout")
    response = _add(checkout, Principal="sns.amazonaws.com")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert response["Error"] == {
        "Code": "ResourceConflictException",
        "Message": "The statement id (s3) provided already exists. Please provide a new statement id, or remove the "
        "existing statement.",
    }
    assert checkout.get_policy(FunctionName="checkout") | {"ResponseMetadata": None} == before | {
        "ResponseMetadata": None
    }


def test_missing_required_members_are_named_as_aws_names_them(live_server):
    from .conftest import lambda_api_client

    client = lambda_api_client(live_server.url, validate=False)
    response = error_of(
        lambda: client.add_permission(FunctionName="checkout", StatementId="s3", Action="lambda:InvokeFunction")
    ).response
    assert response["Error"] == {
        "Code": "ValidationException",
        "Message": "1 validation error detected: Value null at 'principal' failed to satisfy constraint: "
        "Member must not be null",
    }


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda c: c.get_policy(FunctionName="doesnotexist"),
            "Function not found: arn:aws:lambda:us-east-1:123456789012:function:doesnotexist",
        ),
        (lambda c: c.get_policy(FunctionName="checkout", Qualifier="42"), "The resource you requested does not exist."),
        (
            lambda c: c.remove_permission(FunctionName="doesnotexist", StatementId="s3"),
            "No policy found for: arn:aws:lambda:us-east-1:123456789012:function:doesnotexist",
        ),
        (
            lambda c: c.remove_permission(FunctionName="checkout", StatementId="s3"),
            "No policy is associated with the given resource.",
        ),
        (
            lambda c: c.remove_permission(FunctionName="checkout", Qualifier="alias-doesnotexist", StatementId="s3"),
            f"Cannot find alias arn: {ARN}:alias-doesnotexist",
        ),
    ],
)
def test_get_and_remove_answer_aws_not_found_messages(checkout, call, message):
    response = error_of(lambda: call(checkout)).response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert response["Error"] == {"Code": "ResourceNotFoundException", "Message": message}


def test_removing_an_unknown_statement_names_it(checkout):
    checkout.add_permission(FunctionName="checkout", StatementId="a", Action="lambda:InvokeFunction", Principal="*")
    response = error_of(lambda: checkout.remove_permission(FunctionName="checkout", StatementId="zz")).response
    assert response["Error"]["Message"] == "Statement zz is not found in resource policy."
