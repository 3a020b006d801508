// The function diagram's layout, left to right: invokers → aliases → versions → execution environments → outcomes.
// Pure: a topology (the dashboard's topology JSON) in, positioned nodes, texts and edges out. No DOM; render.js
// turns the result into SVG.

import { fifoLaneItems, fifoLanesHeight } from "../fifo_lanes.js";
import { LATEST, qualifierOr } from "../qualifiers.js";
import {
  asyncSourceDetail,
  asyncSourceRule,
  destinationList,
  destinationTip,
  outcomeKey,
  sourceCount,
  subscriberNames,
} from "./labels.js";
import { asyncSourceFor, invokerFor } from "./routing.js";

export const WIDTH = 1200;
export const COL = {
  inv: { x: 10, w: 260 },
  alias: { x: 320, w: 140 },
  ver: { x: 620, w: 120 },
  env: { x: 770, w: 230 },
  out: { x: 1030, w: 160 },
};
export const HEADERS = [
  ["Invokers", COL.inv],
  ["Aliases", COL.alias],
  ["Versions", COL.ver],
  ["Execution environments", COL.env],
  ["Outcomes", COL.out],
];
export const HEADER_Y = 22;
export const LINE_STEP = 17; // px between a node's lines
const TOP = 66;
const GAP = 12;
const ENV_SIZE = 13;
const ENV_STEP = 16;
export const ENV_PER_ROW = Math.floor((COL.env.w - 12) / ENV_STEP);
export const ENV_ROWS = 3;
const ASYNC_H = 124; // the async queue node: five lines, then its retry loop
const RESERVED_Y = 46;
const ENV_ORDER = ["Provisioned", "Provisioning", "Busy", "Initializing", "Ready", "Reset"];
// Where the line from an async source runs down into the queue (and a dot's path with it).
const ASYNC_DROP_X = COL.inv.x + 130;
// Lines that may be longer than their node: shrunk, then cut, to this room in the browser (Diagram.fitSources).
export const FIT = { source: COL.inv.w - 20, chain: COL.out.w - 20, sdkNote: COL.inv.w - 20 };

// A node's line: a string, or [text, data-k key, extra class].
function node(id, x, y, w, h, cls, lines, extras = []) {
  const placed = lines.map((line, i) => {
    const [text, key, lineCls] = Array.isArray(line) ? line : [line, null, ""];
    return { text, key: key || null, cls: lineCls || "", title: i === 0, x: x + 10, y: y + 19 + i * LINE_STEP };
  });
  return { type: "node", id, x, y, w, h, cls, lines: placed, extras, tip: null };
}

