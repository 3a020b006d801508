"""The dashboard in real headless Chromium: the seed_demo picture, live updates, controls (issue 6)."""

import re
import time

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_function_diagram_renders_the_seed_demo_picture(page, live_url, seeded, engine_host, console_errors):
    page.goto(f"{live_url}/functions/checkout/")
    diagram = page.locator("[data-diagram]")
    # Invokers, aliases, versions and outcomes of the demo's checkout function.
    for text in (
        "SDK / CLI (sync)",
        "API Gateway checkout-api",
        "stage Prod → prod",
        "ALB target group checkout-tg",
        "Async event queue (internal)",
        "$LATEST",
        "version 1",
        "version 2",
        "Throttled (429)",
    ):
        expect(diagram.get_by_text(text, exact=True).first).to_be_visible()
    for alias in ("prod", "test", "dev"):
        expect(diagram.locator(f'[data-node="alias:{alias}"]')).to_be_visible()
    # prod's edges: 95% to v1 and 5% to v2, widths following the weights.
    expect(diagram.locator('[data-k="wlabel:prod:1"]')).to_have_text("95% configured")
    expect(diagram.locator('[data-k="wlabel:prod:2"]')).to_have_text("5% configured")
    wide = float(diagram.locator('[data-k="wedge:prod:1"]').get_attribute("stroke-width"))
    thin = float(diagram.locator('[data-k="wedge:prod:2"]').get_attribute("stroke-width"))
    assert wide > 4 * thin
    expect(page.locator("#lv-conn")).to_have_text("live")
    screenshot(page, "function-checkout")

    page.goto(f"{live_url}/functions/clickstream-processor/")
    expect(page.locator("[data-diagram]").get_by_text("Kinesis clickstream")).to_be_visible()
    expect(page.locator(".lane")).to_have_count(2)
    page.goto(f"{live_url}/functions/order-worker/")
    expect(page.locator("[data-diagram]").get_by_text("SQS orders → poller")).to_be_visible()
    expect(page.locator("[data-diagram]").get_by_text("DLQ orders-dlq: 0")).to_be_visible()
    page.goto(f"{live_url}/functions/thumbnailer/")
    expect(page.locator("[data-diagram]").get_by_text("S3 lambdaviz-uploads (async)")).to_be_visible()
    expect(page.locator("[data-diagram]").get_by_text("OnSuccess")).to_be_visible()
    expect(page.locator("[data-diagram]").get_by_text("DLQ (async)")).to_be_visible()
    screenshot(page, "function-thumbnailer")
    page.goto(f"{live_url}/")
    expect(page.get_by_role("link", name="checkout")).to_be_visible()
    expect(page.locator("#lv-conn")).to_have_text("live")
    # Screenshot the live page after its clock has ticked once (no engine host here, so no frame to wait for).
    clock = page.locator("[data-clock-time]").first
    expect(clock).to_have_text(re.compile(r"^\d\d:\d\d:\d\d$"))
    expect(clock).not_to_have_text(clock.inner_text(), timeout=3000)
    screenshot(page, "account")
    assert console_errors == []


@pytest.mark.parametrize("path", ["/", "/functions/checkout/"])
def test_the_clock_shows_the_shared_clock_where_no_engine_host_runs(
    page, live_url, seeded, redis_db, path, console_errors
):
    from invocations.runtime.shared_clock import SharedClock

    # No engine host: no frame will ever carry the time, so it comes from the page the server rendered.
    page.goto(f"{live_url}{path}")
    clock = page.locator("[data-clock-time]").first
    expect(clock).to_have_text(re.compile(r"^\d\d:\d\d:\d\d$"))
    shown = clock.inner_text()
    now = SharedClock(redis_db).now()
    near = {time.strftime("%H:%M:%S", time.gmtime(now + d)) for d in (-2, -1, 0, 1)}
    assert shown in near, (shown, sorted(near))
    expect(clock).not_to_have_text(shown, timeout=3000)  # and it runs (the shared clock is not paused)
    assert console_errors == []
