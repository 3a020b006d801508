"""The live stream over a real Redis channel layer: snapshot on connect, then frames and events (issue 4, point 5)."""

import random

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from invocations.engine.events import InvocationType, Throttled
from invocations.runtime.publisher import Publisher
from invocations.services.demo import demo_seed
from lambdaviz.asgi import application

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]


async def connect(path: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, path, headers=ORIGIN)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    return communicator


async def test_a_client_gets_a_snapshot_first_then_frames_with_throttles():
    account = await connect("/ws/live/")
    function = await connect("/ws/live/checkout/")
    other = await connect("/ws/live/thumbnailer/")
    for communicator in (account, function, other):
        first = await communicator.receive_json_from(timeout=5)
        assert first["type"] == "snapshot"

    publisher = Publisher(interval=0.0, channel_layer=get_channel_layer())
    publisher.aggregator = type(publisher.aggregator)(random.Random(3))
    publisher.emit(
        Throttled(
            1.0,
            "rid-1",
            "checkout",
            "prod",
            "prod",
            "1",
            "ReservedFunctionConcurrentInvocationLimitExceeded",
            "sdk",
            InvocationType.REQUEST_RESPONSE,
        )
    )
    assert await sync_to_async(publisher.flush)()

    for communicator in (account, function):
        frame = await communicator.receive_json_from(timeout=5)
        assert frame["type"] == "frame"
        assert frame["functions"]["checkout"]["throttles"] == {"ReservedFunctionConcurrentInvocationLimitExceeded": 1}
        assert frame["events"][0]["type"] == "Throttled"
    assert await other.receive_nothing(timeout=0.3)
    for communicator in (account, function, other):
        await communicator.disconnect()


async def test_announcements_reach_the_account_and_the_function():
    account = await connect("/ws/live/")
    function = await connect("/ws/live/checkout/")
    for communicator in (account, function):
        await communicator.receive_json_from(timeout=5)
    publisher = Publisher(channel_layer=get_channel_layer())
    await sync_to_async(publisher.announce)("AliasWeightsChanged", "checkout", alias="prod", weights={"2": 0.5})
    for communicator in (account, function):
        message = await communicator.receive_json_from(timeout=5)
        assert message["event"]["type"] == "AliasWeightsChanged"
        assert message["event"]["weights"] == {"2": 0.5}
        await communicator.disconnect()


async def test_a_foreign_origin_is_refused():
    communicator = WebsocketCommunicator(application, "/ws/live/", headers=[(b"origin", b"http://evil.example")])
    connected, _ = await communicator.connect(timeout=5)
    assert not connected


async def test_the_snapshot_holds_the_seeded_picture_so_a_late_joiner_is_whole():
    await sync_to_async(demo_seed)()
    communicator = await connect("/ws/live/checkout/")
    snapshot = (await communicator.receive_json_from(timeout=5))["snapshot"]
    (checkout,) = snapshot["functions"]
    assert checkout["versions"] == ["$LATEST", "1", "2"]
    aliases = {a["name"]: a for a in checkout["aliases"]}
    assert aliases["prod"]["function_version"] == "1"
    assert aliases["prod"]["additional_version_weights"] == {"2": 0.05}
    assert aliases["dev"]["function_version"] == "$LATEST"
    assert snapshot["account"]["concurrency_limit"] == 1000
    await communicator.disconnect()
