"""API Gateway's REST paths (botocore's apigateway model, 2015-07-09). The stage door's path-based form
(`/restapis/<id>/<stage>/_user_request_/<path>`) is routed first, in lambdaviz/urls.py."""

from django.urls import path

from . import views

API = "restapis/<str:api_id>"
RESOURCE = f"{API}/resources/<str:resource_id>"
METHOD = f"{RESOURCE}/methods/<str:http_method>"

urlpatterns = [
    path("restapis", views.operations(POST=views.create_rest_api, GET=views.get_rest_apis), name="apigw-restapis"),
    path(API, views.operations(GET=views.get_rest_api, DELETE=views.delete_rest_api), name="apigw-restapi"),
    path(f"{API}/resources", views.operations(GET=views.get_resources), name="apigw-resources"),
    path(
        RESOURCE,
        views.operations(GET=views.get_resource, POST=views.create_resource),
        name="apigw-resource",
    ),
    path(METHOD, views.operations(PUT=views.put_method, GET=views.get_method), name="apigw-method"),
    path(
        f"{METHOD}/integration",
        views.operations(PUT=views.put_integration, GET=views.get_integration),
        name="apigw-integration",
    ),
    path(f"{API}/deployments", views.operations(POST=views.create_deployment), name="apigw-deployments"),
    path(f"{API}/stages", views.operations(POST=views.create_stage, GET=views.get_stages), name="apigw-stages"),
    path(
        f"{API}/stages/<str:stage_name>",
        views.operations(GET=views.get_stage, PATCH=views.update_stage, DELETE=views.delete_stage),
        name="apigw-stage",
    ),
]
