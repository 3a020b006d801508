// The function view: live diagram with dots, charts, log tail, and (for staff) the controls.

import { Charts } from "./charts.js";
import { ClockView } from "./clock.js";
import { appRoot, escapeHtml, fmt, getJSON, initProjectorMode, simClock, toast } from "./common.js";
import { bindForms, bindSliders, setSlider } from "./controls.js";
import { asyncSourceDetail, Diagram, WIDTH } from "./diagram.js";
import { bindFifoControls, renewDedup } from "./fifo_controls.js";
import { Dots } from "./dots.js";
import { LiveSocket } from "./live.js";
import { Buckets, RateMeter } from "./series.js";
import { showDelivered, showQueueMessages } from "./viewer.js";

const root = appRoot();
const name = root.dataset.function;
const controls = root.dataset.controls === "1";
const q = (selector) => root.querySelector(selector);
const svg = q("[data-diagram]");
const clock = new ClockView(root, root.dataset.clockUrl, controls);
const diagram = new Diagram(svg);
const dots = new Dots(q("[data-dots]"), svg, WIDTH);
const charts = new Charts(q(".charts-panel"));
const buckets = new Buckets(300);
const rate = new RateMeter();
const totals = { invocations: 0, cold: 0, throttles: 0, errors: 0 };
let p50 = null;
let p95 = null;
let concurrency = 0;
let totalsFrames = null; // how many frames the totals shown had folded in (older copies are ignored)

async function loadTopology() {
  try {
    const topology = await getJSON(root.dataset.topologyUrl);
    diagram.render(topology);
    fitDiagram();
    refreshSelects(topology);
    dots.resize();
    renderDestinations();
    renderFanout(topology);
  } catch (error) {
    toast(`Could not load the diagram: ${error.message}`, "error");
  }
}
let topologyTimer = null;
function reloadTopologySoon() {
  clearTimeout(topologyTimer);
  topologyTimer = setTimeout(loadTopology, 150);
}

// Projector mode: the diagram as large as the first screen lets it be, all of it above the fold (the room under the
// header and tiles, at its own aspect ratio). Otherwise it takes the page's width.
function fitDiagram() {
  if (!diagram.height) return;
  if (!document.documentElement.classList.contains("projector")) {
    svg.style.width = "";
    return;
  }
  const top = svg.getBoundingClientRect().top + window.scrollY;
  const room = window.innerHeight - top - 6;
  const width = Math.min(q("[data-diagram-wrap]").clientWidth, (Math.max(room, 200) * WIDTH) / diagram.height);
  svg.style.width = `${Math.floor(width)}px`;
}
window.addEventListener("resize", () => { fitDiagram(); dots.resize(); });

function refreshSelects(topology) {
  const fill = (select, values, keepFirst) => {
    if (!select || select === document.activeElement) return;
    const current = select.value;
    const first = keepFirst ? [...select.options].slice(0, 1).map((o) => o.outerHTML).join("") : "";
    select.innerHTML = first + values.map((v) => `<option>${escapeHtml(v)}</option>`).join("");
    if ([...select.options].some((o) => o.value === current)) select.value = current;
  };
  const published = topology.versions.filter((v) => v !== "$LATEST");
  fill(root.querySelector("#av-primary"), topology.versions, false);
  fill(root.querySelector("#av-additional"), published, true);
  fill(root.querySelector("[data-log-version]"), topology.versions, true);
}

// A diagram node's tip (an SNS filter policy, an EventBridge pattern): on hover and on keyboard focus alike.
const tip = q("[data-diagram-tip]");
function showTip(event) {
  const node = event.target.closest?.("[data-tip]");
  if (!node) return;
  const wrap = q("[data-diagram-wrap]").getBoundingClientRect();
  const box = node.getBoundingClientRect();
  tip.textContent = node.dataset.tip;
  tip.style.left = `${box.left - wrap.left}px`;
  tip.style.top = `${box.bottom - wrap.top + 4}px`;
  tip.hidden = false;
  node.setAttribute("aria-describedby", "diagram-tip");
}
function hideTip(event) {
  if (event.target.closest?.("[data-tip]")) tip.hidden = true;
}
svg.addEventListener("mouseover", showTip);
svg.addEventListener("focusin", showTip);
svg.addEventListener("mouseout", hideTip);
svg.addEventListener("focusout", hideTip);

// Subscriptions and rules in words: what the diagram's hover titles say, for keyboards and screen readers.
function renderFanout(topology) {
  const sources = topology.invokers.async.filter((s) => s.kind === "sns" || s.kind === "eventbridge");
  q("[data-fanout]").hidden = !sources.length;
  q("#fanout-subset").hidden = !sources.length && !controls;
  q("[data-fanout-list]").innerHTML = sources.map((s) => `<li>${escapeHtml(asyncSourceDetail(s))}</li>`).join("");
}

