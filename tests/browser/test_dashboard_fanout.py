"""SNS and EventBridge on the function view: the async source nodes, and publishing from the Sources panel
makes the subscriber run, with its dots leaving the SNS node (issue 6)."""

import pytest
from playwright.sync_api import expect

from tests.conftest import eventually

from .conftest import collect_console_errors, screenshot
from .test_dashboard_live import staff_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Lines of the async source nodes that end beyond their node's box.
SPILLING = """() => [...document.querySelectorAll('[data-node^="async-src:"]')].flatMap((g) => {
  const box = g.querySelector('rect').getBBox();
  return [...g.querySelectorAll('text')]
    .filter((t) => t.getBBox().x + t.getBBox().width > box.x + box.width)
    .map((t) => t.textContent);
})"""


def test_publishing_to_the_topic_invokes_failure_alerts_from_its_sns_node(
    browser, live_url, seeded, engine_host, staff_cookie
):
    context, page = staff_page(browser, staff_cookie)
    errors = collect_console_errors(page)
    page.goto(f"{live_url}/functions/failure-alerts/")
    expect(page.locator("#lv-conn")).to_have_text("live")

    sns = page.locator('[data-node="async-src:0"]')
    expect(sns).to_contain_text("SNS thumbnail-failures")
    expect(sns).to_contain_text("no filter policy: every message")
    expect(page.locator('[data-node="async-src:1"]')).to_contain_text("EventBridge default/lambda-failures")
    # The filter policy / pattern in words (for keyboards and screen readers) and the supported subset.
    expect(page.locator("[data-fanout-list]")).to_contain_text('event pattern {"source":["lambda"]')
    expect(page.locator("#fanout-subset")).to_be_visible()
    # The same on the nodes: hover or keyboard focus shows the whole policy / pattern in a tooltip.
    tip = page.get_by_role("tooltip")
    sns.hover()
    expect(tip).to_have_text("SNS thumbnail-failures → $LATEST: no filter policy (every message)")
    page.mouse.move(5, 5)
    expect(tip).to_be_hidden()
    rule = page.locator('[data-node="async-src:1"]')
    expect(rule).to_have_attribute("tabindex", "0")
    rule.focus()
    expect(tip).to_contain_text('event pattern {"source":["lambda"],"detail-type":["Lambda Function Invocation')
    expect(rule).to_have_attribute("aria-describedby", "diagram-tip")
    rule.blur()
    expect(tip).to_be_hidden()
    expect(page.locator('[data-k="src:0"]')).to_have_text("async → $LATEST · 0 attempts")
    assert page.evaluate(SPILLING) == []

    page.get_by_label("Topic", exact=True).select_option(label="thumbnail-failures")
    page.get_by_label("Message", exact=True).fill('{"alert": "from the browser"}')
    page.get_by_role("button", name="Publish message").click()
    expect(page.get_by_role("status").filter(has_text="Published: MessageId")).to_be_visible(timeout=5000)

    expect(page.locator('[data-stat="total"]')).not_to_have_text("0", timeout=10000)
    expect(page.locator('[data-k="src:0"]')).to_have_text("async → $LATEST · 1 attempt", timeout=5000)
    eventually(lambda: int(sns.get_attribute("data-dots") or 0) >= 1, interval=0.1, what="a dot from the SNS node")
    expect(page.locator('[data-k="src:1"]')).to_have_text("async → $LATEST · 0 attempts")  # nothing came from the bus
    screenshot(page, "function-failure-alerts-sns")

    # A refused publish shows AWS's error next to the fields.
    page.get_by_label("Message", exact=True).fill("")
    page.get_by_role("button", name="Publish message").click()
    expect(page.get_by_role("alert").filter(has_text="InvalidParameterValueException")).to_contain_text(
        "Invalid parameter: Empty message"
    )
    page.get_by_role("button", name="Projector mode").click()
    page.wait_for_timeout(500)  # re-laid out for the larger text
    assert page.evaluate(SPILLING) == []
    screenshot(page, "function-failure-alerts-projector")
    assert [e for e in errors if "400" not in e] == []
    context.close()


def test_the_publisher_of_the_destination_topic_names_who_is_subscribed(page, live_url, seeded, console_errors):
    page.goto(f"{live_url}/functions/thumbnailer/")
    destination = page.locator('[data-node$=":thumbnail-failures"]')
    expect(destination).to_contain_text("OnFailure")
    expect(destination).to_contain_text("→ failure-alerts")
    destination.focus()
    expect(page.get_by_role("tooltip")).to_have_text(
        "thumbnail-failures passes records on to failure-alerts (subscription)"
    )
    assert page.get_by_role("button", name="Publish message").count() == 0  # anonymous: read-only
    screenshot(page, "function-thumbnailer-chain")
    assert console_errors == []
