"""Where handlers are refused or only partly isolated, the engine host says so in its log and the top bar (issue #10:
the sandbox fails closed and says so)."""

import pytest

from invocations.runtime.host.wiring import SANDBOX_WARNING, build_host
from invocations.runtime.publisher import Publisher
from invocations.services.host_adapter import DatabaseConfig, DatabaseReporter
from invocations.templatetags import durability
from tests.runtime.test_host import CollectingLayer

pytestmark = pytest.mark.django_db(transaction=True)

REFUSED = (
    "Python handlers are refused (Runtime.SandboxUnavailable): LambdaViz cannot give handlers a private root and PID "
    "namespace here (the probe's runtime reported {}), so it will not run Python code."
)


def test_the_host_publishes_its_sandbox_warning_and_clears_a_stale_one(redis_client, caplog):
    redis_client.set(SANDBOX_WARNING, "left by a host that could not jail its handlers")
    host = build_host(
        client=redis_client,
        config=DatabaseConfig(),
        reporter=DatabaseReporter(),
        publisher=Publisher(channel_layer=CollectingLayer()),
        seed=1,
    )
    try:
        sandbox = host.python.sandbox
        published = redis_client.get(SANDBOX_WARNING)
        if sandbox.jailed:
            assert published is None
            assert "Python handlers run jailed" in caplog.text
        else:  # a machine whose kernel refuses the private root: refused, and said in both places
            assert published.decode() == sandbox.summary().removeprefix("WARNING: ")
            assert "Python handlers are refused" in caplog.text
    finally:
        host.close()


def test_the_top_bar_shows_the_running_hosts_sandbox_warning(client, redis_client):
    durability._cached.clear()  # the top bar checks at most every 30 s
    try:
        assert 'id="lv-sandbox-warning"' not in client.get("/").content.decode()
        redis_client.set(SANDBOX_WARNING, REFUSED)
        durability._cached.clear()
        page = client.get("/").content.decode()
        assert 'id="lv-sandbox-warning"' in page and "Python handlers are refused" in page
        assert "will not run Python code" in page
    finally:
        durability._cached.clear()
