"""The inbox: the API's invocations as JSON in a Redis list (runtime/invoke_client.py writes them)."""

from __future__ import annotations

import json
import logging
from typing import Any

import redis

from ...engine.simulator import InvokeRequest
from ..invoke_client import reply, reply_error

log = logging.getLogger(__name__)


class InboxReader:
    """Parses inbox requests into engine InvokeRequests. A request the API waits on carries a reply key: its
    result goes there when it completes, or `refuse` answers it at once when the engine could not run it."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self._reply_keys: dict[int, str] = {}  # callbacks of waiting API calls -> their reply key

    def parse_all(self, raws: list[bytes]) -> list[InvokeRequest]:
        requests = []
        for raw in raws:
            try:
                request = self.parse(json.loads(raw))
            except Exception:  # one bad request must not stop the simulation
                log.exception("malformed inbox request: %r", raw)
                continue
            if request is not None:
                requests.append(request)
        return requests

    def parse(self, request: dict[str, Any]) -> InvokeRequest | None:
        op = request.get("op", "invoke")
        if op != "invoke":
            log.warning("unknown inbox request %r", op)
            return None
        key = request.get("reply")
        on_complete = None
        if key:
            # The API is waiting on this key (runtime/invoke_client.py).
            def on_complete(result, key=key) -> None:
                self._reply_keys.pop(id(on_complete), None)
                reply(self.client, key, result)

            self._reply_keys[id(on_complete)] = key

        return InvokeRequest(
            request["target"],
            request.get("payload"),
            source=request.get("source", "sdk"),
            on_complete=on_complete,
            qualifier=request.get("qualifier"),
            event=request.get("type", "RequestResponse") == "Event",
            client_context=request.get("client_context"),
            request_id=request.get("request_id"),  # the API's x-amzn-RequestId (runtime/invoke_client.py)
        )

    def refuse(self, request: InvokeRequest, message: str) -> None:
        """A waiting API caller learns why at once instead of timing out (nothing for requests nobody waits on)."""
        key = self._reply_keys.pop(id(request.on_complete), None)
        if key:
            reply_error(self.client, key, message)
