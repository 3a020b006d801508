"""API Gateway's REST API operations through a real boto3 apigateway client against the live server (rest-json,
SigV4 for service apigateway): every operation, and AWS's errors for each bad input, which change nothing
(semantics §10)."""

import boto3
import pytest
from botocore.config import Config

from .conftest import ACCESS_KEY_ID, SECRET_ACCESS_KEY, create_modelled, error_of

pytestmark = pytest.mark.django_db(transaction=True)
ACCOUNT = "123456789012"


def apigateway_client(endpoint_url: str):
    return boto3.session.Session().client(
        "apigateway",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
        config=Config(retries={"total_max_attempts": 1}),
    )


def uri(function: str) -> str:
    arn = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{function}"
    return f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations"


@pytest.fixture
def apigw(live_server):
    return apigateway_client(live_server.url)


@pytest.fixture
def api(apigw):
    created = apigw.create_rest_api(name="shop", description="the shop")
    return created


def code(error) -> tuple[str, str, int]:
    return (
        error.response["Error"]["Code"],
        error.response["Error"]["Message"],
        error.response["ResponseMetadata"]["HTTPStatusCode"],
    )


def test_create_get_list_and_delete_a_rest_api(apigw, api):
    assert api["name"] == "shop" and api["description"] == "the shop"
    assert len(api["id"]) == 10 and api["rootResourceId"]
    assert api["endpointConfiguration"] == {"types": ["EDGE"]}
    assert apigw.get_rest_api(restApiId=api["id"])["name"] == "shop"
    assert [item["id"] for item in apigw.get_rest_apis()["items"]] == [api["id"]]
    apigw.delete_rest_api(restApiId=api["id"])
    assert apigw.get_rest_apis()["items"] == []


def test_an_unknown_api_id_is_a_not_found_naming_the_account(apigw):
    for call in (
        lambda: apigw.get_rest_api(restApiId="nope123456"),
        lambda: apigw.delete_rest_api(restApiId="nope123456"),
        lambda: apigw.get_resources(restApiId="nope123456"),
        lambda: apigw.get_stages(restApiId="nope123456"),
        lambda: apigw.create_deployment(restApiId="nope123456"),
    ):
        assert code(error_of(call)) == (
            "NotFoundException",
            f"Invalid API identifier specified {ACCOUNT}:nope123456",
            404,
        )


def test_resources_with_a_greedy_proxy_path(apigw, api):
    root = api["rootResourceId"]
    proxy = apigw.create_resource(restApiId=api["id"], parentId=root, pathPart="{proxy+}")
    assert (proxy["path"], proxy["pathPart"], proxy["parentId"]) == ("/{proxy+}", "{proxy+}", root)
    orders = apigw.create_resource(restApiId=api["id"], parentId=root, pathPart="orders")
    item = apigw.create_resource(restApiId=api["id"], parentId=orders["id"], pathPart="{id}")
    assert item["path"] == "/orders/{id}"
    listed = apigw.get_resources(restApiId=api["id"])["items"]
    assert sorted(r["path"] for r in listed) == ["/", "/orders", "/orders/{id}", "/{proxy+}"]
    assert next(r for r in listed if r["path"] == "/") == {"id": root, "path": "/"}


def test_resource_errors(apigw, api):
    root = api["rootResourceId"]
    missing = error_of(lambda: apigw.create_resource(restApiId=api["id"], parentId="nope", pathPart="x"))
    assert code(missing) == ("NotFoundException", "Invalid Resource identifier specified", 404)
    apigw.create_resource(restApiId=api["id"], parentId=root, pathPart="orders")
    twice = error_of(lambda: apigw.create_resource(restApiId=api["id"], parentId=root, pathPart="orders"))
    assert code(twice) == (
        "ConflictException",
        "Another resource with the same parent already has this name: orders",
        409,
    )
    bad = error_of(lambda: apigw.create_resource(restApiId=api["id"], parentId=root, pathPart="a b"))
    assert code(bad)[0::2] == ("BadRequestException", 400)
    assert len(apigw.get_resources(restApiId=api["id"])["items"]) == 2  # nothing half-written


