"""Live behaviour in the browser: the alias slider, traffic, throttles, permissions (issue 6)."""

import pytest
from playwright.sync_api import expect

from invocations.models import AccountSettings, Alias, FunctionConcurrency
from tests.conftest import eventually

from .conftest import collect_console_errors, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_page(browser, staff_cookie):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    context.add_cookies([staff_cookie])
    return context, context.new_page()


def test_dragging_the_prod_slider_to_50_updates_the_alias_and_a_second_browser_sees_it(
    browser, live_url, seeded, engine_host, staff_cookie
):
    context, page = staff_page(browser, staff_cookie)
    watcher_context = browser.new_context(viewport={"width": 1500, "height": 1000})
    watcher = watcher_context.new_page()
    errors = []
    for p in (page, watcher):
        p.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        p.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_url}/functions/checkout/")
    watcher.goto(f"{live_url}/functions/checkout/")
    for p in (page, watcher):
        expect(p.locator("#lv-conn")).to_have_text("live")
    expect(watcher.locator('[data-k="wlabel:prod:2"]')).to_have_text("5% configured")
    assert watcher.get_by_role("slider").count() == 0  # the watcher is anonymous: read-only

    slider = page.get_by_role("slider", name="prod weight")
    expect(slider).to_have_attribute("aria-valuenow", "5")
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.05, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2, steps=5)
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    expect(slider).to_have_attribute("aria-valuenow", "50")

    eventually(lambda: Alias.objects.get(function__name="checkout", name="prod").routing_weight == 0.5)
    # The second browser redraws the split without a reload.
    expect(watcher.locator('[data-k="wlabel:prod:2"]')).to_have_text("50% configured", timeout=5000)
    expect(watcher.locator('[data-k="wlabel:prod:1"]')).to_have_text("50% configured")
    # Keyboard: arrow keys move it, and the change is saved too.
    slider.focus()
    page.keyboard.press("ArrowRight")
    eventually(lambda: Alias.objects.get(function__name="checkout", name="prod").routing_weight == 0.51)
    expect(watcher.locator('[data-k="wlabel:prod:2"]')).to_have_text("51% configured", timeout=5000)
    screenshot(page, "function-checkout-staff")
    assert errors == []
    context.close()
    watcher_context.close()


def test_starting_traffic_makes_the_counters_and_dots_move(browser, live_url, seeded, engine_host, staff_cookie):
    context, page = staff_page(browser, staff_cookie)
    page.goto(f"{live_url}/functions/checkout/")
    expect(page.locator("#lv-conn")).to_have_text("live")
    expect(page.locator('[data-stat="total"]')).to_have_text("0")
    page.get_by_label("Rate (per simulated second)").fill("50")
    page.get_by_role("button", name="Start traffic").click()
    expect(page.locator("[data-traffic-running]")).to_contain_text("checkout-dash", timeout=8000)
    expect(page.locator('[data-stat="total"]')).not_to_have_text("0", timeout=8000)
    first = int(page.locator('[data-stat="total"]').inner_text())
    eventually(lambda: int(page.locator("[data-dots]").get_attribute("data-dots-drawn") or 0) > 5, interval=0.1)
    eventually(lambda: int(page.locator('[data-stat="total"]').inner_text()) > first, interval=0.1)
    expect(page.locator('[data-k="out:Success"]')).not_to_have_text("0")
    expect(page.locator('[data-k="wlabel:prod:1"]')).to_contain_text("observed")
    expect(page.locator(".charts .main-svg").first).to_be_visible(timeout=5000)
    expect(page.locator("[data-log]")).to_contain_text("REPORT RequestId", timeout=8000)
    # The screenshot shows dots in flight: wait until twenty more have been drawn, not for a fixed second.
    drawn = int(page.locator("[data-dots]").get_attribute("data-dots-drawn") or 0)
    eventually(
        lambda: int(page.locator("[data-dots]").get_attribute("data-dots-drawn") or 0) >= drawn + 20, interval=0.1
    )
    screenshot(page, "function-checkout-traffic")
    page.get_by_role("button", name="Stop traffic").click()
    expect(page.locator("[data-traffic-running]")).to_have_text("Running streams: none", timeout=8000)
    context.close()


