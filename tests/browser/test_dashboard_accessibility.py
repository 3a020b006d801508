"""Projector mode and the controls' labels, in real Chromium (issue 6: quality, "every control has a visible label
and an accessible name")."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import collect_console_errors, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECTOR = {"width": 1280, "height": 720}  # a common projector resolution

# Every visible control on the page, with the text of its visible label: a <label for>, a wrapping <label>, or
# (buttons, links) its own text. Hidden parts (a closed dialog) are skipped; they are checked when shown.
VISIBLE_CONTROLS = """() => {
  const shown = (el) => !!el && el.checkVisibility({ visibilityProperty: true }) && el.getClientRects().length > 0;
  const controls = [...document.querySelectorAll('a[href], button, input, select, textarea, [role="slider"]')]
    .filter((el) => shown(el) && el.type !== 'hidden');
  return controls.map((el, index) => {
    el.dataset.a11yIndex = String(index);
    let label = '';
    if (['BUTTON', 'A'].includes(el.tagName)) label = el.innerText;
    else {
      const labels = [...(el.labels || [])].filter(shown);
      label = labels.map((l) => l.innerText).join(' ');
    }
    return { index, what: `${el.tagName.toLowerCase()}#${el.id || el.name || el.textContent.trim().slice(0, 20)}`,
             label: label.trim() };
  });
}"""

# Key elements whose content must not spill out of them, nor out of the window sideways.
OVERFLOW = """(selectors) => {
  const problems = [];
  const page = document.documentElement;
  const width = page.clientWidth;
  if (page.scrollWidth > width + 1) problems.push(`page scrolls sideways: ${page.scrollWidth} > ${width}`);
  for (const selector of selectors) {
    const elements = document.querySelectorAll(selector);
    if (!elements.length) problems.push(`${selector}: missing`);
    for (const el of elements) {
      const box = el.getBoundingClientRect();
      if (box.right > width + 1) problems.push(`${selector} ends at ${Math.round(box.right)} > ${width}`);
      if (el.scrollWidth > el.clientWidth + 1) {
        problems.push(`${selector} content ${el.scrollWidth} wider than ${el.clientWidth}`);
      }
    }
  }
  return problems;
}"""
KEY_ELEMENTS = [
    ".topbar",
    ".stats",
    ".stat",
    ".diagram-panel",
    ".charts-panel",
    ".logs-panel",
    ".controls-grid",
    ".ctl",
    ".slider-row",
    ".retries",
]


def assert_every_control_is_labelled(page) -> int:
    controls = page.evaluate(VISIBLE_CONTROLS)
    unlabelled = [c["what"] for c in controls if not c["label"]]
    assert unlabelled == [], f"controls without a visible label: {unlabelled}"
    for control in controls:
        expect(page.locator(f'[data-a11y-index="{control["index"]}"]')).to_have_accessible_name(re.compile(r"\S"))
    return len(controls)


def test_every_control_has_a_visible_label_and_an_accessible_name(browser, live_url, seeded, staff_cookie):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    context.add_cookies([staff_cookie])
    page = context.new_page()
    errors = collect_console_errors(page)
    page.goto(f"{live_url}/functions/checkout/")
    expect(page.locator("#lv-conn")).to_have_text("live")
    assert assert_every_control_is_labelled(page) > 40  # the whole staff control set was checked
    # The slider by its label, as a screen reader announces it.
    expect(page.get_by_role("slider", name="prod weight")).to_have_attribute("aria-valuetext", "5% to version 2")
    for label in ("Rate (per simulated second)", "Alias", "Queue", "Stream", "Speed", "Version"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    # The SNS / EventBridge controls on a subscribed function's view.
    page.goto(f"{live_url}/functions/failure-alerts/")
    assert assert_every_control_is_labelled(page) > 40
    for label in ("Topic", "Message", "Event bus", "Source", "Detail type", "Detail (JSON object)"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    # The viewer dialog, once open, too.
    page.goto(f"{live_url}/functions/order-worker/")
    page.get_by_role("button", name="Messages in orders-dlq").click()
    expect(page.get_by_role("dialog", name="Messages in orders-dlq")).to_be_visible()
    assert_every_control_is_labelled(page)
    page.goto(f"{live_url}/")
    assert assert_every_control_is_labelled(page) > 5
    assert errors == []
    context.close()


def test_projector_mode_enlarges_the_text_is_remembered_and_nothing_overflows(browser, live_url, seeded, staff_cookie):
    context = browser.new_context(viewport=PROJECTOR)
    context.add_cookies([staff_cookie])
    page = context.new_page()
    errors = collect_console_errors(page)
    page.goto(f"{live_url}/functions/checkout/")
    font_size = "() => parseFloat(getComputedStyle(document.body).fontSize)"
    normal = page.evaluate(font_size)
    toggle = page.get_by_role("button", name="Projector mode")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bprojector\b"))
    large = page.evaluate(font_size)
    assert large >= 1.3 * normal

    page.reload()  # remembered
    expect(page.locator("html")).to_have_class(re.compile(r"\bprojector\b"))
    toggle = page.get_by_role("button", name="Normal mode")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#lv-conn")).to_have_text("live")
    assert page.evaluate(font_size) == large
    page.wait_for_timeout(500)  # the diagram and the charts re-laid out for the larger text
    assert page.evaluate(OVERFLOW, KEY_ELEMENTS) == []
    screenshot(page, "function-checkout-projector")
    page.goto(f"{live_url}/")
    expect(page.locator("html")).to_have_class(re.compile(r"\bprojector\b"))
    assert page.evaluate(OVERFLOW, [".topbar", ".account-grid", ".panel", "table.functions"]) == []
    screenshot(page, "account-projector")

    page.get_by_role("button", name="Normal mode").click()  # and back
    expect(page.locator("html")).not_to_have_class(re.compile(r"\bprojector\b"))
    assert page.evaluate(font_size) == normal
    page.reload()
    expect(page.get_by_role("button", name="Projector mode")).to_have_attribute("aria-pressed", "false")
    assert errors == []
    context.close()
