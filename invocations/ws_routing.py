"""Websocket URL patterns (the live stream arrives with the runtime)."""

websocket_urlpatterns: list = []