def test_reserved_concurrency_zero_makes_throttles_appear(browser, live_url, seeded, engine_host, staff_cookie):
    context, page = staff_page(browser, staff_cookie)
    page.goto(f"{live_url}/functions/checkout/")
    expect(page.locator("#lv-conn")).to_have_text("live")
    page.get_by_label("Reserved concurrent executions (empty = unreserved)").fill("0")
    page.get_by_role("button", name="Save reserved concurrency").click()
    eventually(
        lambda: FunctionConcurrency.objects.filter(function__name="checkout", reserved_concurrent_executions=0).exists()
    )
    page.get_by_label("Rate (per simulated second)").fill("30")
    page.get_by_role("button", name="Start traffic").click()
    expect(page.locator('[data-stat="throttles"]')).not_to_have_text("0", timeout=10000)
    expect(page.locator('[data-k="out:Throttled"]')).not_to_have_text("0")
    expect(page.locator('[data-k="thr:sdk"]')).to_contain_text("429")
    expect(page.locator('[data-k="meter-text"]')).to_contain_text("reserved 0")
    expect(page.locator('[data-k="out:Success"]')).to_have_text("0")
    # The prod alias was called, but nothing ran: its calls show as throttled, not as invocations, and there is no
    # observed split (it counts executed invocations only).
    expect(page.locator('[data-k="athr:prod"]')).to_contain_text("throttled")
    expect(page.locator('[data-k="acount:prod"]')).to_have_text("0 invocations")
    expect(page.locator('[data-k="wlabel:prod:1"]')).to_have_text("95% configured")
    # A later frame must have been drawn before the screenshot: the throttle count moves on from what it shows now.
    throttles = page.locator('[data-stat="throttles"]')
    expect(throttles).not_to_have_text(throttles.inner_text(), timeout=8000)
    screenshot(page, "function-checkout-throttled")
    page.goto(f"{live_url}/")
    expect(page.locator("[data-throttles-n]")).not_to_have_text("0", timeout=8000)
    expect(page.locator("[data-throttle-badge]")).to_have_class("throttle-badge flash")
    screenshot(page, "account-throttled")
    context.close()


def test_an_anonymous_visitor_sees_no_controls_and_a_forged_post_is_refused(page, live_url, seeded, console_errors):
    page.goto(f"{live_url}/functions/checkout/")
    expect(page.locator("[data-diagram] [data-node='alias:prod']")).to_be_visible()
    expect(page.get_by_text("Read-only view.")).to_be_visible()
    assert page.get_by_role("slider").count() == 0
    assert page.locator("section.controls").count() == 0
    assert page.get_by_role("button", name="Start traffic").count() == 0
    page.goto(f"{live_url}/")
    assert page.locator("[data-scenario]").count() == 0
    screenshot(page, "account-anonymous")
    # A forged POST from the page (no CSRF token, no staff session) changes nothing.
    status = page.evaluate(
        """async (url) => (await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'},
             body: JSON.stringify({weight: 90})})).status""",
        f"{live_url}/dashboard/api/functions/checkout/aliases/prod/weight",
    )
    assert status == 403
    assert Alias.objects.get(function__name="checkout", name="prod").routing_weight == 0.05
    assert [e for e in console_errors if "403" not in e] == []


def test_the_account_page_scenarios_and_clock_post_to_the_urls_the_server_rendered(
    browser, live_url, seeded, redis_db, staff_cookie
):
    context, page = staff_page(browser, staff_cookie)
    errors = collect_console_errors(page)
    page.goto(f"{live_url}/")
    expect(page.locator("#lv-conn")).to_have_text("live")
    page.get_by_role("button", name="Canary 50/50").click()
    expect(page.locator("#lv-toast")).to_have_text("Canary 50/50: done")
    eventually(lambda: Alias.objects.get(function__name="checkout", name="prod").routing_weight == 0.5)
    page.get_by_label("Speed").select_option("2")
    expect(page.locator("[data-clock-factor]").first).to_have_text("×2")
    eventually(lambda: AccountSettings.load().clock_factor == 2)
    assert errors == []
    context.close()


def test_the_alias_versions_form_posts_to_the_url_of_the_chosen_alias(browser, live_url, seeded, staff_cookie):
    context, page = staff_page(browser, staff_cookie)
    page.goto(f"{live_url}/functions/checkout/")
    page.get_by_label("Alias", exact=True).select_option("test")
    page.get_by_label("Primary version").select_option("1")
    page.get_by_label("Additional version").select_option("")
    page.get_by_role("button", name="Update alias").click()
    expect(page.locator("#lv-toast")).to_have_text("Update alias: done")
    eventually(lambda: Alias.objects.get(function__name="checkout", name="test").function_version == "1")
    assert Alias.objects.get(function__name="checkout", name="prod").routing_weight == 0.05  # only the chosen one
    context.close()


def test_an_alias_counts_executed_invocations_and_its_throttled_calls_apart(page, live_url, seeded, console_errors):
    # A frame's edges for prod: 14 calls (10 by the SDK, 4 by API Gateway), 8 of them ran (6 on v1, 2 on v2).
    page.goto(f"{live_url}/functions/checkout/")
    split = page.evaluate(
        """async () => {
          const { aliasTraffic } = await import('/static/invocations/js/diagram/state.js');
          const edges = {'sdk->prod': 10, 'apigateway->prod': 4, 'prod->1': 6, 'prod->2': 2,
                         'sdk->dev': 3, 'dev->$LATEST': 3, 'sdk->1': 5};
          return aliasTraffic(edges, [{name: 'prod'}, {name: 'dev'}, {name: 'test'}]);
        }"""
    )
    assert split == {
        "prod": {"calls": 14, "executed": 8, "throttled": 6, "byVersion": {"1": 6, "2": 2}},
        "dev": {"calls": 3, "executed": 3, "throttled": 0, "byVersion": {"$LATEST": 3}},
    }
    assert console_errors == []
