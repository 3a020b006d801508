// The function's live diagram, left to right: invokers → aliases → versions → execution environments → outcomes.
// Built as SVG from the topology (database) and updated in place from the live frames' counts and gauges.

import { escapeHtml as esc, fmt, shortArn } from "./common.js";
import { fifoLanesHeight, fifoLanesSvg, updateFifoLanes } from "./fifo_lanes.js";
import { PendingRetries } from "./retries.js";

export const WIDTH = 1200;
const COL = {
  inv: { x: 10, w: 260 },
  alias: { x: 320, w: 140 },
  ver: { x: 620, w: 120 },
  env: { x: 770, w: 230 },
  out: { x: 1030, w: 160 },
};
const TOP = 66;
const GAP = 12;
const ENV_SIZE = 13;
const ENV_STEP = 16;
const ENV_PER_ROW = Math.floor((COL.env.w - 12) / ENV_STEP);
const ENV_ROWS = 3;
const ASYNC_H = 124; // the async queue node: five lines, then its retry loop
const MIN_FONT = 10; // px: the smallest a long source line may shrink to before it is cut
const ENV_ORDER = ["Provisioned", "Provisioning", "Busy", "Initializing", "Ready", "Reset"];
const ASYNC_KINDS = new Set(["s3", "sns", "events", "eventbridge", "destination", "async"]);
const SYNC_KINDS = new Set(["sdk", "cli", "traffic", "console"]);

function node(id, x, y, w, h, cls, lines, extra = "") {
  const text = lines
    .map((line, i) => {
      const [content, key, lineCls] = Array.isArray(line) ? line : [line, null, ""];
      const k = key ? ` data-k="${esc(key)}"` : "";
      return `<text x="${x + 10}" y="${y + 19 + i * 17}" class="${i === 0 ? "node-title" : "node-line"} ${lineCls || ""}"${k}>${esc(content)}</text>`;
    })
    .join("");
  return `<g class="node ${cls}" data-node="${esc(id)}"><rect x="${x}" y="${y}" width="${w}" height="${h}" rx="8"/>${text}${extra}</g>`;
}

