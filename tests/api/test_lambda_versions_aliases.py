"""Versions and aliases through real boto3: PublishVersion, ListVersionsByFunction, Create/Get/Update/Delete/List."""

import pytest

from .conftest import create_modelled, error_of, lambda_api_client

pytestmark = pytest.mark.django_db(transaction=True)

ARN = "arn:aws:lambda:us-east-1:123456789012:function:checkout"


@pytest.fixture
def two_versions(client):
    """checkout with versions 1 and 2 (different timeouts)."""
    create_modelled(client, "checkout", Publish=True)
    client.update_function_configuration(FunctionName="checkout", Timeout=7)
    client.publish_version(FunctionName="checkout")
    return client


def test_publish_version_answers_201_with_the_new_version(client):
    # semantics §4
    create_modelled(client, "checkout", Timeout=5)
    published = client.publish_version(FunctionName="checkout", Description="first")
    assert published["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert (published["Version"], published["FunctionArn"], published["Description"]) == ("1", f"{ARN}:1", "first")
    assert published["Timeout"] == 5


def test_publishing_with_nothing_changed_returns_the_newest_version_again(client):
    # semantics §4: same number, same RevisionId, the new description ignored.
    create_modelled(client, "checkout")
    first = client.publish_version(FunctionName="checkout", Description="one")
    again = client.publish_version(FunctionName="checkout", Description="ignored")
    assert again["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert (again["Version"], again["RevisionId"], again["Description"]) == ("1", first["RevisionId"], "one")


def test_publish_version_with_another_code_sha256_is_refused(client):
    # semantics §4
    create_modelled(client, "checkout")
    error = error_of(lambda: client.publish_version(FunctionName="checkout", CodeSha256="abc"))
    assert isinstance(error, client.exceptions.InvalidParameterValueException)
    assert error.response["Error"]["Message"].startswith(
        "CodeSHA256 (abc) is different from current CodeSHA256 in $LATEST"
    )


def test_publish_version_with_a_stale_revision_id_is_a_412(client):
    # semantics §4
    created = create_modelled(client, "checkout")
    client.update_function_configuration(FunctionName="checkout", Timeout=9)
    error = error_of(lambda: client.publish_version(FunctionName="checkout", RevisionId=created["RevisionId"]))
    assert isinstance(error, client.exceptions.PreconditionFailedException)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 412


def test_publish_version_of_an_unknown_function_is_a_404(client):
    error = error_of(lambda: client.publish_version(FunctionName="ghost"))
    assert isinstance(error, client.exceptions.ResourceNotFoundException)


def test_versions_are_listed_latest_first_then_by_number_with_qualified_arns(two_versions):
    # semantics §4
    versions = two_versions.list_versions_by_function(FunctionName="checkout")["Versions"]
    assert [(v["Version"], v["FunctionArn"], v["Timeout"]) for v in versions] == [
        ("$LATEST", f"{ARN}:$LATEST", 7),
        ("1", f"{ARN}:1", 3),
        ("2", f"{ARN}:2", 7),
    ]
    page = two_versions.list_versions_by_function(FunctionName="checkout", MaxItems=2)
    assert len(page["Versions"]) == 2
    rest = two_versions.list_versions_by_function(FunctionName="checkout", Marker=page["NextMarker"])
    assert [v["Version"] for v in rest["Versions"]] == ["2"]


def test_create_alias_answers_201_and_get_alias_returns_it(two_versions):
    # semantics §5
    client = two_versions
    created = client.create_alias(
        FunctionName="checkout",
        Name="prod",
        FunctionVersion="1",
        Description="live",
        RoutingConfig={"AdditionalVersionWeights": {"2": 0.05}},
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["AliasArn"] == f"{ARN}:prod"
    assert (created["Name"], created["FunctionVersion"], created["Description"]) == ("prod", "1", "live")
    assert created["RoutingConfig"] == {"AdditionalVersionWeights": {"2": 0.05}}
    fetched = client.get_alias(FunctionName="checkout", Name="prod")
    assert {k: v for k, v in fetched.items() if k != "ResponseMetadata"} == {
        k: v for k, v in created.items() if k != "ResponseMetadata"
    }


def test_an_alias_without_routing_has_no_routing_config(two_versions):
    created = two_versions.create_alias(FunctionName="checkout", Name="dev", FunctionVersion="$LATEST")
    assert created["FunctionVersion"] == "$LATEST"
    assert "RoutingConfig" not in created


def test_update_alias_shifts_traffic_and_finishes_the_shift(two_versions):
    # semantics §5: to finish, FunctionVersion = new and no additional weights.
    client = two_versions
    created = client.create_alias(FunctionName="checkout", Name="prod", FunctionVersion="1")
    canary = client.update_alias(
        FunctionName="checkout", Name="prod", RoutingConfig={"AdditionalVersionWeights": {"2": 0.5}}
    )
    assert canary["RoutingConfig"] == {"AdditionalVersionWeights": {"2": 0.5}}
    assert canary["RevisionId"] != created["RevisionId"]
    done = client.update_alias(
        FunctionName="checkout", Name="prod", FunctionVersion="2", RoutingConfig={"AdditionalVersionWeights": {}}
    )
    assert done["FunctionVersion"] == "2"
    assert "RoutingConfig" not in done


def test_update_alias_with_a_stale_revision_id_is_a_412(two_versions):
    client = two_versions
    created = client.create_alias(FunctionName="checkout", Name="prod", FunctionVersion="1")
    client.update_alias(FunctionName="checkout", Name="prod", Description="changed")
    error = error_of(
        lambda: client.update_alias(
            FunctionName="checkout", Name="prod", FunctionVersion="2", RevisionId=created["RevisionId"]
        )
    )
    assert isinstance(error, client.exceptions.PreconditionFailedException)


def test_aliases_are_listed_and_filtered_by_function_version(two_versions):
    client = two_versions
    client.create_alias(FunctionName="checkout", Name="blue", FunctionVersion="1")
    client.create_alias(FunctionName="checkout", Name="green", FunctionVersion="2")
    client.create_alias(FunctionName="checkout", Name="edge", FunctionVersion="$LATEST")
    assert [a["Name"] for a in client.list_aliases(FunctionName="checkout")["Aliases"]] == ["blue", "edge", "green"]
    assert [a["Name"] for a in client.list_aliases(FunctionName="checkout", FunctionVersion="2")["Aliases"]] == [
        "green"
    ]


def test_delete_alias_answers_204_and_then_it_is_not_found(two_versions):
    client = two_versions
    client.create_alias(FunctionName="checkout", Name="prod", FunctionVersion="1")
    assert client.delete_alias(FunctionName="checkout", Name="prod")["ResponseMetadata"]["HTTPStatusCode"] == 204
    error = error_of(lambda: client.get_alias(FunctionName="checkout", Name="prod"))
    assert isinstance(error, client.exceptions.ResourceNotFoundException)
    assert error.response["Error"]["Message"] == f"Cannot find alias arn: {ARN}:prod"
    error = error_of(lambda: client.delete_alias(FunctionName="checkout", Name="prod"))
    assert isinstance(error, client.exceptions.ResourceNotFoundException)


def test_creating_an_alias_twice_is_a_409(two_versions):
    client = two_versions
    client.create_alias(FunctionName="checkout", Name="prod", FunctionVersion="1")
    error = error_of(lambda: client.create_alias(FunctionName="checkout", Name="prod", FunctionVersion="2"))
    assert isinstance(error, client.exceptions.ResourceConflictException)
    assert error.response["Error"]["Message"] == f"Alias already exists: {ARN}:prod"


def test_an_alias_on_an_unknown_version_is_a_404(two_versions):
    error = error_of(lambda: two_versions.create_alias(FunctionName="checkout", Name="prod", FunctionVersion="9"))
    assert isinstance(error, two_versions.exceptions.ResourceNotFoundException)


def test_routing_errors_carry_aws_messages(two_versions):
    # semantics §5
    client = two_versions
    error = error_of(
        lambda: client.create_alias(
            FunctionName="checkout",
            Name="prod",
            FunctionVersion="$LATEST",
            RoutingConfig={"AdditionalVersionWeights": {"2": 0.1}},
        )
    )
    assert isinstance(error, client.exceptions.InvalidParameterValueException)
    assert error.response["Error"]["Message"] == "$LATEST is not supported for an alias pointing to more than 1 version"
    error = error_of(
        lambda: client.create_alias(
            FunctionName="checkout",
            Name="prod",
            FunctionVersion="1",
            RoutingConfig={"AdditionalVersionWeights": {"1": 0.1}},
        )
    )
    assert "Function version 1 is already included in routing configuration." in error.response["Error"]["Message"]
    error = error_of(
        lambda: client.create_alias(
            FunctionName="checkout",
            Name="prod",
            FunctionVersion="1",
            RoutingConfig={"AdditionalVersionWeights": {"2": 0.1, "3": 0.1}},
        )
    )
    assert error.response["Error"]["Message"] == "Number of items in AdditionalVersionWeights cannot be greater than 1"


def test_an_all_digit_alias_name_is_a_validation_exception(live_server, two_versions):
    # semantics §5
    client = lambda_api_client(live_server.url, validate=False)
    error = error_of(lambda: client.create_alias(FunctionName="checkout", Name="2024", FunctionVersion="1"))
    assert error.response["Error"]["Code"] == "ValidationException"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_create_alias_without_a_name_is_refused_as_null(live_server, two_versions):
    client = lambda_api_client(live_server.url, validate=False)
    error = error_of(lambda: client.create_alias(FunctionName="checkout", FunctionVersion="1"))
    assert error.response["Error"]["Code"] == "ValidationException"
    assert error.response["Error"]["Message"] == (
        "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"
    )


def test_a_change_made_through_the_api_is_announced_live_to_the_dashboard(client):
    # issue 5, "Visibility": API calls appear live on the dashboard (the function page reloads its diagram).
    import asyncio

    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    from invocations.runtime.publisher import function_group

    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(function_group("announced"), channel)
    create_modelled(client, "announced")

    async def next_message():
        return await asyncio.wait_for(layer.receive(channel), timeout=10)  # the real Redis channel layer

    message = async_to_sync(next_message)()
    assert message["event"]["type"] == "ApiCall"
    assert message["event"]["operation"] == "create_function"
    assert message["event"]["function"] == "announced"