export function curve(x1, y1, x2, y2) {
  const mx = (x1 + x2) / 2;
  return `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
}

// An alias's routes: its primary version and at most one additional version, with their configured weights.
export function aliasRoutes(alias) {
  const [extra, weight] = Object.entries(alias.additional_version_weights || {})[0] || [null, 0];
  const routes = [{ version: alias.function_version, weight: 1 - weight, kind: "primary" }];
  if (extra) routes.push({ version: extra, weight, kind: "additional" });
  return routes;
}

export function layoutDiagram(t) {
  const items = []; // drawn in this order, after the edges
  const edges = [];
  const anchors = new Map();
  const invokers = [];

  // Invokers
  let y = TOP;
  const addInvoker = (id, h, cls, lines, targets, extras = []) => {
    const n = node(id, COL.inv.x, y, COL.inv.w, h, `invoker ${cls}`, lines, extras);
    items.push(n);
    // The async queue says its throttles on a line of its own (they are re-queued, no caller sees a 429).
    if (id !== "async") {
      items.push({ type: "text", cls: "throttle-mark", x: COL.inv.x + COL.inv.w - 8, y: y + 18, anchor: "end", key: `thr:${id}`, text: "" });
    }
    anchors.set(`inv:${id}`, { x: COL.inv.x + COL.inv.w, y: y + Math.min(h / 2, 24), y0: y, h });
    invokers.push({ id, targets });
    y += h + GAP;
    return n;
  };
  const aliasNames = t.aliases.map((a) => a.name);
  addInvoker("sdk", 44, "sync", ["SDK / CLI (sync)", ["RequestResponse · 429 if throttled", null, "sdk-note"]], aliasNames.length ? aliasNames : [LATEST]);
  for (const stage of t.invokers.api_stages) {
    const target = qualifierOr(stage.qualifier);
    addInvoker(`apigw:${stage.stage}`, 44, "sync", [`API Gateway ${stage.api}`, `stage ${stage.stage} → ${target}`], [target]);
  }
  for (const group of t.invokers.target_groups) {
    const target = qualifierOr(group.qualifier);
    addInvoker(`alb:${group.name}`, 44, "sync", [`ALB target group ${group.name}`, `→ ${target}`], [target]);
  }
  const asyncTargets = t.invokers.async.map((a) => qualifierOr(a.qualifier));
  t.invokers.async.forEach((source, i) => {
    // SNS and EventBridge nodes say "async" on their count line: a bus/rule label leaves no room for it here.
    const lines = [source.kind === "sns" || source.kind === "eventbridge" ? source.label : `${source.label} (async)`];
    const rule = asyncSourceRule(source);
    if (rule) lines.push([rule, null, "muted-line"]);
    lines.push([sourceCount(source, 0), `src:${i}`]);
    const n = addInvoker(`async-src:${i}`, 12 + lines.length * LINE_STEP, `async-source ${source.kind}`, lines, []);
    // The whole filter policy / pattern, shown on hover and on keyboard focus (the list under the diagram says
    // the same in words for screen readers).
    n.tip = asyncSourceDetail(source);
    n.fit = FIT.source;
  });
  // The retry loop under the queue's lines: failed and throttled attempts go round it back into the queue.
  const loopTop = y + ASYNC_H - 26;
  const retryLoop = {
    type: "path",
    cls: "retry-loop",
    d: `M${COL.inv.x + 200},${loopTop} C${COL.inv.x + 200},${loopTop + 22} ${COL.inv.x + 60},${loopTop + 22} ${COL.inv.x + 60},${loopTop}`,
    marker: "arrow",
  };
  const asyncY = y;
  addInvoker(
    "async",
    ASYNC_H,
    "async-queue",
    [
      "Async event queue (internal)",
      ["waiting 0 · in flight 0", "async-depth"],
      ["no retries scheduled", "async-retry"],
      ["", "thr:async", "throttle-line"],
      ["", "async-dropped"],
    ],
    asyncTargets.length ? asyncTargets : [LATEST],
    [retryLoop],
  );
  t.invokers.async.forEach((source, i) => {
    const a = anchors.get(`inv:async-src:${i}`);
    edges.push({ cls: `edge async-edge ${source.kind}`, d: curve(ASYNC_DROP_X, a.y0 + a.h, ASYNC_DROP_X, asyncY) });
  });
  for (const m of t.invokers.mappings) {
    const target = qualifierOr(m.qualifier);
    if (m.kind === "sqs") {
      const lanes = m.fifo ? fifoLaneItems(m, COL.inv.x, y + 80, COL.inv.w) : [];
      addInvoker(
        `esm:${m.uuid}`,
        80 + (m.fifo ? fifoLanesHeight() : 0),
        `esm sqs${m.fifo ? " fifo" : ""}`,
        [
          `SQS ${m.name} → poller`,
          ["visible – · in flight –", `q:${m.uuid}`],
          [m.dlq_name ? `DLQ ${m.dlq_name}: –` : "no DLQ", `dlq:${m.uuid}`],
          [`batch ${m.batch_size ?? 10}`, `esm-state:${m.uuid}`],
        ],
        [target],
        lanes,
      );
    } else {
      const lanes = Math.max(1, m.shard_count || 1);
      const laneItems = [];
      for (let i = 0; i < lanes; i++) {
        const ly = y + 26 + i * 26;
        laneItems.push({ type: "rect", cls: "lane", key: `lane:${m.uuid}:${i}`, x: COL.inv.x + 8, y: ly, w: COL.inv.w - 16, h: 22, rx: 4 });
        laneItems.push({ type: "text", cls: "lane-text", key: `lanetext:${m.uuid}:${i}`, x: COL.inv.x + 14, y: ly + 15, text: `shard ${i}: waiting for the poller` });
      }
      const title = `${m.kind === "dynamodb" ? "DynamoDB stream" : "Kinesis"} ${m.name}`;
      addInvoker(`esm:${m.uuid}`, 30 + lanes * 26, "esm stream", [title], [target], laneItems);
    }
  }
  const invHeight = y;

  // Versions (and their environments), then aliases centred against their versions.
  const versionY = new Map();
  let vy = TOP;
  const vh = 28 + ENV_ROWS * ENV_STEP;
  for (const v of t.versions) {
    const label = v === LATEST ? LATEST : `version ${v}`;
    items.push(node(`ver:${v}`, COL.ver.x, vy, COL.ver.w, vh, `version${v === LATEST ? " latest" : ""}`, [label, ["0 invocations", `vcount:${v}`], ["", `vsplit:${v}`]]));
    items.push({ type: "rect", cls: "env-box", x: COL.env.x, y: vy, w: COL.env.w, h: vh, rx: 8 });
    items.push({ type: "envs", version: v });
    items.push({ type: "text", cls: "env-count", x: COL.env.x + COL.env.w - 8, y: vy + vh - 6, anchor: "end", key: `envs:${v}`, text: "no environments" });
    edges.push({ cls: "edge ver-env", d: `M${COL.ver.x + COL.ver.w},${vy + vh / 2} L${COL.env.x},${vy + vh / 2}` });
    anchors.set(`ver:${v}`, { x: COL.ver.x, y: vy + vh / 2, right: COL.ver.x + COL.ver.w });
    anchors.set(`env:${v}`, { x: COL.env.x + COL.env.w / 2, y: vy + vh / 2, right: COL.env.x + COL.env.w, y0: vy });
    versionY.set(v, vy + vh / 2);
    vy += vh + GAP;
  }
  items.push({ type: "meter", x: COL.env.x, y: RESERVED_Y, w: COL.env.w, bottom: vy });

  let ay = TOP;
  for (const alias of t.aliases) {
    const routes = aliasRoutes(alias);
    const extra = routes[1]?.version;
    const h = 72;
    items.push(
      node(`alias:${alias.name}`, COL.alias.x, ay, COL.alias.w, h, "alias", [
        alias.name,
        [`→ ${alias.function_version}${extra ? ` + ${extra}` : ""}`, `alias-line:${alias.name}`],
        ["0 invocations", `acount:${alias.name}`],
        ["", `athr:${alias.name}`, "throttle-line"],
      ]),
    );
    const from = { x: COL.alias.x + COL.alias.w, y: ay + h / 2 };
    anchors.set(`alias:${alias.name}`, { x: COL.alias.x, y: ay + h / 2, right: from.x });
    for (const { version, weight, kind } of routes) {
      const to = versionY.get(version);
      if (to === undefined) continue;
      const key = `${alias.name}:${version}`;
      edges.push({ cls: `edge weight ${kind}`, key: `wedge:${key}`, d: curve(from.x, from.y, COL.ver.x, to), strokeWidth: Math.max(1.5, 2 + 18 * weight) });
      // A quarter of the way along the curve, so labels of different aliases do not pile up at a version.
      const lx = 0.703 * from.x + 0.297 * COL.ver.x + 6;
      // Two short lines (configured, then observed) so the label ends before the version node's text; above
      // the curve for the primary version, below it for the additional one.
      const ly = 0.844 * from.y + 0.156 * to + (kind === "primary" ? -17 : 13);
      items.push({ type: "text", cls: "edge-label", x: lx, y: ly, key: `wlabel:${key}`, text: `${Math.round(weight * 100)}% configured` });
    }
    ay += h + GAP;
  }

  // Outcomes
  let oy = TOP;
  const addOutcome = (id, cls, lines, h = 40) => {
    const n = node(`out:${id}`, COL.out.x, oy, COL.out.w, h, `outcome ${cls}`, lines);
    items.push(n);
    anchors.set(`out:${id}`, { x: COL.out.x, y: oy + h / 2 });
    oy += h + GAP;
    return n;
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
    const n = addOutcome(`dest:${d.arn}`, `dest ${d.kind}`, lines, 7 + lines.length * LINE_STEP);
    if (d.subscribers) n.tip = destinationTip(d);
  }

  // Invoker → qualifier edges
  for (const inv of invokers) {
    const a = anchors.get(`inv:${inv.id}`);
    for (const target of inv.targets) {
      const to = anchors.get(`alias:${target}`) || anchors.get(`ver:${target}`);
      if (!to) continue;
      edges.push({ cls: `edge invoke${inv.id === "sdk" ? " maybe" : ""}`, d: curve(a.x, a.y, to.x, to.y) });
    }
  }
  const height = Math.max(invHeight, vy, ay, oy) + 10;
  return { width: WIDTH, height, items, edges, anchors, invokers, destinations };
}

// The points a sampled invocation's dot runs through, and the async source it left from (-1: none).
export function dotPath(layout, topology, sample) {
  const { anchors } = layout;
  const invoker = invokerFor(topology, sample);
  const inv = anchors.get(`inv:${invoker}`) || anchors.get("inv:sdk");
  const pts = [[inv.x, inv.y]];
  const from = asyncSourceFor(topology, sample);
  if (from >= 0) {
    // Source → internal event queue → on.
    const src = anchors.get(`inv:async-src:${from}`);
    const queue = anchors.get("inv:async");
    pts.unshift([ASYNC_DROP_X, src.y0 + src.h], [ASYNC_DROP_X, queue.y0]);
  }
  const alias = sample.alias && anchors.get(`alias:${sample.alias}`);
  if (alias) pts.push([alias.x, alias.y], [alias.right, alias.y]);
  const version = sample.version || qualifierOr(sample.qualifier);
  const ver = anchors.get(`ver:${version}`) || anchors.get(`ver:${LATEST}`);
  if (sample.outcome === "Throttled") {
    // Rejected at the concurrency check: the 429 goes back to the caller; an async event goes back to its
    // queue and round the retry loop (it waits out its backoff there).
    const turn = alias ? [alias.right, alias.y] : [ver.x, ver.y];
    pts.push(turn, [inv.x, inv.y]);
    if (invoker === "async") {
      const loopTop = inv.y0 + inv.h - 26;
      pts.push([COL.inv.x + 200, loopTop], [ASYNC_DROP_X, loopTop + 17], [COL.inv.x + 60, loopTop]);
    }
    return { pts, from };
  }
  if (ver) pts.push([ver.x, ver.y], [ver.right, ver.y]);
  const env = anchors.get(`env:${version}`);
  if (env) pts.push([env.x, env.y], [env.right, env.y]);
  const out = anchors.get(`out:${outcomeKey(sample.outcome)}`);
  if (out) pts.push([out.x, out.y]);
  return { pts, from };
}

// Environments of one version, one square each (capped), in a distinct look per state: the squares and how many
// there are in all.
export function envSquares(states, top) {
  const cap = ENV_PER_ROW * ENV_ROWS;
  const squares = [];
  let i = 0;
  let total = 0;
  for (const state of [...ENV_ORDER, ...Object.keys(states).filter((s) => !ENV_ORDER.includes(s))]) {
    const n = states[state] || 0;
    total += n;
    for (let k = 0; k < n && i < cap; k++, i++) {
      const x = COL.env.x + 8 + (i % ENV_PER_ROW) * ENV_STEP;
      const y = top + 8 + Math.floor(i / ENV_PER_ROW) * ENV_STEP;
      squares.push({ state, x, y, size: ENV_SIZE });
    }
  }
  return { squares, total, cap };
}

// The concurrency meter against the reservation: the fill's width, the reservation line's x and whether it shows.
export function meterGeometry(inUse, reserved) {
  const scale = Math.max(10, inUse, reserved ?? 0) * 1.1;
  return {
    fill: (inUse / scale) * COL.env.w,
    x: COL.env.x + ((reserved ?? 0) / scale) * COL.env.w,
    visible: reserved !== null && reserved !== undefined,
  };
}