function curve(x1, y1, x2, y2) {
  const mx = (x1 + x2) / 2;
  return `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
}

export class Diagram {
  constructor(svg, onLayout) {
    this.svg = svg;
    this.onLayout = onLayout;
    this.topology = null;
    this.anchors = new Map();
    this.keys = new Map();
    this.envSignature = new Map();
    this.counts = { Success: 0, Error: 0, Timeout: 0, Throttled: 0 };
    this.observed = [];
    this.throttleAt = new Map();
    this.delivered = new Map();
    this.retries = new PendingRetries();
    this.fifoSeen = new Map();
    this.simNow = null;
  }

  render(topology) {
    this.topology = topology;
    const t = topology;
    const parts = [];
    const edges = [];
    const anchors = new Map();
    const headers = [
      ["Invokers", COL.inv], ["Aliases", COL.alias], ["Versions", COL.ver], ["Execution environments", COL.env], ["Outcomes", COL.out],
    ].map(([label, col]) => `<text class="col-head" x="${col.x}" y="22">${label}</text>`);

    // Invokers
    let y = TOP;
    const invokers = [];
    const addInvoker = (id, h, cls, lines, targets, extra = "") => {
      parts.push(node(id, COL.inv.x, y, COL.inv.w, h, `invoker ${cls}`, lines, extra));
      // The async queue says its throttles on a line of its own (they are re-queued, no caller sees a 429).
      if (id !== "async") parts.push(`<text class="throttle-mark" x="${COL.inv.x + COL.inv.w - 8}" y="${y + 18}" text-anchor="end" data-k="thr:${esc(id)}"></text>`);
      anchors.set(`inv:${id}`, { x: COL.inv.x + COL.inv.w, y: y + Math.min(h / 2, 24), y0: y, h });
      invokers.push({ id, targets });
      y += h + GAP;
    };
    const aliasNames = t.aliases.map((a) => a.name);
    addInvoker("sdk", 44, "sync", ["SDK / CLI (sync)", ["RequestResponse · 429 if throttled", null, "sdk-note"]], aliasNames.length ? aliasNames : ["$LATEST"]);
    for (const stage of t.invokers.api_stages) {
      addInvoker(`apigw:${stage.stage}`, 44, "sync", [`API Gateway ${stage.api}`, `stage ${stage.stage} → ${stage.qualifier || "$LATEST"}`], [stage.qualifier || "$LATEST"]);
    }
    for (const group of t.invokers.target_groups) {
      addInvoker(`alb:${group.name}`, 44, "sync", [`ALB target group ${group.name}`, `→ ${group.qualifier || "$LATEST"}`], [group.qualifier || "$LATEST"]);
    }
    const asyncTargets = t.invokers.async.map((a) => a.qualifier || "$LATEST");
    t.invokers.async.forEach((source, i) => {
      // SNS and EventBridge nodes say "async" on their count line: a bus/rule label leaves no room for it here.
      const lines = [source.kind === "sns" || source.kind === "eventbridge" ? source.label : `${source.label} (async)`];
      const rule = asyncSourceRule(source);
      if (rule) lines.push([rule, null, "muted-line"]);
      lines.push([sourceCount(source, 0), `src:${i}`]);
      addInvoker(`async-src:${i}`, 12 + lines.length * 17, `async-source ${source.kind}`, lines, []);
    });
    // The retry loop under the queue's lines: failed and throttled attempts go round it back into the queue.
    const loopTop = y + ASYNC_H - 26;
    const retryLoop = `<path class="retry-loop" d="M${COL.inv.x + 200},${loopTop} C${COL.inv.x + 200},${loopTop + 22} ${COL.inv.x + 60},${loopTop + 22} ${COL.inv.x + 60},${loopTop}" marker-end="url(#arrow)"/>`;
    const asyncY = y;
    addInvoker("async", ASYNC_H, "async-queue", [
      "Async event queue (internal)",
      ["waiting 0 · in flight 0", "async-depth"],
      ["no retries scheduled", "async-retry"],
      ["", "thr:async", "throttle-line"],
      ["", "async-dropped"],
    ], asyncTargets.length ? asyncTargets : ["$LATEST"], retryLoop);
    t.invokers.async.forEach((source, i) => {
      const a = anchors.get(`inv:async-src:${i}`);
      edges.push(`<path class="edge async-edge ${source.kind}" d="${curve(COL.inv.x + 130, a.y0 + a.h, COL.inv.x + 130, asyncY)}"/>`);
    });
    for (const m of t.invokers.mappings) {
      if (m.kind === "sqs") {
        const lanes = m.fifo ? fifoLanesSvg(m, COL.inv.x, y + 80, COL.inv.w) : "";
        addInvoker(`esm:${m.uuid}`, 80 + (m.fifo ? fifoLanesHeight() : 0), `esm sqs${m.fifo ? " fifo" : ""}`, [
          `SQS ${m.name} → poller`,
          [`visible – · in flight –`, `q:${m.uuid}`],
          [m.dlq_name ? `DLQ ${m.dlq_name}: –` : "no DLQ", `dlq:${m.uuid}`],
          [`batch ${m.batch_size ?? 10}`, `esm-state:${m.uuid}`],
        ], [m.qualifier || "$LATEST"], lanes);
      } else {
        const lanes = Math.max(1, m.shard_count || 1);
        const h = 30 + lanes * 26;
        const laneSvg = [];
        for (let i = 0; i < lanes; i++) {
          const ly = y + 26 + i * 26;
          laneSvg.push(`<rect class="lane" data-k="lane:${esc(m.uuid)}:${i}" x="${COL.inv.x + 8}" y="${ly}" width="${COL.inv.w - 16}" height="22" rx="4"/>`);
          laneSvg.push(`<text class="lane-text" data-k="lanetext:${esc(m.uuid)}:${i}" x="${COL.inv.x + 14}" y="${ly + 15}">shard ${i}: waiting for the poller</text>`);
        }
        addInvoker(`esm:${m.uuid}`, h, `esm stream`, [`${m.kind === "dynamodb" ? "DynamoDB stream" : "Kinesis"} ${m.name}`], [m.qualifier || "$LATEST"], laneSvg.join(""));
      }
    }
    const invHeight = y;

    // Versions (and their environments), then aliases centred against their versions.
    const versionY = new Map();
    let vy = TOP;
    const vh = 28 + ENV_ROWS * ENV_STEP;
    for (const v of t.versions) {
      const label = v === "$LATEST" ? "$LATEST" : `version ${v}`;
      parts.push(node(`ver:${v}`, COL.ver.x, vy, COL.ver.w, vh, `version${v === "$LATEST" ? " latest" : ""}`, [label, ["0 invocations", `vcount:${v}`], ["", `vsplit:${v}`]]));
      parts.push(`<rect class="env-box" x="${COL.env.x}" y="${vy}" width="${COL.env.w}" height="${vh}" rx="8"/>`);
      parts.push(`<g data-envs="${esc(v)}"></g>`);
      parts.push(`<text class="env-count" x="${COL.env.x + COL.env.w - 8}" y="${vy + vh - 6}" text-anchor="end" data-k="envs:${esc(v)}">no environments</text>`);
      edges.push(`<path class="edge ver-env" d="M${COL.ver.x + COL.ver.w},${vy + vh / 2} L${COL.env.x},${vy + vh / 2}"/>`);
      anchors.set(`ver:${v}`, { x: COL.ver.x, y: vy + vh / 2, right: COL.ver.x + COL.ver.w });
      anchors.set(`env:${v}`, { x: COL.env.x + COL.env.w / 2, y: vy + vh / 2, right: COL.env.x + COL.env.w, y0: vy });
      versionY.set(v, vy + vh / 2);
      vy += vh + GAP;
    }
    const reservedY = 46;
    parts.push(`<g class="reserved-meter"><rect class="meter-bg" x="${COL.env.x}" y="${reservedY}" width="${COL.env.w}" height="10" rx="3"/>` +
      `<rect class="meter-fill" data-k="meter-fill" x="${COL.env.x}" y="${reservedY}" width="0" height="10" rx="3"/>` +
      `<line class="reserved-line" data-k="reserved-line" x1="${COL.env.x}" x2="${COL.env.x}" y1="${reservedY - 6}" y2="${vy}" visibility="hidden"/>` +
      `<text class="meter-text" data-k="meter-text" x="${COL.env.x}" y="${reservedY - 5}">concurrency 0</text></g>`);

    let ay = TOP;
    for (const alias of t.aliases) {
      const weights = alias.additional_version_weights || {};
      const [extra, weight] = Object.entries(weights)[0] || [null, 0];
      const h = 72;
      parts.push(node(`alias:${alias.name}`, COL.alias.x, ay, COL.alias.w, h, "alias", [
        alias.name,
        [`→ ${alias.function_version}${extra ? ` + ${extra}` : ""}`, `alias-line:${alias.name}`],
        ["0 invocations", `acount:${alias.name}`],
        ["", `athr:${alias.name}`, "throttle-line"],
      ]));
      const from = { x: COL.alias.x + COL.alias.w, y: ay + h / 2 };
      anchors.set(`alias:${alias.name}`, { x: COL.alias.x, y: ay + h / 2, right: from.x });
      const routes = [[alias.function_version, 1 - weight, "primary"]];
      if (extra) routes.push([extra, weight, "additional"]);
      for (const [version, w, kind] of routes) {
        const to = versionY.get(version);
        if (to === undefined) continue;
        const width = Math.max(1.5, 2 + 18 * w);
        edges.push(`<path class="edge weight ${kind}" data-k="wedge:${esc(alias.name)}:${esc(version)}" d="${curve(from.x, from.y, COL.ver.x, to)}" stroke-width="${width}"/>`);
        // A quarter of the way along the curve, so labels of different aliases do not pile up at a version.
        const lx = 0.703 * from.x + 0.297 * COL.ver.x + 6;
        // Two short lines (configured, then observed) so the label ends before the version node's text; above
        // the curve for the primary version, below it for the additional one.
        const ly = 0.844 * from.y + 0.156 * to + (kind === "primary" ? -17 : 13);
        parts.push(`<text class="edge-label" x="${lx}" y="${ly}" data-k="wlabel:${esc(alias.name)}:${esc(version)}">${Math.round(w * 100)}% configured</text>`);
      }
      ay += h + GAP;
    }

    // Outcomes
    let oy = TOP;
    const addOutcome = (id, cls, lines, h = 40) => {
      parts.push(node(`out:${id}`, COL.out.x, oy, COL.out.w, h, `outcome ${cls}`, lines));
      anchors.set(`out:${id}`, { x: COL.out.x, y: oy + h / 2 });
      oy += h + GAP;
    };
    addOutcome("Success", "success", ["Success", ["0", "out:Success"]]);
    addOutcome("Error", "error", ["Error", ["0", "out:Error"]]);
    addOutcome("Timeout", "timeout", ["Timeout", ["0", "out:Timeout"]]);
    addOutcome("Throttled", "throttled", ["Throttled (429)", ["0", "out:Throttled"]]);
    const destinations = destinationList(t);
    for (const d of destinations) {
      const lines = [`${d.label}`, [d.short, null, "muted-line"], ["0 delivered", `dest:${d.arn}`]];
      // A topic or a bus passes the record on: name who is subscribed, so the chain can be followed.
      if (d.subscribers) lines.push([d.subscribers.length ? `→ ${subscriberNames(d.subscribers)}` : "→ no subscribers", null, "chain-line"]);
      addOutcome(`dest:${d.arn}`, `dest ${d.kind}`, lines, 7 + lines.length * 17);
    }
    this.destinations = destinations;

    // Invoker → qualifier edges
    for (const inv of invokers) {
      const a = anchors.get(`inv:${inv.id}`);
      for (const target of inv.targets) {
        const to = anchors.get(`alias:${target}`) || anchors.get(`ver:${target}`);
        if (!to) continue;
        edges.push(`<path class="edge invoke${inv.id === "sdk" ? " maybe" : ""}" d="${curve(a.x, a.y, to.x, to.y)}"/>`);
      }
    }
    const height = Math.max(invHeight, vy, ay, oy) + 10;
    this.height = height;
    this.svg.setAttribute("viewBox", `0 0 ${WIDTH} ${height}`);
    this.svg.innerHTML = `<defs><marker id="arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>${headers.join("")}<g class="edges">${edges.join("")}</g>${parts.join("")}`;
    this.anchors = anchors;
    this.invokers = invokers;
    this.keys = new Map([...this.svg.querySelectorAll("[data-k]")].map((el) => [el.dataset.k, el]));
    this.envGroups = new Map([...this.svg.querySelectorAll("[data-envs]")].map((el) => [el.dataset.envs, el]));
    // The whole filter policy / pattern of a source, shown on hover and on keyboard focus (function.js draws the
    // tip); the list under the diagram says the same in words for screen readers.
    t.invokers.async.forEach((source, i) => {
      const g = this.svg.querySelector(`[data-node="async-src:${i}"]`);
      g.setAttribute("tabindex", "0");
      g.dataset.tip = asyncSourceDetail(source);
    });
    for (const d of destinations.filter((x) => x.subscribers)) {
      const g = this.svg.querySelector(`[data-node="out:dest:${CSS.escape(d.arn)}"]`);
      g.setAttribute("tabindex", "0");
      g.dataset.tip = d.subscribers.length
        ? `${d.short} passes records on to ${d.subscribers.map((x) => `${x.function}${x.qualifier ? `:${x.qualifier}` : ""} (${x.via})`).join(", ")}`
        : `${d.short}: nothing is subscribed`;
    }
    this.fitSources();
    this.envSignature.clear();
    // Counts again for the new layout (an alias or a source may have come or gone).
    const seen = this.totalsSeen;
    this.totalsSeen = null;
    if (seen) this.totals(seen);
    this.applyCounts();
    this.onLayout?.(height);
  }

  // A topic, rule, pattern or list of subscribers can be longer than its node is wide: a line shrinks a little to
  // fit, and what still does not fit is cut (with "…"; the tip and the list under the diagram give a source whole).
  // Again after projector mode changes the text size.
  fitSources() {
    this.fitLines('[data-node^="async-src:"] text:not([data-k])', COL.inv.w - 20);
    this.fitLines(".chain-line", COL.out.w - 20);
    this.fitLines(".sdk-note", COL.inv.w - 20);
  }

  fitLines(selector, room) {
    for (const el of this.svg.querySelectorAll(selector)) {
      el.dataset.full ??= el.textContent;
      el.textContent = el.dataset.full;
      el.style.fontSize = "";
      const length = el.getComputedTextLength();
      if (length <= room) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      el.style.fontSize = `${Math.max(MIN_FONT, (0.98 * size * room) / length)}px`; // 0.98: rounding
      let text = el.dataset.full;
      while (text.length > 4 && el.getComputedTextLength() > room) {
        text = text.slice(0, -1);
        el.textContent = `${text}…`;
      }
    }
  }

  // An edge label of one or two lines; its text reads "95% configured· 97% observed" as a whole.
  edgeLabel(key, first, second) {
    const el = this.keys.get(key);
    if (!el || el.dataset.shown === `${first}|${second}`) return;
    el.dataset.shown = `${first}|${second}`;
    const x = el.getAttribute("x");
    el.innerHTML = second ? `<tspan x="${x}">${esc(first)}</tspan><tspan x="${x}" dy="12">${esc(second)}</tspan>` : esc(first);
  }

  set(key, text) {
    const el = this.keys.get(key);
    if (el && el.textContent !== text) el.textContent = text;
  }

  // Where a sampled invocation (or throttle) enters the diagram.
  invokerFor(sample) {
    const source = (sample.source || "sdk").toLowerCase();
    if (source === "sqs" || source === "kinesis" || source === "dynamodb" || source === "kafka") {
      const m = this.topology.invokers.mappings.find((x) => x.kind === source || (source === "kinesis" && x.kind !== "sqs"));
      if (m) return `esm:${m.uuid}`;
    }
    if (ASYNC_KINDS.has(source) || sample.attempt > 1 || sample.invocation_type === "Event") return "async";
    if (source.startsWith("apigateway") || source.startsWith("api")) {
      const stage = this.topology.invokers.api_stages.find((s) => s.qualifier === sample.qualifier);
      if (stage) return `apigw:${stage.stage}`;
    }
    if (source.startsWith("alb") || source.startsWith("elb")) {
      const group = this.topology.invokers.target_groups[0];
      if (group) return `alb:${group.name}`;
    }
    if (!SYNC_KINDS.has(source)) return "async";
    return "sdk";
  }

  // The S3 / SNS / EventBridge node a sampled async invocation came from (first attempts only: a retry starts
  // from the queue), matched on its kind and the qualifier it invoked.
  asyncSourceFor(sample) {
    if ((sample.attempt || 1) > 1) return -1;
    const kind = { events: "eventbridge" }[sample.source] || sample.source;
    const sources = this.topology.invokers.async;
    const qualifier = sample.qualifier || "$LATEST";
    const same = (s) => s.kind === kind && (s.qualifier || "$LATEST") === qualifier;
    const i = sources.findIndex(same);
    return i >= 0 ? i : sources.findIndex((s) => s.kind === kind);
  }

  path(sample) {
    const inv = this.anchors.get(`inv:${this.invokerFor(sample)}`) || this.anchors.get("inv:sdk");
    const pts = [[inv.x, inv.y]];
    const from = this.asyncSourceFor(sample);
    if (from >= 0) {
      // Source → internal event queue → on. The node keeps how many dots left it (data-dots, read by browser tests).
      const src = this.anchors.get(`inv:async-src:${from}`);
      const queue = this.anchors.get("inv:async");
      pts.unshift([COL.inv.x + 130, src.y0 + src.h], [COL.inv.x + 130, queue.y0]);
      const g = this.svg.querySelector(`[data-node="async-src:${from}"]`);
      if (g) g.dataset.dots = String(Number(g.dataset.dots || 0) + 1);
    }
    const alias = sample.alias && this.anchors.get(`alias:${sample.alias}`);
    if (alias) pts.push([alias.x, alias.y], [alias.right, alias.y]);
    const version = sample.version || sample.qualifier || "$LATEST";
    const ver = this.anchors.get(`ver:${version}`) || this.anchors.get("ver:$LATEST");
    if (sample.outcome === "Throttled") {
      // Rejected at the concurrency check: the 429 goes back to the caller; an async event goes back to its
      // queue and round the retry loop (it waits out its backoff there).
      const turn = alias ? [alias.right, alias.y] : [ver.x, ver.y];
      pts.push(turn, [inv.x, inv.y]);
      if (this.invokerFor(sample) === "async") {
        const loopTop = inv.y0 + inv.h - 26;
        pts.push([COL.inv.x + 200, loopTop], [COL.inv.x + 130, loopTop + 17], [COL.inv.x + 60, loopTop]);
      }
      return pts;
    }
    if (ver) pts.push([ver.x, ver.y], [ver.right, ver.y]);
    const env = this.anchors.get(`env:${version}`);
    if (env) pts.push([env.x, env.y], [env.right, env.y]);
    const out = this.anchors.get(`out:${outcomeKey(sample.outcome)}`);
    if (out) pts.push([out.x, out.y]);
    return pts;
  }

  // A frame: what changed just now (the observed split over the last 10 s, which invoker was refused). The node
  // counts come from the server's totals since the simulation started (totals()), not from adding frames up.
  frame(fn, events, gauges, now, simNow = null) {
    if (!this.topology) return;
    if (simNow !== null) this.simNow = simNow;
    if (fn) {
      for (const key of Object.keys(fn.throttled_by || {})) {
        const id = this.invokerFor(throttledBy(key));
        this.throttleAt.set(id, { ...this.throttleAt.get(id), at: now });
      }
      for (const [alias, split] of Object.entries(aliasTraffic(fn.edges, this.topology.aliases))) {
        for (const [version, n] of Object.entries(split.byVersion)) this.observed.push({ at: now, alias, version, n });
      }
    }
    for (const event of events || []) this.event(event, now);
    if (gauges) this.gauges(gauges);
    this.applyCounts(now);
  }

  // The server's totals since the simulation started (runtime/totals.py), from a snapshot or a frame; an older
  // copy than the one shown (fewer frames folded in) is ignored.
  totals(t) {
    if (!t || !this.topology || (this.totalsSeen && (t.frames || 0) < (this.totalsSeen.frames || 0))) return;
    this.totalsSeen = t;
    const counts = { Success: 0, Error: 0, Timeout: 0, Throttled: 0 };
    const add = (key, n) => { counts[key] = (counts[key] || 0) + n; };
    for (const [version, outcomes] of Object.entries(t.by_version || {})) {
      for (const [outcome, n] of Object.entries(outcomes)) {
        add(outcomeKey(outcome), n);
        if (outcome !== "Throttled") add(`v:${version}`, n);
      }
    }
    // The 429 outcome counts sync refusals only: a throttled async attempt is re-queued, nobody gets a 429.
    const refused = new Map();
    for (const [key, n] of Object.entries(t.throttled_by || {})) {
      const by = throttledBy(key);
      if (by.invocation_type !== "Event") add("Throttled", n);
      const id = this.invokerFor(by);
      refused.set(id, (refused.get(id) || 0) + n);
    }
    for (const [id, n] of refused) this.throttleAt.set(id, { at: -Infinity, ...this.throttleAt.get(id), n });
    for (const [edge, n] of Object.entries(t.edges || {})) {
      const [from, to] = edge.split("->");
      const i = this.asyncSourceFor({ source: from, qualifier: to });
      if (i >= 0) add(`src:${i}`, n);
    }
    for (const [alias, split] of Object.entries(aliasTraffic(t.edges, this.topology.aliases))) {
      add(`a:${alias}`, split.executed);
      add(`athr:${alias}`, split.throttled);
    }
    this.counts = counts;
    this.delivered = new Map(Object.entries(t.delivered || {}));
    const dropped = Object.entries(t.dropped || {});
    if (dropped.length) this.set("async-dropped", `dropped: ${dropped.map(([c, n]) => `${c} ×${fmt(n)}`).join(", ")}`);
    this.applyCounts();
  }

  event(event, now) {
    if (event.type === "RetryScheduled") {
      this.retries.scheduled(event);
    } else if (event.type === "AsyncEventProcessed") {
      this.retries.settled(event.request_id);
    } else if (event.type === "DeliveredToDLQ" || event.type === "DestinationDelivered") {
      if (event.kind !== "OnSuccess") this.retries.deliveredTo(event.request_id, shortArn(event.arn));
    } else if (event.type === "AsyncEventDropped") {
      this.retries.dropped(event);
    } else if (event.type === "BatchFailed" && event.reason === "Throttled") {
      const m = this.topology.invokers.mappings.find((x) => event.esm && x.uuid === event.esm);
      if (m) this.throttleAt.set(`esm:${m.uuid}`, { ...this.throttleAt.get(`esm:${m.uuid}`), at: now });
    }
  }

  gauges(g) {
    const fnName = this.topology.name;
    const async = g.async_queue || {};
    this.set("async-depth", `waiting ${fmt(async.waiting || 0)} · in flight ${fmt(async.in_flight || 0)}`);
    for (const m of this.topology.invokers.mappings) {
      if (m.kind === "sqs") {
        const q = (g.queues || {})[m.arn];
        if (q) this.set(`q:${m.uuid}`, `visible ${fmt(q.visible)} · in flight ${fmt(q.in_flight)}${q.delayed ? ` · delayed ${fmt(q.delayed)}` : ""}`);
        const dlq = (g.queues || {})[m.dlq_arn];
        if (m.dlq_arn) this.set(`dlq:${m.uuid}`, `DLQ ${m.dlq_name}: ${dlq ? `${fmt(dlq.visible)} now` : "–"}`);
        const poller = (g.mappings || {})[m.uuid];
        if (poller && poller.pollers !== undefined) this.set(`esm-state:${m.uuid}`, `batch ${m.batch_size ?? 10} · ${poller.pollers} pollers`);
        if (m.fifo) {
          if (!this.fifoSeen.has(m.uuid)) this.fifoSeen.set(m.uuid, []);
          updateFifoLanes(this, m, poller, this.fifoSeen.get(m.uuid));
        }
      } else {
        const mapping = (g.mappings || {})[m.uuid];
        if (!mapping || !mapping.shards) continue;
        Object.keys(mapping.shards).sort().forEach((shardId, i) => {
          const shard = mapping.shards[shardId];
          const lane = this.keys.get(`lane:${m.uuid}:${i}`);
          lane?.classList.toggle("blocked", !!shard.blocked);
          const short = shardLabel(shardId);
          this.set(`lanetext:${m.uuid}:${i}`, shard.blocked
            ? `${short}: BLOCKED at ${shard.checkpoint ?? "start"} · age ${fmt(shard.iterator_age, 1)}s`
            : `${short}: at ${shard.checkpoint ?? "start"} · age ${fmt(shard.iterator_age, 1)}s`);
        });
      }
    }
    // Environments per version, one square each (capped), in a distinct look per state.
    const cap = ENV_PER_ROW * ENV_ROWS;
    for (const version of this.topology.versions) {
      const states = (g.environments || {})[`${fnName}:${version}`] || {};
      const signature = JSON.stringify(states);
      if (this.envSignature.get(version) === signature) continue;
      this.envSignature.set(version, signature);
      const group = this.envGroups.get(version);
      const anchor = this.anchors.get(`env:${version}`);
      if (!group || !anchor) continue;
      const squares = [];
      let i = 0;
      let total = 0;
      for (const state of [...ENV_ORDER, ...Object.keys(states).filter((s) => !ENV_ORDER.includes(s))]) {
        const n = states[state] || 0;
        total += n;
        for (let k = 0; k < n && i < cap; k++, i++) {
          const x = COL.env.x + 8 + (i % ENV_PER_ROW) * ENV_STEP;
          const y = anchor.y0 + 8 + Math.floor(i / ENV_PER_ROW) * ENV_STEP;
          squares.push(`<rect class="env ${state.toLowerCase()}" x="${x}" y="${y}" width="${ENV_SIZE}" height="${ENV_SIZE}" rx="2"><title>${state}</title></rect>`);
        }
      }
      group.innerHTML = squares.join("");
      const summary = Object.entries(states).filter(([, n]) => n).map(([s, n]) => `${n} ${stateLabel(s)}`).join(" · ");
      this.set(`envs:${version}`, total ? `${summary}${total > cap ? ` (+${total - cap} not drawn)` : ""}` : "no environments");
    }
    // Concurrency against the reservation (or the unreserved pool).
    const inUse = (g.concurrency || {})[fnName] || 0;
    const reserved = (g.reserved || {})[fnName];
    const scale = Math.max(10, inUse, reserved ?? 0) * 1.1;
    const fill = this.keys.get("meter-fill");
    fill?.setAttribute("width", String((inUse / scale) * COL.env.w));
    const line = this.keys.get("reserved-line");
    if (line) {
      const hasReservation = reserved !== null && reserved !== undefined;
      line.setAttribute("visibility", hasReservation ? "visible" : "hidden");
      const x = COL.env.x + ((reserved ?? 0) / scale) * COL.env.w;
      line.setAttribute("x1", String(x));
      line.setAttribute("x2", String(x));
    }
    this.set("meter-text", reserved === null || reserved === undefined
      ? `concurrency ${inUse} · unreserved pool ${g.account?.unreserved_capacity ?? "–"}`
      : `concurrency ${inUse} · reserved ${reserved}`);
    this.concurrency = inUse;
    this.reserved = reserved;
  }

  applyCounts(now = performance.now()) {
    for (const key of ["Success", "Error", "Timeout", "Throttled"]) this.set(`out:${key}`, fmt(this.counts[key] || 0));
    for (const version of this.topology.versions) this.set(`vcount:${version}`, `${fmt(this.counts[`v:${version}`] || 0)} invocations`);
    for (const alias of this.topology.aliases) {
      this.set(`acount:${alias.name}`, `${fmt(this.counts[`a:${alias.name}`] || 0)} invocations`);
      const throttled = this.counts[`athr:${alias.name}`] || 0;
      this.set(`athr:${alias.name}`, throttled ? `${fmt(throttled)} throttled` : "");
    }
    this.topology.invokers.async.forEach((source, i) => {
      this.set(`src:${i}`, sourceCount(source, this.counts[`src:${i}`] || 0));
    });
    for (const d of this.destinations || []) this.set(`dest:${d.arn}`, `${fmt(this.delivered.get(d.arn) || 0)} delivered`);
    // Configured vs observed split: executed invocations only, over the last 10 s of wall time.
    this.observed = this.observed.filter((o) => now - o.at < 10000);
    for (const alias of this.topology.aliases) {
      const weights = alias.additional_version_weights || {};
      const [extra, weight] = Object.entries(weights)[0] || [null, 0];
      const seen = this.observed.filter((o) => o.alias === alias.name);
      const total = seen.reduce((a, o) => a + o.n, 0);
      for (const [version, w] of [[alias.function_version, 1 - weight], ...(extra ? [[extra, weight]] : [])]) {
        const n = seen.filter((o) => o.version === version).reduce((a, o) => a + o.n, 0);
        this.edgeLabel(`wlabel:${alias.name}:${version}`, `${Math.round(w * 100)}% configured`, total ? `· ${Math.round((n / total) * 100)}% observed` : "");
      }
    }
    for (const inv of this.invokers || []) {
      const mark = this.throttleAt.get(inv.id)?.n ? this.throttleAt.get(inv.id) : null; // n: from the totals
      const el = this.keys.get(`thr:${inv.id}`);
      if (!el) continue;
      const recent = mark && now - mark.at < 1500;
      if (inv.id === "async") {
        const backoff = this.retries.throttleBackoff();
        el.textContent = mark ? `throttled ×${fmt(mark.n)}${backoff ? ` · backoff ${backoff}` : " · re-queued"}` : "";
      } else {
        el.textContent = mark ? `${inv.id.startsWith("esm:") ? "poller backing off" : "429"} ×${fmt(mark.n)}` : "";
      }
      el.classList.toggle("flash", !!recent);
    }
    this.retries.prune(this.simNow);
    this.set("async-retry", this.retries.summary());
  }

  updateAlias(name, functionVersion, weights) {
    if (!this.topology) return;
    const alias = this.topology.aliases.find((a) => a.name === name);
    if (!alias) return false;
    alias.function_version = functionVersion ?? alias.function_version;
    alias.additional_version_weights = weights || {};
    this.render(this.topology);
    return true;
  }
}

