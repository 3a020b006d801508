"""The dashboard recovers by itself after a server restart: it reconnects and takes a fresh snapshot (issue 6)."""

import threading

import pytest
from django.db import connection
from playwright.sync_api import expect

from invocations.models import Alias, Function
from invocations.services.aliases import alias_weight_set

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# While the server is down the browser itself reports each refused connection on the console; those are the
# outage, not the page's errors. Anything else (a script error above all) fails the test.
OUTAGE = ("ERR_CONNECTION_REFUSED", "WebSocket connection to")


def in_a_thread(work) -> None:
    """Run a service call off Playwright's event loop (the publisher announces through async_to_sync)."""

    def run() -> None:
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)


def test_after_the_server_restarts_the_page_reconnects_and_shows_what_changed_meanwhile(page, seeded, daphne_server):
    messages, page_errors = [], []
    page.on("console", lambda msg: messages.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    page.goto(f"{daphne_server.url}/functions/checkout/")
    status = page.locator("#lv-conn")
    expect(status).to_have_text("live")
    expect(page.locator('[data-k="wlabel:prod:2"]')).to_have_text("5% configured")

    daphne_server.stop()
    expect(status).to_have_attribute("data-state", "down", timeout=10000)
    expect(status).to_contain_text("reconnecting")
    # A change made while the page cannot hear about it: the event it announces is lost to this page.
    in_a_thread(lambda: alias_weight_set(function=Function.objects.get(name="checkout"), alias_name="prod", percent=50))
    assert Alias.objects.get(function__name="checkout", name="prod").routing_weight == 0.5
    screenshot(page, "function-checkout-server-down")

    daphne_server.start()  # the same port: the page's own retries find it
    expect(status).to_have_text("live", timeout=15000)
    expect(status).to_have_attribute("data-state", "live")
    # The fresh snapshot shows the split that changed during the outage, without a reload.
    expect(page.locator('[data-k="wlabel:prod:2"]')).to_have_text("50% configured", timeout=5000)
    expect(page.locator('[data-k="wlabel:prod:1"]')).to_have_text("50% configured")
    screenshot(page, "function-checkout-reconnected")
    assert page_errors == []
    assert [m for m in messages if not any(mark in m for mark in OUTAGE)] == []
