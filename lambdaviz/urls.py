"""Top-level URLs: the admin and the invocations app; any other path, and every failure, answered without a
traceback (invocations/http_errors.py)."""

from django.contrib import admin
from django.urls import include, path, re_path

from invocations import http_errors
from invocations.api.apigateway_door import path_urlpatterns as execute_api_paths
from invocations.api.function_url_door import path_urlpatterns as function_url_paths
from invocations.api.root import root

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", root, name="aws-root"),  # POST / for CloudWatch (awsJson1_0, query), CodeDeploy; GET / is the home page
    path("", include("invocations.api.lambda_api.urls")),
    path("", include(function_url_paths)),  # /lambda-url/<url-id>/<path>: a function URL, path-based for the LAN
    path("", include(execute_api_paths)),  # /restapis/<api-id>/<stage>/_user_request_/<path>: a stage, for the LAN
    path("", include("invocations.api.apigateway.urls")),  # API Gateway's REST API operations (rest-json)
    path("", include("invocations.api.cloudwatch.urls")),
    path("", include("invocations.api.codedeploy.urls")),
    path("", include("invocations.urls")),
    re_path(r"^(?P<path>.*)$", http_errors.not_found, name="not-found"),
]

handler400 = http_errors.bad_request
handler403 = http_errors.permission_denied
handler404 = http_errors.page_not_found
handler500 = http_errors.server_error
