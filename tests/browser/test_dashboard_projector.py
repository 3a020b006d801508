"""Projector mode at 1280×720: the diagram fills the first screen and no label overlaps another (issue 11, point 10)."""

import re

import pytest
from playwright.sync_api import expect

from invocations.models import Stream
from invocations.services.sources_live import stream_record_put
from invocations.services.traffic import traffic_burst_send, traffic_stream_start, traffic_stream_stop

from .conftest import ARTIFACTS, collect_console_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECTOR = {"width": 1280, "height": 720}

# Every drawn label of the diagram (SVG text with something in it), with its box on the screen and the box of the
# node it belongs to, if any. Boxes are shrunk by half a pixel: touching is not overlapping.
LABELS = """() => {
  const svg = document.querySelector('[data-diagram]');
  const box = (el) => { const r = el.getBoundingClientRect();
    return { x0: r.left + 0.5, y0: r.top + 0.5, x1: r.right - 0.5, y1: r.bottom - 0.5 }; };
  return [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim() && t.getBBox().width > 0).map((t) => {
    const node = t.closest('g.node');
    return { text: t.textContent, key: t.dataset.k || '', box: box(t),
             node: node ? node.dataset.node : null, nodeBox: node ? box(node.querySelector('rect')) : null };
  });
}"""


def overlaps(labels) -> list[str]:
    def meet(a, b):
        return a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]

    problems = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if meet(a["box"], b["box"]):
                problems.append(f"{a['text']!r} overlaps {b['text']!r}")
        if a["node"]:
            inner, outer = a["box"], a["nodeBox"]
            if (
                inner["x0"] < outer["x0"]
                or inner["x1"] > outer["x1"]
                or inner["y0"] < outer["y0"]
                or inner["y1"] > outer["y1"]
            ):
                problems.append(f"{a['text']!r} spills out of {a['node']}")
    return problems


def projector_page(browser, staff_cookie=None):
    context = browser.new_context(viewport=PROJECTOR)
    if staff_cookie:
        context.add_cookies([staff_cookie])
    context.add_init_script("localStorage.setItem('lambdaviz.projector', '1')")
    return context, context.new_page()


def assert_the_diagram_fills_the_first_screen(page) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    box = page.locator("[data-diagram]").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR["height"], box  # all of it, above the fold
    assert box["x"] >= 0 and box["x"] + box["width"] <= PROJECTOR["width"], box
    # As large as the screen lets it be: nearly the whole width, or the whole height left under the header.
    assert box["width"] >= 0.9 * PROJECTOR["width"] or box["y"] + box["height"] >= PROJECTOR["height"] - 40, box
    assert box["height"] >= 0.5 * PROJECTOR["height"] or box["width"] >= 0.9 * PROJECTOR["width"], box


def test_projector_mode_fits_the_diagram_on_the_first_screen_with_no_label_overlapping(
    browser, live_url, seeded, engine_host, redis_db, staff_cookie
):
    context, page = projector_page(browser, staff_cookie)
    errors = collect_console_errors(page)
    # The thumbnailer's async events throttled (reserved 2 for 20/s of 1.8 s each): its queue's throttle line.
    page.goto(f"{live_url}/functions/thumbnailer/")
    page.get_by_label("Reserved concurrent executions (empty = unreserved)").fill("2")
    page.get_by_role("button", name="Save reserved concurrency").click()
    expect(page.locator('[data-stat="reserved"]')).to_have_text("/ 2 reserved", timeout=8000)
    # Live labels at their longest: traffic with throttles, the observed split, retries, drops, shard positions.
    traffic_stream_start(name="proj", target="checkout:prod", rate=40)
    traffic_stream_start(name="proj-async", target="thumbnailer", rate=20, kind="async")
    stream = Stream.objects.get(name="clickstream").arn
    try:
        stream_record_put(stream=stream, partition_key="user-1", data='{"poison": true}')
        traffic_burst_send(target="clickstream-processor", count=3, kind="async", payload={"poison": True})
        for path, ready in [
            ("/functions/checkout/", '[data-k="wlabel:prod:1"]'),
            ("/functions/thumbnailer/", '[data-k="thr:async"]'),
            ("/functions/clickstream-processor/", '[data-k^="lanetext:"]'),
            ("/functions/order-worker/", '[data-k^="q:"]'),
            ("/functions/failure-alerts/", '[data-k="out:Success"]'),
        ]:
            page.goto(f"{live_url}{path}")
            expect(page.locator("#lv-conn")).to_have_text("live")
            expect(page.locator("html")).to_have_class("projector")
            expect(page.locator(ready).first).not_to_be_empty()
            if path == "/functions/checkout/":
                expect(page.locator('[data-k="wlabel:prod:1"]')).to_contain_text("observed", timeout=8000)
            if path == "/functions/clickstream-processor/":
                lanes = page.locator('[data-k^="lanetext:"]')
                # Each lane names its shard ("shard 0", not "shard :"); the poison record blocks one of them.
                expect(lanes.first).to_have_text(re.compile(r"^shard 0: (BLOCKED )?at "), timeout=8000)
                expect(lanes.nth(1)).to_have_text(re.compile(r"^shard 1: (BLOCKED )?at "))
                expect(page.locator('[data-k^="lanetext:"]', has_text="BLOCKED")).to_have_count(1, timeout=8000)
                expect(page.locator('[data-k="async-retry"]')).to_contain_text("pending", timeout=8000)
            page.wait_for_timeout(300)  # the diagram re-fitted to the screen (a ResizeObserver's next frame)
            assert_the_diagram_fills_the_first_screen(page)
            ARTIFACTS.mkdir(exist_ok=True)  # the first screen, as the class sees it
            page.screenshot(path=str(ARTIFACTS / f"projector{path.replace('/', '-').rstrip('-')}.png"))
            problems = overlaps(page.evaluate(LABELS))
            assert problems == [], f"{path}: " + "; ".join(problems)
    finally:
        traffic_stream_stop(name="proj")
        traffic_stream_stop(name="proj-async")
    assert errors == []
    context.close()
