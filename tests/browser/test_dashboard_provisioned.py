"""Provisioned environments coming up on the function diagram: Init at allocation, then ready (semantics §9)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_provisioned_environments_are_drawn_provisioning_then_provisioned(
    page, live_url, seeded, engine_host, redis_db
):
    from invocations.models import Function
    from invocations.runtime.shared_clock import SharedClock
    from invocations.services import provisioned_concurrency_put

    SharedClock(redis_db).set_speed(0.1)  # checkout v1's 450 ms Init lasts 4.5 real seconds
    page.goto(f"{live_url}/functions/checkout/")
    expect(page.locator("#lv-conn")).to_have_text("live")
    provisioned_concurrency_put(
        function=Function.objects.get(name="checkout"), qualifier="1", provisioned_concurrent_executions=2
    )
    envs = page.locator('[data-k="envs:1"]')
    expect(envs).to_contain_text("2 provisioning (Init at allocation)", timeout=8000)
    expect(page.locator("[data-diagram] rect.env.provisioning")).to_have_count(2)
    expect(envs).to_contain_text("2 provisioned", timeout=15000)
    expect(page.locator('[data-stat="spillover"]')).to_have_text("0")
