"""Websocket consumers: a snapshot on connect, then the publisher's frames and events for one group."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .services.live import live_group, live_snapshot


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """`/ws/live/` follows the account; `/ws/live/<function>/` follows one function. Read-only for everyone."""

    async def connect(self) -> None:
        self.function = self.scope["url_route"]["kwargs"].get("function")
        self.group = live_group(self.function)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        # Joining the group first, then sending the snapshot, means a late joiner misses nothing in between.
        snapshot = await database_sync_to_async(live_snapshot)(self.function)
        await self.send_json({"type": "snapshot", "snapshot": snapshot})

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        # Clients only listen; changes go through the HTTP views, where staff permissions are checked.
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def lv_frame(self, message: dict) -> None:
        await self.send_json(message["frame"])

    async def lv_event(self, message: dict) -> None:
        await self.send_json({"type": "event", "event": message["event"]})
