"""Websocket URL patterns: the live stream for the account and for one function.

Channels' routes are not in Django's URLconf, so `{% url %}` cannot reverse them; `live_path` is their one source.
"""

from django.urls import re_path

from .consumers import LiveConsumer

LIVE_PREFIX = "ws/live/"


def live_path(function: str | None = None) -> str:
    """The websocket path a page connects to: the account's, or one function's."""
    return f"/{LIVE_PREFIX}{function}/" if function else f"/{LIVE_PREFIX}"


websocket_urlpatterns = [
    re_path(rf"^{LIVE_PREFIX}$", LiveConsumer.as_asgi()),
    re_path(rf"^{LIVE_PREFIX}(?P<function>[a-zA-Z0-9_-]{{1,64}})/$", LiveConsumer.as_asgi()),
]
