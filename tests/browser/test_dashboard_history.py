"""What the function view shows from what already happened: chart history, queue contents, pending retries."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from invocations.engine.events import InvocationCompleted, InvocationType, Throttled
from invocations.engine.outcomes import InvokeResult, Outcome
from invocations.models import Queue
from invocations.runtime.metrics.writer import MetricWriter
from invocations.runtime.shared_clock import SharedClock
from invocations.services.sources_live import queue_message_send
from invocations.services.traffic import traffic_stream_start, traffic_stream_stop

from .conftest import collect_console_errors, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The sum of every trace of every chart, by chart and trace name (plotly keeps the data on its element).
CHART_TOTALS = """() => Object.fromEntries([...document.querySelectorAll('[data-chart]')].map((el) => [
  el.dataset.chart,
  Object.fromEntries((el.data || []).map((t) => [t.name, (t.y || []).reduce((a, b) => a + (b || 0), 0)])),
]))"""


def _completed(at, *, version="1", outcome=Outcome.SUCCESS, cold=False):
    result = InvokeResult("rid", outcome, 200, version, None, cold_start=cold, duration_ms=100.0)
    return InvocationCompleted(
        at, result, "sdk", InvocationType.REQUEST_RESPONSE, "checkout", "prod", "prod", 1, at - 0.1
    )


def _throttled(at):
    reason = "ReservedFunctionConcurrentInvocationLimitExceeded"
    return Throttled(at, "t", "checkout", "prod", "prod", "1", reason, "sdk", InvocationType.REQUEST_RESPONSE)


def test_the_charts_show_the_last_minutes_as_soon_as_the_page_opens(page, live_url, seeded, redis_db, console_errors):
    # No engine host runs: whatever the charts show comes from the metric store (issue 13), not from live frames.
    now = SharedClock(redis_db).now()
    start = int(now) - 120
    writer = MetricWriter(redis_db, second_retention_s=3600, minute_retention_s=86400)
    for i in range(60):
        writer.emit(_completed(start + i + 0.5, cold=i < 3))
        writer.observe_concurrency(start + i + 0.5, [("checkout", "1", False)])
    for i in range(0, 60, 3):
        writer.emit(_completed(start + i + 0.5, version="2", outcome=Outcome.FUNCTION_ERROR))
    for i in range(0, 60, 6):
        writer.emit(_throttled(start + i + 0.5))
    writer.flush(now, final=True)

    page.goto(f"{live_url}/functions/checkout/")
    expect(page.locator(".charts .main-svg").first).to_be_visible(timeout=5000)
    expect(page.locator("[data-chart-empty]")).to_be_hidden()
    page.wait_for_function("() => document.querySelector('[data-chart=\"cold\"]').data !== undefined")
    totals = page.evaluate(CHART_TOTALS)
    assert totals["versions"] == {"v1": 60, "v2": 20}
    assert totals["errors"] == {"errors": 20, "timeouts": 0}
    assert totals["throttles"] == {"throttles": 10}
    assert totals["cold"] == {"cold starts": 3}
    assert totals["duration"]["p50"] == pytest.approx(100.0 * 60)  # one p50 of 100 ms per second with records
    assert totals["concurrency"]["concurrent executions"] == pytest.approx(60)  # one busy sample a second
    screenshot(page, "function-checkout-history")
    assert console_errors == []


def test_a_dead_letter_queue_shows_its_messages_read_only(page, live_url, seeded, redis_db, console_errors):
    dlq = Queue.objects.get(name="orders-dlq")
    queue_message_send(queue=dlq.arn, body='{"order": 42, "poison": true}')
    page.goto(f"{live_url}/functions/order-worker/")
    page.get_by_role("button", name="Messages in orders-dlq").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("1 message (1 visible, 0 in flight), read-only:")
    expect(dialog).to_contain_text('"order": 42')
    expect(dialog).to_contain_text("received 0 times")
    expect(dialog).to_contain_text('"ApproximateReceiveCount":"0"')
    screenshot(page, "function-order-worker-dlq")
    dialog.get_by_role("button", name="Close").click()
    page.get_by_role("button", name="Messages in orders", exact=True).click()
    expect(dialog).to_contain_text("The queue is empty.")
    assert console_errors == []


def test_pending_retries_are_listed_newest_first_and_leave_when_settled(
    page, live_url, seeded, engine_host, redis_db, console_errors
):
    # semantics §2: a failed async event is retried after about 1 and then 2 minutes, then dropped
    page.goto(f"{live_url}/functions/clickstream-processor/")
    expect(page.locator("#lv-conn")).to_have_text("live")
    traffic_stream_start(name="poison", target="clickstream-processor", rate=10, kind="async", payload={"poison": True})
    retries = page.locator("[data-retries] li[data-retry]")
    expect(retries).to_have_count(8, timeout=10000)  # bounded: the newest eight of more
    expect(page.locator("[data-retries] li").last).to_contain_text("more")
    expect(retries.first).to_contain_text("attempt 2 at")
    expect(retries.first).to_contain_text("FunctionError")
    expect(page.locator('[data-k="async-retry"]')).to_contain_text("pending · next")
    screenshot(page, "function-clickstream-retries")
    traffic_stream_stop(name="poison")
    # A page opened now (or reconnecting) takes the waiting retries from its snapshot: no new event is coming
    # for a simulated minute.
    page.reload()
    expect(page.locator("#lv-conn")).to_have_text("live")
    expect(retries).to_have_count(8)
    expect(retries.first).to_contain_text("attempt 2 at")
    # Minutes pass in seconds: every event gets its last attempt, fails, and is dropped (RetriesExhausted).
    SharedClock(redis_db).set_speed(60)
    expect(page.locator("[data-retries] li[data-retry]")).to_have_count(0, timeout=20000)
    expect(page.locator('[data-k="async-retry"]')).to_have_text("no retries scheduled")
    expect(page.locator('[data-k="async-dropped"]')).to_contain_text("dropped: RetriesExhausted ×")
    assert int(page.locator("[data-retries] ol").get_attribute("data-settled")) > 0
    assert console_errors == []


# The versions chart's x range as plotly resolved it (a date string in the page's time zone, UTC here).
VERSIONS_RANGE = "() => document.querySelector('[data-chart=\"versions\"]')._fullLayout?.xaxis.range"


def test_the_charts_axes_follow_the_live_frames_before_any_invocation(browser, live_url, seeded, engine_host):
    # Frames with gauges only (nothing invoked failure-alerts yet) draw the charts without a single trace of the
    # versions chart: its axis must still be the simulated minutes, not plotly's empty default around 00:00:00.
    context = browser.new_context(timezone_id="UTC")
    page = context.new_page()
    errors = collect_console_errors(page)
    page.goto(f"{live_url}/functions/failure-alerts/")
    expect(page.locator(".charts .main-svg").first).to_be_visible(timeout=8000)
    page.wait_for_function(f"() => ({VERSIONS_RANGE})() !== undefined")
    first, last = page.evaluate(VERSIONS_RANGE)
    now = SharedClock(engine_host.client).now()
    to_epoch = lambda text: datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()  # noqa: E731
    assert now - 600 < to_epoch(first) < to_epoch(last) < now + 60
    assert errors == []
    context.close()
