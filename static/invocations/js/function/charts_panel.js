// The function view's charts over the last minutes of simulated time: filled from the invocation records first,
// then from the live frames.

import { Charts } from "../charts.js";
import { getJSON, toast } from "../common.js";
import { Buckets } from "../series.js";

export function chartsPanel(root) {
  const q = (selector) => root.querySelector(selector);
  const charts = new Charts(q(".charts-panel"));
  const buckets = new Buckets(300);
  const area = q(".charts");
  const empty = q("[data-chart-empty]");
  let shown = false;
  let turns = 0;

  // The first time all at once, then one chart a turn (each redraws about every 2 s at a turn every 300 ms).
  function turn() {
    if (document.hidden || !buckets.dirty) return;
    turns += 1;
    if (turns % 6 === 0) buckets.dirty = false;
    area.hidden = false;
    if (charts.draw(buckets, !shown)) {
      shown = true;
      empty.hidden = true;
    }
  }

  // The last minutes from the invocation records, so the charts start full rather than empty; the live frames
  // then carry on. Loaded again after a reconnect, to fill what happened while the page was away.
  async function loadHistory() {
    try {
      buckets.load(await getJSON(root.dataset.historyUrl));
    } catch (error) {
      toast(`Could not load the charts' history: ${error.message}`, "error");
    }
  }

  function setLarge(large) {
    charts.large = large;
    buckets.dirty = true;
    shown = false;
  }

  return { turn, loadHistory, setLarge, add: (simTime, fn, concurrency) => buckets.add(simTime, fn, concurrency) };
}
