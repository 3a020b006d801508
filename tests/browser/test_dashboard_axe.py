"""axe-core in real Chromium on every page: no serious or critical violation, no console error (issue 11, point 12).

axe comes pinned with axe-playwright-python (requirements-dev.txt), which ships axe.min.js: nothing is fetched at
test time.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from invocations.services.traffic import traffic_stream_start, traffic_stream_stop

from .conftest import collect_console_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/functions/checkout/",
    "/functions/order-worker/",
    "/functions/failure-alerts/",
    "/functions/clickstream-processor/",
    "/functions/thumbnailer/",
    "/admin/login/",
]
AXE = Axe()


def serious_violations(page) -> list[str]:
    results = AXE.run(page).response
    return [
        f"{v['id']} ({v['impact']}): {', '.join(n['html'][:100] for n in v['nodes'][:3])}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
def test_no_page_has_a_serious_axe_violation_or_a_console_error(browser, live_url, seeded, staff_cookie, projector):
    for staff in (False, True) if not projector else (True,):
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        if staff:
            context.add_cookies([staff_cookie])
        if projector:
            context.add_init_script("localStorage.setItem('lambdaviz.projector', '1')")
        page = context.new_page()
        errors = collect_console_errors(page)
        for path in PAGES:
            page.goto(f"{live_url}{path}")
            if not path.startswith("/admin/"):
                expect(page.locator("#lv-conn")).to_have_text("live")  # the badge axe found too faint
                expect(page.locator("html")).to_have_class(re.compile(r"\bprojector\b") if projector else "")
            assert serious_violations(page) == [], f"{path} (staff={staff})"
        assert errors == [], f"console errors (staff={staff}): {errors}"
        context.close()


def test_favicon_is_served(page, live_url):
    response = page.request.get(f"{live_url}/favicon.ico")
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/svg+xml")


def test_live_states_have_no_serious_axe_violation(browser, live_url, seeded, engine_host, staff_cookie):
    # What only shows while the class watches: the throttle tile flashing, a field's error, the records dialog.
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    context.add_cookies([staff_cookie])
    page = context.new_page()
    errors = collect_console_errors(page)
    page.goto(f"{live_url}/functions/checkout/")
    expect(page.locator("#lv-conn")).to_have_text("live")
    reserved = page.get_by_label("Reserved concurrent executions (empty = unreserved)")
    reserved.fill("0")
    page.get_by_role("button", name="Save reserved concurrency").click()
    expect(page.locator('[data-stat="reserved"]')).to_have_text("/ 0 reserved", timeout=8000)
    traffic_stream_start(name="axe", target="checkout:prod", rate=30)
    try:
        expect(page.locator(".throttle-stat")).to_have_class(re.compile(r"\bflash\b"), timeout=10000)
        reserved.fill("5000")
        page.get_by_role("button", name="Save reserved concurrency").click()
        expect(page.locator('[data-form="reserved"] [data-form-error]')).not_to_be_empty()
        assert serious_violations(page) == []
    finally:
        traffic_stream_stop(name="axe")
    page.goto(f"{live_url}/functions/order-worker/")
    page.get_by_role("button", name="Messages in orders-dlq").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    assert serious_violations(page) == []
    assert [e for e in errors if "400 (Bad Request)" not in e] == []  # the refused POST itself
    context.close()
