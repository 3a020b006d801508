"""Throttled async invocations in the browser: on the async queue's retry loop, never a 429 (issue 11, point 6)."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import collect_console_errors, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_page(browser, staff_cookie):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    context.add_cookies([staff_cookie])
    return context, context.new_page()


def set_reserved(page, n: int) -> None:
    page.get_by_label("Reserved concurrent executions (empty = unreserved)").fill(str(n))
    page.get_by_role("button", name="Save reserved concurrency").click()
    expect(page.locator('[data-stat="reserved"]')).to_have_text(f"/ {n} reserved", timeout=8000)


def send_async_burst(page, count: int) -> None:
    page.get_by_label("Type", exact=True).select_option("async")
    page.get_by_label("Burst size").fill(str(count))
    page.get_by_role("button", name="Send burst").click()
    expect(page.locator("#lv-toast")).to_have_text("Send burst: done")


def test_throttled_event_invokes_go_round_the_async_queues_retry_loop_with_their_backoff(
    browser, live_url, seeded, engine_host, staff_cookie
):
    # semantics §2, §8: an async caller never sees a 429; throttled events are re-queued with a 1 s→5 min backoff
    context, page = staff_page(browser, staff_cookie)
    errors = collect_console_errors(page)
    page.goto(f"{live_url}/functions/checkout/")
    expect(page.locator("#lv-conn")).to_have_text("live")
    set_reserved(page, 1)
    send_async_burst(page, 40)
    expect(page.locator('[data-k="thr:async"]')).to_contain_text("throttled ×", timeout=10000)
    expect(page.locator('[data-k="thr:async"]')).to_contain_text(re.compile(r"· backoff \d+(\.\d)? s"))
    throttled_retry = page.locator("[data-retries] li[data-retry]", has_text="Throttled (backoff")
    expect(throttled_retry.first).to_be_visible()
    expect(page.locator('[data-stat="throttles"]')).not_to_have_text("0")  # the Throttles metric counts them
    # Nobody got a 429: not the SDK node, not the 429 outcome.
    expect(page.locator('[data-k="thr:sdk"]')).to_have_text("")
    expect(page.locator('[data-k="out:Throttled"]')).to_have_text("0")
    screenshot(page, "function-checkout-async-throttled")
    assert errors == []
    context.close()


def test_with_reserved_concurrency_zero_a_dropped_event_shows_as_dropped_with_its_reason(
    browser, live_url, seeded, engine_host, staff_cookie
):
    # semantics §2, §8: reserved concurrency 0 sends an event straight to its DLQ / on-failure destination, with no
    # retry; checkout has neither, so the event is lost, and the page says so.
    context, page = staff_page(browser, staff_cookie)
    errors = collect_console_errors(page)
    page.goto(f"{live_url}/functions/checkout/")
    expect(page.locator("#lv-conn")).to_have_text("live")
    set_reserved(page, 0)
    send_async_burst(page, 3)
    dropped = page.locator("[data-retries] li[data-dropped]")
    expect(dropped).to_have_count(3, timeout=10000)
    expect(dropped.first).to_contain_text("ZeroReservedConcurrency")
    expect(dropped.first).to_contain_text("no DLQ or on-failure destination: the event is lost")
    expect(page.locator('[data-k="async-dropped"]')).to_contain_text("ZeroReservedConcurrency")
    expect(page.locator('[data-k="out:Throttled"]')).to_have_text("0")
    screenshot(page, "function-checkout-async-dropped")
    assert errors == []
    context.close()


def test_dropped_events_are_still_listed_with_their_reason_after_a_reload(
    browser, live_url, seeded, engine_host, staff_cookie
):
    # semantics §2, §8: with reserved concurrency 0 and neither DLQ nor on-failure destination the event is lost;
    # the page that is reloaded (or opened later) still lists it, from the snapshot, as the live page did.
    context, page = staff_page(browser, staff_cookie)
    errors = collect_console_errors(page)
    page.goto(f"{live_url}/functions/checkout/")
    expect(page.locator("#lv-conn")).to_have_text("live")
    set_reserved(page, 0)
    send_async_burst(page, 2)
    dropped = page.locator("[data-retries] li[data-dropped]")
    expect(dropped).to_have_count(2, timeout=10000)
    live_ids = [item.get_attribute("data-dropped") for item in dropped.all()]
    live_text = [item.inner_text() for item in dropped.all()]

    page.reload()
    expect(page.locator("#lv-conn")).to_have_text("live")
    expect(dropped).to_have_count(2, timeout=10000)
    assert [item.get_attribute("data-dropped") for item in dropped.all()] == live_ids
    assert [item.inner_text() for item in dropped.all()] == live_text  # drawn exactly as the live ones were
    expect(dropped.first).to_contain_text("ZeroReservedConcurrency")
    expect(dropped.first).to_contain_text("no DLQ or on-failure destination: the event is lost")
    expect(page.locator('[data-k="async-dropped"]')).to_contain_text("ZeroReservedConcurrency ×2")
    screenshot(page, "function-checkout-async-dropped-after-reload")
    assert errors == []
    context.close()