def test_put_method_and_a_lambda_proxy_integration(apigw, api, client):
    create_modelled(client, "orders")
    root = api["rootResourceId"]
    method = apigw.put_method(restApiId=api["id"], resourceId=root, httpMethod="ANY", authorizationType="NONE")
    assert (method["httpMethod"], method["authorizationType"], method["apiKeyRequired"]) == ("ANY", "NONE", False)
    integration = apigw.put_integration(
        restApiId=api["id"],
        resourceId=root,
        httpMethod="ANY",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=uri("orders"),
    )
    assert (integration["type"], integration["httpMethod"], integration["uri"]) == ("AWS_PROXY", "POST", uri("orders"))
    assert integration["timeoutInMillis"] == 29000
    assert apigw.get_integration(restApiId=api["id"], resourceId=root, httpMethod="ANY")["uri"] == uri("orders")
    resources = apigw.get_resources(restApiId=api["id"], embed=["methods"])["items"]
    assert resources[0]["resourceMethods"]["ANY"]["methodIntegration"]["type"] == "AWS_PROXY"
    # A stage variable in the URI: only a request can tell what it resolves to, so it is accepted.
    apigw.put_method(restApiId=api["id"], resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(
        restApiId=api["id"],
        resourceId=root,
        httpMethod="GET",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=uri("orders:${stageVariables.lambdaAlias}"),
    )


def test_method_and_integration_errors(apigw, api, client):
    create_modelled(client, "orders")
    root = api["rootResourceId"]
    no_method = error_of(
        lambda: apigw.put_integration(
            restApiId=api["id"], resourceId=root, httpMethod="GET", type="AWS_PROXY", uri=uri("orders")
        )
    )
    assert code(no_method) == ("NotFoundException", "Invalid Method identifier specified", 404)
    no_resource = error_of(
        lambda: apigw.put_method(restApiId=api["id"], resourceId="nope", httpMethod="GET", authorizationType="NONE")
    )
    assert code(no_resource) == ("NotFoundException", "Invalid Resource identifier specified", 404)
    apigw.put_method(restApiId=api["id"], resourceId=root, httpMethod="GET", authorizationType="NONE")
    again = error_of(
        lambda: apigw.put_method(restApiId=api["id"], resourceId=root, httpMethod="GET", authorizationType="NONE")
    )
    assert code(again) == ("ConflictException", "Method already exists for this resource", 409)
    for bad_uri in ("arn:aws:s3:::bucket", uri("missing"), uri("orders:nope")):
        refused = error_of(
            lambda bad_uri=bad_uri: apigw.put_integration(
                restApiId=api["id"],
                resourceId=root,
                httpMethod="GET",
                type="AWS_PROXY",
                integrationHttpMethod="POST",
                uri=bad_uri,
            )
        )
        assert code(refused)[0::2] == ("BadRequestException", 400), bad_uri
    no_http_method = error_of(
        lambda: apigw.put_integration(
            restApiId=api["id"], resourceId=root, httpMethod="GET", type="AWS_PROXY", uri=uri("orders")
        )
    )
    assert code(no_http_method) == ("BadRequestException", "Enumeration value for HttpMethod must be non-empty", 400)
    assert "methodIntegration" not in apigw.get_method(restApiId=api["id"], resourceId=root, httpMethod="GET")


def _integrated(apigw, api, client):
    create_modelled(client, "orders")
    root = api["rootResourceId"]
    apigw.put_method(restApiId=api["id"], resourceId=root, httpMethod="ANY", authorizationType="NONE")
    apigw.put_integration(
        restApiId=api["id"],
        resourceId=root,
        httpMethod="ANY",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=uri("orders"),
    )


def test_a_deployment_needs_methods_with_integrations(apigw, api):
    empty = error_of(lambda: apigw.create_deployment(restApiId=api["id"], stageName="Prod"))
    assert code(empty) == ("BadRequestException", "The REST API doesn't contain any methods", 400)
    apigw.put_method(restApiId=api["id"], resourceId=api["rootResourceId"], httpMethod="GET", authorizationType="NONE")
    bare = error_of(lambda: apigw.create_deployment(restApiId=api["id"], stageName="Prod"))
    assert code(bare) == ("BadRequestException", "No integration defined for method", 400)
    assert apigw.get_stages(restApiId=api["id"])["item"] == []


def test_deployments_and_stages_with_variables(apigw, api, client):
    _integrated(apigw, api, client)
    deployment = apigw.create_deployment(
        restApiId=api["id"], stageName="Prod", variables={"lambdaAlias": "prod"}, description="first"
    )
    assert len(deployment["id"]) == 6 and deployment["description"] == "first"
    prod = apigw.get_stage(restApiId=api["id"], stageName="Prod")
    assert (prod["deploymentId"], prod["variables"]) == (deployment["id"], {"lambdaAlias": "prod"})
    test = apigw.create_stage(
        restApiId=api["id"], stageName="Test", deploymentId=deployment["id"], variables={"lambdaAlias": "test"}
    )
    assert test["stageName"] == "Test"
    assert [s["stageName"] for s in apigw.get_stages(restApiId=api["id"])["item"]] == ["Prod", "Test"]
    updated = apigw.update_stage(
        restApiId=api["id"],
        stageName="Test",
        patchOperations=[
            {"op": "replace", "path": "/variables/lambdaAlias", "value": "dev"},
            {"op": "replace", "path": "/variables/color", "value": "blue"},
            {"op": "replace", "path": "/description", "value": "the test stage"},
            {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "100"},
            {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": "50"},
        ],
    )
    assert updated["variables"] == {"lambdaAlias": "dev", "color": "blue"}
    assert updated["description"] == "the test stage"
    assert updated["methodSettings"]["*/*"]["throttlingRateLimit"] == 100.0
    assert updated["methodSettings"]["*/*"]["throttlingBurstLimit"] == 50
    removed = apigw.update_stage(
        restApiId=api["id"],
        stageName="Test",
        patchOperations=[{"op": "remove", "path": "/variables/color"}],
    )
    assert removed["variables"] == {"lambdaAlias": "dev"}
    apigw.delete_stage(restApiId=api["id"], stageName="Test")
    assert [s["stageName"] for s in apigw.get_stages(restApiId=api["id"])["item"]] == ["Prod"]


def test_stage_errors_change_nothing(apigw, api, client):
    _integrated(apigw, api, client)
    deployment = apigw.create_deployment(restApiId=api["id"], stageName="Prod")
    missing = error_of(lambda: apigw.get_stage(restApiId=api["id"], stageName="Nope"))
    assert code(missing) == ("NotFoundException", "Invalid Stage identifier specified", 404)
    assert code(error_of(lambda: apigw.delete_stage(restApiId=api["id"], stageName="Nope")))[0] == "NotFoundException"
    twice = error_of(lambda: apigw.create_stage(restApiId=api["id"], stageName="Prod", deploymentId=deployment["id"]))
    assert code(twice) == ("ConflictException", "Stage already exists", 409)
    bad_name = error_of(
        lambda: apigw.create_stage(restApiId=api["id"], stageName="bad-name", deploymentId=deployment["id"])
    )
    assert code(bad_name) == ("BadRequestException", "Stage name only allows a-zA-Z0-9_", 400)
    no_deployment = error_of(lambda: apigw.create_stage(restApiId=api["id"], stageName="Dev", deploymentId="zzzzzz"))
    assert code(no_deployment)[0::2] == ("NotFoundException", 404)
    bad_value = error_of(
        lambda: apigw.update_stage(
            restApiId=api["id"],
            stageName="Prod",
            patchOperations=[
                {"op": "replace", "path": "/variables/ok", "value": "fine"},
                {"op": "replace", "path": "/variables/bad", "value": "white space"},
            ],
        )
    )
    assert code(bad_value)[0::2] == ("BadRequestException", 400)
    bad_path = error_of(
        lambda: apigw.update_stage(
            restApiId=api["id"], stageName="Prod", patchOperations=[{"op": "replace", "path": "/nope", "value": "x"}]
        )
    )
    assert code(bad_path) == ("BadRequestException", "Invalid patch path '/nope' specified for op 'replace'.", 400)
    assert "variables" not in apigw.get_stage(restApiId=api["id"], stageName="Prod")  # the good patch was not kept
    assert [s["stageName"] for s in apigw.get_stages(restApiId=api["id"])["item"]] == ["Prod"]


def test_a_call_signed_with_a_wrong_secret_is_refused_before_anything_runs(live_server, apigw):
    wrong_key = boto3.session.Session().client(
        "apigateway",
        endpoint_url=live_server.url,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key="wrong-secret",
        config=Config(retries={"total_max_attempts": 1}),
    )
    refused = error_of(lambda: wrong_key.create_rest_api(name="sneaky"))
    assert refused.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert apigw.get_rest_apis()["items"] == []
