// The account view: concurrency gauge, invocations/s, the clock, sparklines per function, scenarios.

import { accountAlarms } from "./account_alarms.js";
import { ClockView } from "./clock.js";
import { appRoot, fmt, initProjectorMode, postJSON, toast } from "./common.js";
import { LiveSocket } from "./live.js";
import { Scheduler } from "./scheduler.js";
import { RateMeter, Sparkline } from "./series.js";

const root = appRoot();
const controls = root.dataset.controls === "1";
const scheduler = new Scheduler();
const clock = new ClockView(root, root.dataset.clockUrl, controls, scheduler);
const rate = new RateMeter();
const sparklines = new Map();
for (const canvas of root.querySelectorAll("[data-sparkline]")) {
  sparklines.set(canvas.dataset.sparkline, new Sparkline(canvas, root.querySelector(`[data-spark-value="${canvas.dataset.sparkline}"]`)));
}
let total = 0;
let throttleFlash = -Infinity;
const q = (selector) => root.querySelector(selector);

function showGauges(gauges) {
  if (!gauges) return;
  const account = gauges.account || {};
  const limit = account.limit || Number(q("[data-gauge-limit]").textContent) || 1000;
  const reserved = Object.values(gauges.reserved || {}).reduce((sum, n) => sum + (n || 0), 0);
  const inUse = account.in_use || 0;
  q("[data-gauge-inuse]").style.width = `${Math.min(100, (inUse / limit) * 100)}%`;
  q("[data-gauge-reserved]").style.width = `${Math.min(100, (reserved / limit) * 100)}%`;
  q("[data-gauge-inuse-n]").textContent = fmt(inUse);
  q("[data-gauge-limit]").textContent = fmt(limit);
  q("[data-gauge-reserved-n]").textContent = fmt(reserved);
  q("[data-gauge-unreserved-n]").textContent = account.unreserved_capacity === undefined ? "–" : fmt(account.unreserved_capacity);
  clock.update({ sim_time: gauges.sim_time, factor: gauges.clock?.factor, paused: gauges.clock?.paused });
}

function onFrame(frame) {
  let invocations = 0;
  let throttles = 0;
  for (const [name, fn] of Object.entries(frame.functions || {})) {
    invocations += fn.invocations;
    const t = Object.values(fn.throttles || {}).reduce((a, b) => a + b, 0);
    throttles += t;
    sparklines.get(name)?.add(fn.invocations + t);
  }
  total += invocations;
  rate.add(frame.sim_time ?? frame.gauges?.sim_time, invocations, throttles);
  if (throttles) throttleFlash = performance.now();
  showGauges(frame.gauges);
}

function onEvent(event) {
  if (event.type === "ClockChanged") clock.update({ sim_time: event.sim_time, factor: event.factor, paused: event.paused });
  if (event.type === "AliasWeightsChanged") {
    const row = root.querySelector(`[data-function-row="${CSS.escape(event.function)}"] [data-alias-line="${CSS.escape(event.alias)}"]`);
    if (row) {
      const extra = Object.entries(event.weights || {}).map(([v, w]) => ` + v${v} at ${Math.round(w * 100)}%`).join("");
      row.innerHTML = "";
      const strong = document.createElement("strong");
      strong.textContent = event.alias;
      row.append(strong, ` → ${event.function_version ?? ""}${extra}`);
    }
  }
}

function tick() {
  const { perSecond, throttlesPerSecond } = rate.read();
  q("[data-rate]").textContent = fmt(perSecond, perSecond < 10 ? 1 : 0);
  q("[data-total]").textContent = fmt(total);
  q("[data-throttles-n]").textContent = fmt(throttlesPerSecond, 0);
  q("[data-throttle-badge]").classList.toggle("flash", performance.now() - throttleFlash < 1200);
  for (const spark of sparklines.values()) spark.roll();
}
const alarms = accountAlarms(root);
scheduler.every(500, tick);
scheduler.every(3000, alarms.load);
scheduler.every(1000, () => { for (const spark of sparklines.values()) spark.draw(); });

for (const button of root.querySelectorAll("[data-scenario]")) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await postJSON(button.dataset.endpoint, {});
      toast(`${button.textContent.trim()}: done`);
      if (button.dataset.scenario === "seed_demo" && !sparklines.size) location.reload();
    } catch (error) {
      toast(error.message, "error");
    } finally {
      button.disabled = false;
    }
  });
}

initProjectorMode(() => { for (const spark of sparklines.values()) spark.draw(); });
new LiveSocket(root.dataset.wsPath, {
  onSnapshot: (snapshot) => {
    clock.update({ factor: snapshot.account.clock_factor, paused: snapshot.account.clock_paused });
    showGauges(snapshot.gauges);
  },
  onFrame,
  onEvent,
  statusEl: document.getElementById("lv-conn"),
});
