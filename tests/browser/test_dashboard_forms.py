"""Form errors in the browser: AWS's error next to the field it is about, until the value changes (issue 11, 11)."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import collect_console_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_refused_reserved_concurrency_shows_awss_error_next_to_the_field_until_it_changes(
    browser, live_url, seeded, staff_cookie
):
    # semantics §8: reserved concurrency must leave at least 100 unreserved (account limit 1000)
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    context.add_cookies([staff_cookie])
    page = context.new_page()
    page.clock.install()  # the page's timers run when the test says: a toast's fade comes without waiting for it
    errors = collect_console_errors(page)
    page.goto(f"{live_url}/functions/checkout/")
    field = page.get_by_label("Reserved concurrent executions (empty = unreserved)")
    field.fill("5000")
    page.get_by_role("button", name="Save reserved concurrency").click()
    error = page.locator("fieldset", has=field).locator("[data-form-error]")
    expect(error).to_have_text(
        re.compile(
            r"^InvalidParameterValueException: .*UnreservedConcurrentExecution below its minimum value of \[100\]"
        )
    )
    expect(error).to_have_attribute("role", "alert")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile("InvalidParameterValueException"))
    expect(page.locator("#lv-toast")).to_be_hidden()  # not (also) in a toast in the corner
    # Right under the field, in the same box.
    field_box, error_box = field.bounding_box(), error.bounding_box()
    assert 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 120
    assert abs(error_box["x"] - field_box["x"]) < 40

    page.clock.run_for(20_000)  # longer than any toast lives
    expect(error).to_be_visible()
    expect(error).to_contain_text("InvalidParameterValueException")

    field.fill("50")  # a new value: the old error no longer applies
    expect(error).to_be_hidden()
    expect(field).not_to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Save reserved concurrency").click()
    expect(page.locator("#lv-toast")).to_have_text("Save reserved concurrency: done")
    expect(error).to_be_empty()
    assert [e for e in errors if "400 (Bad Request)" not in e] == []  # the refused POST itself
    context.close()
