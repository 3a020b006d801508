"""Node counts are the server's totals since the simulation started: the same after a reload (issue 11, point 9)."""

import re

import pytest
from playwright.sync_api import expect

from invocations.models import Queue
from invocations.runtime.shared_clock import SharedClock
from invocations.services.traffic import traffic_burst_send

from .conftest import collect_console_errors, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_page(browser, staff_cookie):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    context.add_cookies([staff_cookie])
    return context, context.new_page()


def test_dlq_and_destination_counts_match_the_queue_and_survive_a_reload(
    browser, live_url, seeded, engine_host, staff_cookie
):
    # semantics §2, §8: with reserved concurrency 0 an event goes straight to the DLQ and the on-failure destination
    dlq = Queue.objects.get(name="thumbnailer-dlq")
    context, page = staff_page(browser, staff_cookie)
    errors = collect_console_errors(page)
    page.goto(f"{live_url}/functions/thumbnailer/")
    expect(page.locator("#lv-conn")).to_have_text("live")
    page.get_by_label("Reserved concurrent executions (empty = unreserved)").fill("0")
    page.get_by_role("button", name="Save reserved concurrency").click()
    expect(page.locator('[data-stat="reserved"]')).to_have_text("/ 0 reserved", timeout=8000)
    traffic_burst_send(target="thumbnailer", count=4, kind="async")
    dlq_count = page.locator(f'[data-k="dest:{dlq.arn}"]')
    on_failure = page.locator('[data-node^="out:dest:"][data-node$="thumbnail-failures"] [data-k^="dest:"]')
    expect(dlq_count).to_have_text("4 delivered", timeout=10000)
    expect(on_failure).to_have_text("4 delivered")
    expect(page.locator('[data-k="async-dropped"]')).to_have_text("dropped: ZeroReservedConcurrency ×4")
    page.get_by_role("button", name="Messages in thumbnailer-dlq").click()
    expect(page.get_by_role("dialog")).to_contain_text("4 messages")  # the count agrees with the queue itself
    page.get_by_role("dialog").get_by_role("button", name="Close").click()

    page.reload()  # a page opened now starts from the server's totals, not from zero
    expect(page.locator("#lv-conn")).to_have_text("live")
    expect(dlq_count).to_have_text("4 delivered")
    expect(on_failure).to_have_text("4 delivered")
    expect(page.locator('[data-k="async-dropped"]')).to_have_text("dropped: ZeroReservedConcurrency ×4")
    # And the page says what the counts are: totals since the simulation started, at a simulated time.
    expect(page.locator("#counts-note")).to_contain_text("totals since the simulation started")
    expect(page.locator("[data-totals-since]")).to_have_text(re.compile(r"^at \d\d:\d\d:\d\d simulated$"))
    screenshot(page, "function-thumbnailer-totals")
    assert errors == []
    context.close()


def test_error_counts_come_back_whole_after_a_reload(browser, live_url, seeded, engine_host, redis_db):
    # semantics §2: a failing async event runs 3 times (2 retries), each attempt an error
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    errors = collect_console_errors(page)
    page.goto(f"{live_url}/functions/clickstream-processor/")
    expect(page.locator("#lv-conn")).to_have_text("live")
    SharedClock(redis_db).set_speed(60)  # the retries' minutes pass in seconds
    traffic_burst_send(target="clickstream-processor", count=3, kind="async", payload={"poison": True})
    expect(page.locator('[data-k="async-dropped"]')).to_have_text("dropped: RetriesExhausted ×3", timeout=20000)
    expect(page.locator('[data-stat="errors"]')).to_have_text("9")
    expect(page.locator('[data-k="out:Error"]')).to_have_text("9")
    expect(page.locator('[data-stat="total"]')).to_have_text("9")
    page.reload()
    expect(page.locator("#lv-conn")).to_have_text("live")
    for key in ('[data-stat="errors"]', '[data-k="out:Error"]', '[data-stat="total"]'):
        expect(page.locator(key)).to_have_text("9")
    expect(page.locator('[data-k="vcount:$LATEST"]')).to_have_text("9 invocations")
    assert errors == []
    context.close()
