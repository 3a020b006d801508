// The function view: live diagram with dots, charts, log tail, and (for staff) the controls. `init(root)` wires
// one panel module each (function/*.js) to the live stream, with one scheduler for all their periodic work.

import { ClockView } from "./clock.js";
import { initProjectorMode } from "./common.js";
import { bindForms, bindSliders, setSlider } from "./controls.js";
import { bindFifoControls, renewDedup } from "./fifo_controls.js";
import { alarmsPanel } from "./function/alarms_panel.js";
import { chartsPanel } from "./function/charts_panel.js";
import { diagramPanel } from "./function/diagram_panel.js";
import { logsPanel } from "./function/logs_panel.js";
import { retriesPanel } from "./function/retries_panel.js";
import { statsPanel } from "./function/stats_panel.js";
import { trafficPanel } from "./function/traffic_panel.js";
import { LiveSocket } from "./live.js";
import { Scheduler } from "./scheduler.js";

// Events after which the diagram reads the topology again.
const TOPOLOGY_EVENTS = ["VersionPublished", "ConcurrencyChanged", "ProvisionedConcurrencyChanged", "ApiCall"];
const TOPOLOGY_FORMS = ["alias-versions", "publish", "reserved", "provisioned", "eic"];

export async function init(root) {
  const name = root.dataset.function;
  const controls = root.dataset.controls === "1";
  const scheduler = new Scheduler();
  const clock = new ClockView(root, root.dataset.clockUrl, controls, scheduler);
  const view = diagramPanel(root, { controls });
  const { diagram } = view;
  const stats = statsPanel(root, diagram);
  const retries = retriesPanel(root, diagram, clock);
  const charts = chartsPanel(root);
  const logs = logsPanel(root);
  const traffic = trafficPanel(root);
  const alarms = alarmsPanel(root);

  scheduler.every(250, stats.render);
  scheduler.every(300, charts.turn);
  scheduler.every(500, retries.render);
  scheduler.every(3000, logs.poll);
  scheduler.every(2000, alarms.poll);

  if (controls) {
    bindSliders(root, () => {});
    bindForms(root, (kind) => {
      if (TOPOLOGY_FORMS.includes(kind)) view.reloadSoon();
      if (kind === "traffic") traffic.load();
      if (kind === "message") renewDedup(root);
    });
    bindFifoControls(root);
    traffic.load();
    scheduler.every(5000, traffic.load);
  }

  function onFrame(frame) {
    const fn = frame.functions?.[name];
    const now = performance.now();
    const gauges = frame.gauges;
    const simTime = frame.sim_time ?? gauges?.sim_time;
    if (gauges) {
      stats.gauges(gauges, name);
      clock.update({ sim_time: gauges.sim_time, factor: gauges.clock?.factor, paused: gauges.clock?.paused });
    } else if (frame.sim_time) {
      clock.update({ sim_time: frame.sim_time });
    }
    stats.applyTotals(frame.totals?.[name]);
    if (fn) stats.frame(fn, simTime, now);
    charts.add(simTime, fn, gauges ? stats.concurrency() : null);
    diagram.frame(fn, frame.events, gauges, now, clock.now());
    view.samples(frame.samples);
  }

  function onEvent(event) {
    if (event.type === "ClockChanged") clock.update({ sim_time: event.sim_time, factor: event.factor, paused: event.paused });
    if (event.function && event.function !== name) return;
    if (event.type === "AliasWeightsChanged") {
      const [, weight] = Object.entries(event.weights || {})[0] || [null, 0];
      setSlider(root, event.alias, Math.round(weight * 100));
      if (!diagram.updateAlias(event.alias, event.function_version, event.weights)) view.reloadSoon();
      else view.resizeDots();
    } else if (TOPOLOGY_EVENTS.includes(event.type)) {
      view.reloadSoon();
    }
  }

  let snapshots = 0;
  function onSnapshot(snapshot) {
    snapshots += 1;
    if (snapshots > 1) charts.loadHistory();
    diagram.retries.load(snapshot.pending_retries);
    diagram.retries.loadDrops(snapshot.dropped_events);
    stats.applyTotals(snapshot.totals);
    clock.update({ factor: snapshot.account.clock_factor, paused: snapshot.account.clock_paused });
    const fn = snapshot.functions?.[0];
    if (fn && diagram.topology) {
      // A reconnect may follow changes made while we were away: take the fresh picture.
      const changed =
        JSON.stringify(fn.aliases) !== JSON.stringify(diagram.topology.aliases) ||
        JSON.stringify(fn.versions) !== JSON.stringify(diagram.topology.versions);
      if (changed) view.reloadSoon();
      for (const alias of fn.aliases) {
        const [, weight] = Object.entries(alias.additional_version_weights || {})[0] || [null, null];
        if (weight !== null) setSlider(root, alias.name, Math.round(weight * 100));
      }
    }
    if (snapshot.gauges) {
      diagram.frame(null, [], snapshot.gauges, performance.now());
      clock.update({ sim_time: snapshot.gauges.sim_time });
    }
  }

  initProjectorMode((large) => {
    charts.setLarge(large);
    alarms.setLarge(large);
    requestAnimationFrame(view.relayout);
  });
  // The history may take a second or two on a busy SQLite: the live stream does not wait for it (Buckets.load
  // replaces the seconds the history covers, so nothing is counted twice).
  charts.loadHistory();
  await view.load();
  logs.load();
  alarms.load();
  return new LiveSocket(root.dataset.wsPath, { onSnapshot, onFrame, onEvent, statusEl: document.getElementById("lv-conn") });
}
