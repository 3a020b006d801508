import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { Scheduler } from "../../static/invocations/js/scheduler.js";

// A hand-driven clock with one pending timer, as the page's one setTimeout would be.
function fakeTimers() {
  const clock = { t: 0, timer: null, armed: 0 };
  clock.now = () => clock.t;
  clock.setTimer = (run, ms) => {
    clock.armed += 1;
    clock.timer = { run, at: clock.t + ms };
    return clock.timer;
  };
  clock.clearTimer = (timer) => {
    if (clock.timer === timer) clock.timer = null;
  };
  clock.advance = (ms) => {
    const end = clock.t + ms;
    while (clock.timer && clock.timer.at <= end) {
      const { run, at } = clock.timer;
      clock.timer = null;
      clock.t = at;
      run();
    }
    clock.t = end;
  };
  return clock;
}

describe("the scheduler", () => {
  test("runs each task at its own period with one timer", () => {
    const clock = fakeTimers();
    const scheduler = new Scheduler(clock);
    const runs = { fast: [], slow: [] };
    scheduler.every(250, () => runs.fast.push(clock.t)).every(1000, () => runs.slow.push(clock.t));
    clock.advance(2000);
    assert.deepEqual(runs.fast, [250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
    assert.deepEqual(runs.slow, [1000, 2000]);
    assert.ok(clock.timer, "one timer stays armed");
  });

  test("a task that throws does not stop the others", (t) => {
    t.mock.method(console, "error", () => {});
    const clock = fakeTimers();
    const scheduler = new Scheduler(clock);
    let ran = 0;
    scheduler.every(100, () => {
      throw new Error("boom");
    });
    scheduler.every(100, () => {
      ran += 1;
    });
    clock.advance(300);
    assert.equal(ran, 3);
  });

  test("a late page skips what it missed rather than catching up", () => {
    const clock = fakeTimers();
    const scheduler = new Scheduler(clock);
    const runs = [];
    scheduler.every(100, () => runs.push(clock.t));
    clock.timer.at = 1050; // the page was in the background
    clock.advance(1200);
    assert.deepEqual(runs, [1050, 1100, 1200]);
  });

  test("stops", () => {
    const clock = fakeTimers();
    const scheduler = new Scheduler(clock);
    let ran = 0;
    scheduler.every(100, () => {
      ran += 1;
    });
    scheduler.stop();
    clock.advance(500);
    assert.equal(ran, 0);
  });
});
