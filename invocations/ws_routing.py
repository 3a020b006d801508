"""Websocket URL patterns: the live stream for the account and for one function.

Channels' routes are not in Django's URLconf, so `{% url %}` cannot reverse them; `live_path` is their one source.
"""

from channels.generic.websocket import WebsocketConsumer
from django.urls import re_path

from .consumers import LiveConsumer

LIVE_PREFIX = "ws/live/"
# Sent when no route serves the path: 4000-4999 are the application's own codes; 4404 reads as "not found".
UNKNOWN_PATH_CLOSE_CODE = 4404


class UnknownPathConsumer(WebsocketConsumer):
    """Any other websocket path: accepted only to be closed with UNKNOWN_PATH_CLOSE_CODE, where URLRouter alone
    raises and daphne answers the handshake with a 500."""

    def connect(self) -> None:
        self.accept()
        self.close(code=UNKNOWN_PATH_CLOSE_CODE)


def live_path(function: str | None = None) -> str:
    """The websocket path a page connects to: the account's, or one function's."""
    return f"/{LIVE_PREFIX}{function}/" if function else f"/{LIVE_PREFIX}"


websocket_urlpatterns = [
    re_path(rf"^{LIVE_PREFIX}$", LiveConsumer.as_asgi()),
    re_path(rf"^{LIVE_PREFIX}(?P<function>[a-zA-Z0-9_-]{{1,64}})/$", LiveConsumer.as_asgi()),
    re_path(r"", UnknownPathConsumer.as_asgi()),
]
