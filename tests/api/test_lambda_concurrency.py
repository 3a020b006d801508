"""Reserved and provisioned concurrency and GetAccountSettings through real boto3 (semantics §8, §9)."""

import pytest

from invocations.services import account_settings_update

from .conftest import error_of, lambda_api_client

pytestmark = pytest.mark.django_db(transaction=True)

ARN = "arn:aws:lambda:us-east-1:123456789012:function:checkout"


def test_reserved_concurrency_is_put_read_and_deleted(checkout):
    # semantics §8
    client = checkout
    assert {
        k: v for k, v in client.get_function_concurrency(FunctionName="checkout").items() if k != "ResponseMetadata"
    } == {}
    put = client.put_function_concurrency(FunctionName="checkout", ReservedConcurrentExecutions=50)
    assert put["ReservedConcurrentExecutions"] == 50
    assert client.get_function_concurrency(FunctionName="checkout")["ReservedConcurrentExecutions"] == 50
    deleted = client.delete_function_concurrency(FunctionName="checkout")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert "ReservedConcurrentExecutions" not in client.get_function_concurrency(FunctionName="checkout")


def test_reserving_below_the_unreserved_minimum_is_refused_with_aws_message(checkout):
    # semantics §8: at least 100 must stay unreserved.
    error = error_of(
        lambda: checkout.put_function_concurrency(FunctionName="checkout", ReservedConcurrentExecutions=950)
    )
    assert isinstance(error, checkout.exceptions.InvalidParameterValueException)
    assert "below its minimum value of [100]" in error.response["Error"]["Message"]


def test_reserved_concurrency_on_a_qualified_arn_is_refused(checkout):
    # semantics §8
    error = error_of(
        lambda: checkout.put_function_concurrency(FunctionName=f"{ARN}:prod", ReservedConcurrentExecutions=5)
    )
    assert isinstance(error, checkout.exceptions.InvalidParameterValueException)
    assert "Aliases and versions do not support this operation" in error.response["Error"]["Message"]


def test_a_negative_reservation_is_a_validation_exception(live_server, checkout):
    client = lambda_api_client(live_server.url, validate=False)
    error = error_of(lambda: client.put_function_concurrency(FunctionName="checkout", ReservedConcurrentExecutions=-1))
    assert error.response["Error"]["Code"] == "ValidationException"
    assert "'reservedConcurrentExecutions'" in error.response["Error"]["Message"]


def test_reserved_concurrency_of_an_unknown_function_is_a_404(client):
    error = error_of(lambda: client.put_function_concurrency(FunctionName="ghost", ReservedConcurrentExecutions=1))
    assert isinstance(error, client.exceptions.ResourceNotFoundException)


def test_account_settings_show_the_limit_and_what_reservations_leave(checkout):
    # semantics §8
    client = checkout
    client.put_function_concurrency(FunctionName="checkout", ReservedConcurrentExecutions=100)
    settings = client.get_account_settings()
    assert settings["AccountLimit"]["ConcurrentExecutions"] == 1000
    assert settings["AccountLimit"]["UnreservedConcurrentExecutions"] == 900
    assert settings["AccountLimit"]["CodeSizeZipped"] == 52428800
    assert settings["AccountUsage"]["FunctionCount"] == 1
    account_settings_update(concurrency_limit=500)
    assert client.get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"] == 400


def test_provisioned_concurrency_is_put_as_202_in_progress_then_read_listed_and_deleted(checkout):
    # semantics §9
    client = checkout
    put = client.put_provisioned_concurrency_config(
        FunctionName="checkout", Qualifier="prod", ProvisionedConcurrentExecutions=5
    )
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert (put["RequestedProvisionedConcurrentExecutions"], put["AllocatedProvisionedConcurrentExecutions"]) == (5, 0)
    assert put["Status"] == "IN_PROGRESS"
    fetched = client.get_provisioned_concurrency_config(FunctionName="checkout", Qualifier="prod")
    assert fetched["RequestedProvisionedConcurrentExecutions"] == 5
    assert fetched["AvailableProvisionedConcurrentExecutions"] == 0
    listed = client.list_provisioned_concurrency_configs(FunctionName="checkout")["ProvisionedConcurrencyConfigs"]
    assert [(c["FunctionArn"], c["RequestedProvisionedConcurrentExecutions"]) for c in listed] == [(f"{ARN}:prod", 5)]
    deleted = client.delete_provisioned_concurrency_config(FunctionName="checkout", Qualifier="prod")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    error = error_of(lambda: client.get_provisioned_concurrency_config(FunctionName="checkout", Qualifier="prod"))
    assert isinstance(error, client.exceptions.ProvisionedConcurrencyConfigNotFoundException)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error.response["Error"]["Message"] == "No Provisioned Concurrency Config found for this function"


def test_provisioned_concurrency_on_latest_is_refused_with_aws_message(checkout):
    # semantics §9
    error = error_of(
        lambda: checkout.put_provisioned_concurrency_config(
            FunctionName="checkout", Qualifier="$LATEST", ProvisionedConcurrentExecutions=1
        )
    )
    assert isinstance(error, checkout.exceptions.InvalidParameterValueException)
    assert error.response["Error"]["Message"] == (
        "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
    )


def test_a_version_already_provisioned_through_its_alias_is_refused(checkout):
    # semantics §9: one provisioned concurrency config per version.
    client = checkout
    client.put_provisioned_concurrency_config(
        FunctionName="checkout", Qualifier="prod", ProvisionedConcurrentExecutions=1
    )
    error = error_of(
        lambda: client.put_provisioned_concurrency_config(
            FunctionName="checkout", Qualifier="1", ProvisionedConcurrentExecutions=1
        )
    )
    assert isinstance(error, client.exceptions.ResourceConflictException)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert error.response["Error"]["Message"] == "Version is pointed by a Provisioned Concurrency alias"


def test_provisioned_concurrency_for_an_unknown_alias_is_a_404(checkout):
    error = error_of(
        lambda: checkout.put_provisioned_concurrency_config(
            FunctionName="checkout", Qualifier="nope", ProvisionedConcurrentExecutions=1
        )
    )
    assert isinstance(error, checkout.exceptions.ResourceNotFoundException)
    assert error.response["Error"]["Message"] == f"Cannot find alias arn: {ARN}:nope"