// What a frame's edges say about each alias. A caller->alias edge counts every call of the alias, throttled ones
// included; an alias->version edge counts an invocation that ran on that version. So the executed invocations
// (and the observed split) come from the alias->version edges alone, and the rest of the calls were throttled.
export function aliasTraffic(edges, aliases) {
  const names = new Set(aliases.map((a) => a.name));
  const out = {};
  const entry = (alias) => (out[alias] ??= { calls: 0, executed: 0, throttled: 0, byVersion: {} });
  for (const [edge, n] of Object.entries(edges || {})) {
    const [from, to] = edge.split("->");
    if (names.has(from)) {
      const e = entry(from);
      e.executed += n;
      e.byVersion[to] = (e.byVersion[to] || 0) + n;
    } else if (names.has(to)) {
      entry(to).calls += n;
    }
  }
  for (const e of Object.values(out)) e.throttled = Math.max(0, e.calls - e.executed);
  return out;
}

// "shardId-000000000000" → "shard 0" (stripping the zeros alone left shard 0 with no number at all).
export function shardLabel(shardId) {
  const digits = /^shardId-(\d+)$/.exec(shardId);
  return digits ? `shard ${Number(digits[1])}` : shardId;
}

// A throttled_by key, "<InvocationType>:<source>", as the sample invokerFor() expects.
function throttledBy(key) {
  const [invocationType, source] = key.split(/:(.*)/s);
  return { source, invocation_type: invocationType };
}

