"""Websocket URL patterns: the live stream for the account and for one function."""

from django.urls import re_path

from .consumers import LiveConsumer

websocket_urlpatterns = [
    re_path(r"^ws/live/$", LiveConsumer.as_asgi()),
    re_path(r"^ws/live/(?P<function>[a-zA-Z0-9_-]{1,64})/$", LiveConsumer.as_asgi()),
]
