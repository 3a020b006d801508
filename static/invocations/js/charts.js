// The function view's charts over the last minutes of simulated time, drawn with plotly (a pinned PyPI package).

import { LATEST } from "./qualifiers.js";

const PALETTE = ["#1c7ed6", "#d9480f", "#7048e8", "#2f9e44", "#f08c00", "#0ca678", "#e64980"];

export class Charts {
  constructor(container) {
    this.container = container;
    this.el = Object.fromEntries([...container.querySelectorAll("[data-chart]")].map((el) => [el.dataset.chart, el]));
    this.plotly = window.Plotly;
    this.ready = new Set();
    this.large = false;
    this.next = 0;
    this.versionsDrawn = "";
  }

  layout(title, extra = {}, range = undefined) {
    const font = this.large ? 16 : 12;
    return {
      title: { text: title, font: { size: font + 2 }, x: 0.02, y: 0.97 },
      margin: { l: 44, r: 10, t: 30, b: 30 },
      height: this.large ? 260 : 200,
      font: { size: font, family: "system-ui, sans-serif" },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "#fff",
      showlegend: true,
      legend: { orientation: "h", x: 0, y: -0.25, font: { size: font - 1 } },
      // An explicit range: a chart with no trace yet (no invocation so far) would otherwise show plotly's
      // default axis, at 00:00:00, until its next turn to redraw.
      xaxis: { type: "date", tickformat: "%H:%M:%S", gridcolor: "#eceff3", range },
      yaxis: { rangemode: "tozero", gridcolor: "#eceff3" },
      ...extra,
    };
  }

  // One chart per call (round robin), so a redraw never costs more than one plot's layout in a frame.
  draw(buckets, all = false) {
    if (!this.plotly) return false;
    const rows = buckets.rows();
    if (!rows.length) return false;
    const x = rows.map((r) => new Date(r.t * 1000));
    const versions = [...buckets.versions].sort();
    const avg = (list) => (list.length ? list.reduce((a, b) => a + b, 0) / list.length : null);
    const figures = {
      versions: [versions.map((v, i) => ({ x, y: rows.map((r) => r.versions[v] || 0), name: v === LATEST ? LATEST : `v${v}`, type: "scatter", mode: "lines", stackgroup: "one", line: { color: PALETTE[i % PALETTE.length] } })), "Invocations by executed version"],
      errors: [[
        { x, y: rows.map((r) => r.errors), name: "errors", type: "bar", marker: { color: "#e03131" } },
        { x, y: rows.map((r) => r.timeouts), name: "timeouts", type: "bar", marker: { color: "#862e9c" } },
      ], "Errors", { barmode: "stack" }],
      throttles: [[{ x, y: rows.map((r) => r.throttles), name: "throttles", type: "bar", marker: { color: "#868e96" } }], "Throttles"],
      duration: [[
        { x, y: rows.map((r) => avg(r.p50)), name: "p50", type: "scatter", mode: "lines", connectgaps: true, line: { color: "#1c7ed6" } },
        { x, y: rows.map((r) => avg(r.p95)), name: "p95", type: "scatter", mode: "lines", connectgaps: true, line: { color: "#d9480f" } },
      ], "Duration (ms)"],
      concurrency: [[{ x, y: rows.map((r) => r.concurrency), name: "concurrent executions", type: "scatter", mode: "lines", connectgaps: true, line: { color: "#7048e8", shape: "hv" } }], "Concurrent executions"],
      cold: [[{ x, y: rows.map((r) => r.cold), name: "cold starts", type: "bar", marker: { color: "#f08c00" } }], "Cold starts"],
    };
    const config = { displayModeBar: false, responsive: true };
    const entries = Object.entries(figures);
    const chosen = all ? entries : [entries[this.next % entries.length]];
    this.next += 1;
    // A version seen for the first time gets its line now rather than on the chart's next turn.
    const seen = versions.join(",");
    if (seen !== this.versionsDrawn && !chosen.some(([key]) => key === "versions")) chosen.push(entries[0]);
    this.versionsDrawn = seen;
    const range = [new Date((rows[0].t - 1) * 1000), new Date((rows.at(-1).t + 1) * 1000)];
    for (const [key, [data, title, extra]] of chosen) {
      const el = this.el[key];
      if (el) this.plotly.react(el, data, this.layout(title, extra, range), config);
    }
    return true;
  }
}