function outcomeKey(outcome) {
  if (outcome === "Success" || outcome === "Timeout" || outcome === "Throttled") return outcome;
  return "Error";
}

function stateLabel(state) {
  return { Ready: "idle warm", Busy: "busy", Initializing: "cold-starting", Provisioned: "provisioned", Provisioning: "provisioning (Init at allocation)", Reset: "resetting" }[state] || state.toLowerCase();
}

// Attempts: the frames count every call from a source, a throttled or retried one included.
function sourceCount(source, n) {
  return `async → ${source.qualifier || "$LATEST"} · ${fmt(n)} attempt${n === 1 ? "" : "s"}`;
}

function subscriberNames(subscribers) {
  return subscribers.map((s) => `${s.function}${s.qualifier ? `:${s.qualifier}` : ""}`).filter((n, i, all) => all.indexOf(n) === i).join(", ");
}

// One short line for the diagram node; asyncSourceDetail gives the whole of it.
function asyncSourceRule(source) {
  if (source.kind === "sns") return source.filter_policy ? `filter ${JSON.stringify(source.filter_policy)}` : "no filter policy: every message";
  if (source.kind === "eventbridge") return `${source.enabled ? "" : "DISABLED · "}pattern ${JSON.stringify(source.event_pattern)}`;
  return "";
}

