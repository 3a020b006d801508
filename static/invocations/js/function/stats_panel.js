// The function view's tiles: invocations per second, totals since the simulation started, concurrency,
// durations and the provisioned-concurrency spillover.

import { fmt, simClock } from "../common.js";
import { RateMeter } from "../series.js";

const FLASH_MS = 1200; // the throttles tile flashes this long after a throttle

export function statsPanel(root, diagram) {
  const q = (selector) => root.querySelector(selector);
  // Found once: the tiles stay where they are.
  const tiles = Object.fromEntries([...root.querySelectorAll("[data-stat]")].map((el) => [el.dataset.stat, el]));
  const throttleTile = q(".throttle-stat");
  const since = q("[data-totals-since]");
  const rate = new RateMeter();
  const totals = { invocations: 0, cold: 0, throttles: 0, errors: 0 };
  let p50 = null;
  let p95 = null;
  let concurrency = 0;
  let flashAt = -Infinity;
  let totalsFrames = null; // how many frames the totals shown had folded in (older copies are ignored)

  const set = (key, text) => {
    const el = tiles[key];
    if (el && el.textContent !== text) el.textContent = text;
  };

  function render() {
    const { perSecond } = rate.read();
    set("rate", fmt(perSecond, perSecond < 10 ? 1 : 0));
    set("total", fmt(totals.invocations));
    set("cold", fmt(totals.cold));
    set("throttles", fmt(totals.throttles));
    set("errors", fmt(totals.errors));
    set("concurrency", fmt(concurrency));
    set("reserved", diagram.reserved === null || diagram.reserved === undefined ? "" : `/ ${diagram.reserved} reserved`);
    set("p50", p50 === null ? "–" : fmt(p50));
    set("p95", p95 === null ? "–" : fmt(p95));
    throttleTile.classList.toggle("flash", performance.now() - flashAt < FLASH_MS);
  }

  function gauges(g, name) {
    concurrency = g.concurrency?.[name] || 0;
    set("spillover", fmt(g.spillover?.[name] || 0));
    return concurrency;
  }

  function frame(fn, simTime, now) {
    const throttles = Object.values(fn.throttles || {}).reduce((a, b) => a + b, 0);
    if (fn.duration_p50 !== null) p50 = fn.duration_p50;
    if (fn.duration_p95 !== null) p95 = fn.duration_p95;
    rate.add(simTime, fn.invocations, throttles);
    if (throttles) flashAt = now;
  }

  // The counts since the simulation started, as the server keeps them (runtime/totals.py): the same after a
  // reload. The diagram takes them at the same moment as the tiles.
  function applyTotals(t) {
    if (!t || (totalsFrames !== null && (t.frames || 0) < totalsFrames)) return;
    totalsFrames = t.frames || 0;
    totals.invocations = t.invocations || 0;
    totals.cold = t.cold_starts || 0;
    totals.throttles = Object.values(t.throttled_by || {}).reduce((a, b) => a + b, 0);
    totals.errors = 0;
    for (const outcomes of Object.values(t.by_version || {})) {
      for (const [outcome, n] of Object.entries(outcomes)) if (outcome !== "Success" && outcome !== "Throttled") totals.errors += n;
    }
    diagram.totals(t);
    render();
    if (since && t.since) since.textContent = `at ${simClock(t.since)} simulated`;
  }

  return { render, gauges, frame, applyTotals, concurrency: () => concurrency };
}
