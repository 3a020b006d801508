"""Redis-restart test (issue 10): with the persistence `make run` gives its Redis (append-only, fsync every second),
a Redis killed and started again keeps every accepted async event; a Redis without persistence is named plainly."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from invocations.runtime.connection import inbox_push
from invocations.runtime.host.wiring import build_host
from invocations.runtime.persistence import persistence_warning, redis_persistence
from invocations.runtime.publisher import Publisher
from invocations.runtime.redis_store import RedisAsyncQueue, RedisQueueStore
from invocations.runtime.redis_store.async_codec import item_from_json
from invocations.runtime.shared_clock import SharedClock
from invocations.services import event_invoke_config_put, function_concurrency_put, function_create, queue_create
from invocations.services.host_adapter import DatabaseConfig, DatabaseReporter
from tests.conftest import eventually

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import run  # noqa: E402
from redis_service import server_args  # noqa: E402

from invocations.templatetags import durability  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)

EVENTS = 700  # the backlog: about 700 Event invokes against reserved concurrency 10


class _NullLayer:
    async def group_send(self, group, message):
        return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A private redis-server started exactly as `make run` starts its embedded one (redis_service.server_args)."""

    def __init__(self, data: Path, *extra: str) -> None:
        self.port, self.data, self.extra = _free_port(), data, extra
        self.proc: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen([*server_args(port=self.port, data=self.data), *self.extra])
        client = redis.Redis.from_url(self.url)

        def serving() -> bool:
            try:
                # An append-only file is loaded before the server answers commands other than PING with data.
                return not int(client.info("persistence").get("loading", 0))
            except redis.RedisError:
                return False

        eventually(serving, timeout=10, what=f"redis-server on port {self.port} to serve its data")

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture
def persisted_redis(tmp_path):
    server = RedisServer(tmp_path)
    yield server
    server.stop()


def test_a_redis_killed_and_restarted_with_make_runs_persistence_loses_no_accepted_event(persisted_redis):
    client = redis.Redis.from_url(persisted_redis.url)
    assert persistence_warning(persisted_redis.url) is None
    done = queue_create(name="restart-done")
    function = function_create(name="backlog", behaviour_profile={"duration_ms": 1000, "init_ms": 0})
    function_concurrency_put(function=function, reserved_concurrent_executions=10)
    event_invoke_config_put(function=function, destination_config={"OnSuccess": {"Destination": done.arn}})
    SharedClock(client).set_speed(1.0)
    inbox_push(
        [{"op": "invoke", "type": "Event", "target": "backlog", "payload": {"n": n}} for n in range(EVENTS)], client
    )
    host = build_host(
        client=client,
        config=DatabaseConfig(),
        reporter=DatabaseReporter(),
        publisher=Publisher(channel_layer=_NullLayer()),
        seed=3,
    )
    try:
        host.run(1.5)  # the inbox is taken into the async queue; about ten events at a time run
    finally:
        host.close()
    queue = RedisAsyncQueue(client)
    assert client.llen("lv:inbox") == 0 and len(queue) + queue.in_flight() > 0, "no backlog: the test proves nothing"

    persisted_redis.kill9()  # no chance to save anything on the way out
    persisted_redis.start()

    client = redis.Redis.from_url(persisted_redis.url)
    queue = RedisAsyncQueue(client)
    delivered = {json.loads(m.body)["requestPayload"]["n"] for m in RedisQueueStore(client).messages(done.arn)}
    waiting = {item_from_json(raw).payload["n"] for raw in client.hvals("lv:async:items")}
    assert delivered | waiting == set(range(EVENTS)), f"lost: {sorted(set(range(EVENTS)) - delivered - waiting)}"


def test_a_redis_without_persistence_is_named_in_the_start_up_log_and_the_top_bar(tmp_path, client, settings, capsys):
    bare = RedisServer(tmp_path, "--appendonly", "no")  # given last, these override make run's settings
    try:
        assert not redis_persistence(redis.Redis.from_url(bare.url)).aof
        warning = persistence_warning(bare.url)
        assert warning and "restart loses all accepted async events" in warning

        run.warn_about_redis_persistence(bare.url)  # what `make run` prints after "Redis: ..."
        assert warning in capsys.readouterr().err

        settings.REDIS_URL = bare.url
        durability._cached.clear()  # the top bar checks at most every 30 s
        page = client.get("/").content.decode()
        assert 'class="persistence-warning"' in page and "a Redis restart loses all accepted" in page
    finally:
        durability._cached.clear()
        bare.stop()
