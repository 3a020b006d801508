"""URLs of the invocations app."""

from django.urls import path

from . import views

app_name = "invocations"

urlpatterns = [
    path("", views.home, name="home"),
]