function renderDestinations() {
  let list = q("[data-destinations]");
  if (!list) {
    list = document.createElement("div");
    list.className = "destinations";
    list.dataset.destinations = "";
    q("[data-retries]").before(list);
  }
  const destinations = diagram.destinations || [];
  // A simulated SQS queue (a mapping's queue, a redrive DLQ, a destination that is one of ours) shows the
  // messages it holds now; any other target shows the records the runtime delivered to it.
  const queues = new Set(diagram.topology.queue_arns || []);
  const delivered = destinations.filter((d) => !queues.has(d.arn));
  const queueButtons = [...queues].map((arn) => `<button type="button" data-queue="${escapeHtml(arn)}">Messages in ${escapeHtml(arn.split(":").at(-1))}</button>`);
  const parts = [];
  if (queueButtons.length) parts.push(`<span class="muted">Queues:</span> ${queueButtons.join(" ")}`);
  if (delivered.length) parts.push(`<span class="muted">Delivered records:</span> ${delivered.map((d) => `<button type="button" data-dest="${destinations.indexOf(d)}">${escapeHtml(d.label)} · ${escapeHtml(d.short)}</button>`).join(" ")}`);
  list.innerHTML = parts.length ? parts.join(" ") : `<span class="muted">No queues, DLQ or destinations for this function.</span>`;
  for (const button of list.querySelectorAll("[data-dest]")) {
    button.addEventListener("click", () => showDelivered(root, destinations[Number(button.dataset.dest)]));
  }
  for (const button of list.querySelectorAll("[data-queue]")) {
    button.addEventListener("click", () => showQueueMessages(root, button.dataset.queue));
  }
}

function onFrame(frame) {
  const fn = frame.functions?.[name];
  const now = performance.now();
  const gauges = frame.gauges;
  if (gauges) {
    concurrency = gauges.concurrency?.[name] || 0;
    const spillover = q('[data-stat="spillover"]');
    if (spillover) spillover.textContent = fmt(gauges.spillover?.[name] || 0);
    clock.update({ sim_time: gauges.sim_time, factor: gauges.clock?.factor, paused: gauges.clock?.paused });
  } else if (frame.sim_time) {
    clock.update({ sim_time: frame.sim_time });
  }
  applyTotals(frame.totals?.[name]);
  if (fn) {
    const throttles = Object.values(fn.throttles || {}).reduce((a, b) => a + b, 0);
    if (fn.duration_p50 !== null) p50 = fn.duration_p50;
    if (fn.duration_p95 !== null) p95 = fn.duration_p95;
    rate.add(frame.sim_time ?? gauges?.sim_time, fn.invocations, throttles);
    if (throttles) q(".throttle-stat").dataset.flash = String(now);
  }
  buckets.add(frame.sim_time ?? gauges?.sim_time, fn, gauges ? concurrency : null);
  diagram.frame(fn, frame.events, gauges, now, clock.now());
  if (frame.samples?.length && diagram.topology) dots.add(frame.samples, (s) => diagram.path(s));
}

// The counts since the simulation started, as the server keeps them (runtime/totals.py): the same after a reload.
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
  renderStats(); // the tiles and the diagram show the same totals at the same moment
  const since = q("[data-totals-since]");
  if (since && t.since) since.textContent = `at ${simClock(t.since)} simulated`;
}

function onEvent(event) {
  if (event.type === "ClockChanged") clock.update({ sim_time: event.sim_time, factor: event.factor, paused: event.paused });
  if (event.function && event.function !== name) return;
  if (event.type === "AliasWeightsChanged") {
    const [, weight] = Object.entries(event.weights || {})[0] || [null, 0];
    setSlider(root, event.alias, Math.round(weight * 100));
    if (!diagram.updateAlias(event.alias, event.function_version, event.weights)) reloadTopologySoon();
    else dots.resize();
  } else if (["VersionPublished", "ConcurrencyChanged", "ProvisionedConcurrencyChanged", "ApiCall"].includes(event.type)) {
    reloadTopologySoon();
  }
}

function renderStats() {
  const { perSecond } = rate.read();
  const set = (key, text) => { const el = q(`[data-stat="${key}"]`); if (el && el.textContent !== text) el.textContent = text; };
  set("rate", fmt(perSecond, perSecond < 10 ? 1 : 0));
  set("total", fmt(totals.invocations));
  set("cold", fmt(totals.cold));
  set("throttles", fmt(totals.throttles));
  set("errors", fmt(totals.errors));
  set("concurrency", fmt(concurrency));
  set("reserved", diagram.reserved === null || diagram.reserved === undefined ? "" : `/ ${diagram.reserved} reserved`);
  set("p50", p50 === null ? "–" : fmt(p50));
  set("p95", p95 === null ? "–" : fmt(p95));
  const flash = Number(q(".throttle-stat").dataset.flash || -Infinity);
  q(".throttle-stat").classList.toggle("flash", performance.now() - flash < 1200);
}
setInterval(renderStats, 250);

