"""Top-level URLs: the admin and the invocations app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("invocations.api.lambda_api.urls")),
    path("", include("invocations.urls")),
]