export function asyncSourceDetail(source) {
  if (source.kind === "sns") {
    return `${source.label} → ${source.qualifier || "$LATEST"}: ${source.filter_policy ? `filter policy ${JSON.stringify(source.filter_policy)}` : "no filter policy (every message)"}`;
  }
  if (source.kind === "eventbridge") {
    return `${source.label} → ${source.qualifier || "$LATEST"}${source.enabled ? "" : " (disabled)"}: event pattern ${JSON.stringify(source.event_pattern)}`;
  }
  return `${source.label} → ${source.qualifier || "$LATEST"}`;
}

function destinationList(t) {
  const list = [];
  const seen = new Set();
  const add = (arn, kind, label) => {
    if (!arn || seen.has(arn)) return;
    seen.add(arn);
    list.push({ arn, kind, label, short: shortArn(arn), subscribers: (t.subscribers || {})[arn] });
  };
  add(t.dead_letter_target_arn, "dlq", "DLQ (async)");
  for (const c of t.event_invoke_configs) {
    add(c.on_success, "on-success", "OnSuccess");
    add(c.on_failure, "on-failure", "OnFailure");
  }
  for (const m of t.invokers.mappings) {
    add(m.dlq_arn, "dlq", "Queue DLQ");
    add(m.on_failure, "on-failure", "OnFailure (stream)");
  }
  return list;
}