// The retry loop's pending retries, newest first (the diagram's async node shows how many and the next one).
const retryList = q("[data-retries] ol");
setInterval(() => {
  diagram.retries.prune(clock.now());
  diagram.retries.render(retryList, clock.now());
}, 500);

// Charts: the first time all at once, then one chart every 300 ms in turn (each redraws about every 2 s).
let chartsShown = false;
let chartTurns = 0;
setInterval(() => {
  if (document.hidden || !buckets.dirty) return;
  chartTurns += 1;
  if (chartTurns % 6 === 0) buckets.dirty = false;
  q(".charts").hidden = false;
  if (charts.draw(buckets, !chartsShown)) {
    chartsShown = true;
    q("[data-chart-empty]").hidden = true;
  }
}, 300);

// Log tail
const logEl = q("[data-log]");
async function loadLogs() {
  const version = q("[data-log-version]").value;
  try {
    const result = await getJSON(`${root.dataset.logsUrl}${version ? `?version=${encodeURIComponent(version)}` : ""}`);
    logEl.textContent = result.entries.length
      ? result.entries.map((e) => e.lines.join("\n")).join("\n")
      : version ? `No invocations of version ${version} recorded yet.` : "No invocations recorded yet.";
  } catch (error) {
    logEl.textContent = error.message;
  }
}
q("[data-log-version]").addEventListener("change", loadLogs);
q("[data-log-refresh]").addEventListener("click", loadLogs);
setInterval(() => { if (q("[data-log-follow]").checked && !document.hidden) loadLogs(); }, 3000);

if (controls) {
  bindSliders(root, () => {});
  bindForms(root, (kind) => {
    if (["alias-versions", "publish", "reserved", "provisioned", "eic"].includes(kind)) reloadTopologySoon();
    if (kind === "traffic") loadTraffic();
    if (kind === "message") renewDedup(root);
  });
  bindFifoControls(root);
}

async function loadTraffic() {
  const el = q("[data-traffic-running]");
  if (!el) return;
  try {
    const { streams } = await getJSON(root.dataset.trafficUrl);
    el.textContent = streams.length
      ? `Running streams: ${streams.map((s) => `${s.name} (${s.rate}/s ${s.kind} → ${s.target.split(":").slice(-1)[0]})`).join(", ")}`
      : "Running streams: none";
  } catch { /* shown again on the next try */ }
}
if (controls) { loadTraffic(); setInterval(loadTraffic, 5000); }

// The last minutes from the invocation records, so the charts start full rather than empty; the live frames
// then carry on. Loaded again after a reconnect, to fill what happened while the page was away.
async function loadHistory() {
  try {
    buckets.load(await getJSON(root.dataset.historyUrl));
  } catch (error) {
    toast(`Could not load the charts' history: ${error.message}`, "error");
  }
}

initProjectorMode((large) => {
  charts.large = large;
  buckets.dirty = true;
  chartsShown = false;
  requestAnimationFrame(() => { fitDiagram(); dots.resize(); if (diagram.topology) diagram.fitSources(); });
});
// The history may take a second or two on a busy SQLite: the live stream does not wait for it (Buckets.load
// replaces the seconds the history covers, so nothing is counted twice).
loadHistory();
await loadTopology();
loadLogs();
let snapshots = 0;
new LiveSocket(root.dataset.wsPath, {
  onSnapshot: (snapshot) => {
    snapshots += 1;
    if (snapshots > 1) loadHistory();
    diagram.retries.load(snapshot.pending_retries);
    diagram.retries.loadDrops(snapshot.dropped_events);
    applyTotals(snapshot.totals);
    clock.update({ factor: snapshot.account.clock_factor, paused: snapshot.account.clock_paused });
    const fn = snapshot.functions?.[0];
    if (fn && diagram.topology) {
      // A reconnect may follow changes made while we were away: take the fresh picture.
      const changed = JSON.stringify(fn.aliases) !== JSON.stringify(diagram.topology.aliases) || JSON.stringify(fn.versions) !== JSON.stringify(diagram.topology.versions);
      if (changed) reloadTopologySoon();
      for (const alias of fn.aliases) {
        const [, weight] = Object.entries(alias.additional_version_weights || {})[0] || [null, null];
        if (weight !== null) setSlider(root, alias.name, Math.round(weight * 100));
      }
    }
    if (snapshot.gauges) {
      diagram.frame(null, [], snapshot.gauges, performance.now());
      clock.update({ sim_time: snapshot.gauges.sim_time });
    }
  },
  onFrame,
  onEvent,
  statusEl: document.getElementById("lv-conn"),
});
