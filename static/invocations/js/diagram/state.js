// What the diagram shows besides its layout: counts since the simulation started, the observed split, throttle
// marks, pending retries and the gauges (queues, shards, FIFO groups, environments, concurrency), from the live
// frames, events and snapshots. Pure (no DOM): each method returns what to write where; Diagram writes it.

import { fmt, shortArn } from "../common.js";
import { fifoLaneView } from "../fifo_lanes.js";
import { PendingRetries } from "../retries.js";
import { aliasRoutes, envSquares, meterGeometry } from "./layout.js";
import { outcomeKey, shardLabel, sourceCount, stateLabel } from "./labels.js";
import { asyncSourceFor, invokerFor, throttledBy } from "./routing.js";

const OBSERVED_MS = 10000; // the observed split covers the last 10 s of wall time
const FLASH_MS = 1500; // a throttle mark flashes this long after a refusal

// What a frame's edges say about each alias. A caller->alias edge counts every call of the alias, throttled ones
// included; an alias->version edge counts an invocation that ran on that version. So the executed invocations
// (and the observed split) come from the alias->version edges alone, and the rest of the calls were throttled.
export function aliasTraffic(edges, aliases) {
  const names = new Set(aliases.map((a) => a.name));
  const out = {};
  const entry = (alias) => {
    out[alias] ??= { calls: 0, executed: 0, throttled: 0, byVersion: {} };
    return out[alias];
  };
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

export class DiagramState {
  constructor() {
    this.topology = null;
    this.destinations = [];
    this.invokers = [];
    this.counts = { Success: 0, Error: 0, Timeout: 0, Throttled: 0 };
    this.observed = [];
    this.throttleAt = new Map();
    this.delivered = new Map();
    this.retries = new PendingRetries();
    this.fifoSeen = new Map();
    this.envSignature = new Map();
    this.totalsSeen = null;
    this.dropped = null;
    this.simNow = null;
    this.concurrency = 0;
    this.reserved = undefined;
  }

  // A new layout: counts again for it (an alias or a source may have come or gone), environments redrawn.
  reset(topology, { invokers, destinations }) {
    this.topology = topology;
    this.invokers = invokers;
    this.destinations = destinations;
    this.envSignature.clear();
    this.dropped = null; // the new SVG's line is empty until the totals say otherwise
    const seen = this.totalsSeen;
    this.totalsSeen = null;
    if (seen) this.totals(seen);
  }

  // A frame: what changed just now (the observed split over the last 10 s, which invoker was refused). The node
  // counts come from the server's totals since the simulation started (totals()), not from adding frames up.
  frame(fn, events, now, simNow = null) {
    if (simNow !== null) this.simNow = simNow;
    if (fn) {
      for (const key of Object.keys(fn.throttled_by || {})) {
        const id = invokerFor(this.topology, throttledBy(key));
        this.throttleAt.set(id, { ...this.throttleAt.get(id), at: now });
      }
      for (const [alias, split] of Object.entries(aliasTraffic(fn.edges, this.topology.aliases))) {
        for (const [version, n] of Object.entries(split.byVersion)) this.observed.push({ at: now, alias, version, n });
      }
    }
    for (const event of events || []) this.event(event, now);
  }

  // The server's totals since the simulation started (runtime/totals.py), from a snapshot or a frame; an older
  // copy than the one shown (fewer frames folded in) is ignored. False: ignored.
  totals(t) {
    if (!t || !this.topology || (this.totalsSeen && (t.frames || 0) < (this.totalsSeen.frames || 0))) return false;
    this.totalsSeen = t;
    const counts = { Success: 0, Error: 0, Timeout: 0, Throttled: 0 };
    const add = (key, n) => {
      counts[key] = (counts[key] || 0) + n;
    };
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
      const id = invokerFor(this.topology, by);
      refused.set(id, (refused.get(id) || 0) + n);
    }
    for (const [id, n] of refused) this.throttleAt.set(id, { at: -Infinity, ...this.throttleAt.get(id), n });
    for (const [edge, n] of Object.entries(t.edges || {})) {
      const [from, to] = edge.split("->");
      const i = asyncSourceFor(this.topology, { source: from, qualifier: to });
      if (i >= 0) add(`src:${i}`, n);
    }
    for (const [alias, split] of Object.entries(aliasTraffic(t.edges, this.topology.aliases))) {
      add(`a:${alias}`, split.executed);
      add(`athr:${alias}`, split.throttled);
    }
    this.counts = counts;
    this.delivered = new Map(Object.entries(t.delivered || {}));
    const dropped = Object.entries(t.dropped || {});
    if (dropped.length) this.dropped = `dropped: ${dropped.map(([c, n]) => `${c} ×${fmt(n)}`).join(", ")}`;
    return true;
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

  // The gauges of a frame or snapshot: texts by data-k key, shard lanes, FIFO lanes, the environments of the
  // versions whose states changed, and the concurrency meter.
  gauges(g) {
    const fnName = this.topology.name;
    const texts = [];
    const set = (key, text) => texts.push([key, text]);
    const shards = [];
    const fifo = [];
    const async = g.async_queue || {};
    set("async-depth", `waiting ${fmt(async.waiting || 0)} · in flight ${fmt(async.in_flight || 0)}`);
    for (const m of this.topology.invokers.mappings) {
      if (m.kind === "sqs") {
        const q = g.queues?.[m.arn];
        if (q) set(`q:${m.uuid}`, `visible ${fmt(q.visible)} · in flight ${fmt(q.in_flight)}${q.delayed ? ` · delayed ${fmt(q.delayed)}` : ""}`);
        const dlq = g.queues?.[m.dlq_arn];
        if (m.dlq_arn) set(`dlq:${m.uuid}`, `DLQ ${m.dlq_name}: ${dlq ? `${fmt(dlq.visible)} now` : "–"}`);
        const poller = g.mappings?.[m.uuid];
        if (poller && poller.pollers !== undefined) set(`esm-state:${m.uuid}`, `batch ${m.batch_size ?? 10} · ${poller.pollers} pollers`);
        if (m.fifo) {
          if (!this.fifoSeen.has(m.uuid)) this.fifoSeen.set(m.uuid, []);
          fifo.push({ uuid: m.uuid, ...fifoLaneView(poller, this.fifoSeen.get(m.uuid)) });
        }
      } else {
        const mapping = g.mappings?.[m.uuid];
        if (!mapping?.shards) continue;
        Object.keys(mapping.shards)
          .sort()
          .forEach((shardId, i) => {
            const shard = mapping.shards[shardId];
            shards.push({ key: `lane:${m.uuid}:${i}`, blocked: !!shard.blocked });
            const short = shardLabel(shardId);
            const at = `at ${shard.checkpoint ?? "start"} · age ${fmt(shard.iterator_age, 1)}s`;
            set(`lanetext:${m.uuid}:${i}`, shard.blocked ? `${short}: BLOCKED ${at}` : `${short}: ${at}`);
          });
      }
    }
    // Environments per version, one square each (capped), in a distinct look per state.
    const envs = [];
    for (const version of this.topology.versions) {
      const states = g.environments?.[`${fnName}:${version}`] || {};
      const signature = JSON.stringify(states);
      if (this.envSignature.get(version) === signature) continue;
      this.envSignature.set(version, signature);
      envs.push({ version, states });
    }
    // Concurrency against the reservation (or the unreserved pool).
    const inUse = g.concurrency?.[fnName] || 0;
    const reserved = g.reserved?.[fnName];
    set(
      "meter-text",
      reserved === null || reserved === undefined
        ? `concurrency ${inUse} · unreserved pool ${g.account?.unreserved_capacity ?? "–"}`
        : `concurrency ${inUse} · reserved ${reserved}`,
    );
    this.concurrency = inUse;
    this.reserved = reserved;
    return { texts, shards, fifo, envs, meter: meterGeometry(inUse, reserved) };
  }

  // Environment squares of one version and the line under them.
  envView(states, top) {
    const { squares, total, cap } = envSquares(states, top);
    const summary = Object.entries(states)
      .filter(([, n]) => n)
      .map(([s, n]) => `${n} ${stateLabel(s)}`)
      .join(" · ");
    return { squares, text: total ? `${summary}${total > cap ? ` (+${total - cap} not drawn)` : ""}` : "no environments" };
  }

  // Every count the diagram shows, the alias edges' configured/observed labels and the throttle marks, as of `now`
  // (wall ms). Drops observations older than the observed window and retries long past their time.
  view(now) {
    const t = this.topology;
    const texts = [];
    const set = (key, text) => texts.push([key, text]);
    for (const key of ["Success", "Error", "Timeout", "Throttled"]) set(`out:${key}`, fmt(this.counts[key] || 0));
    for (const version of t.versions) set(`vcount:${version}`, `${fmt(this.counts[`v:${version}`] || 0)} invocations`);
    for (const alias of t.aliases) {
      set(`acount:${alias.name}`, `${fmt(this.counts[`a:${alias.name}`] || 0)} invocations`);
      const throttled = this.counts[`athr:${alias.name}`] || 0;
      set(`athr:${alias.name}`, throttled ? `${fmt(throttled)} throttled` : "");
    }
    t.invokers.async.forEach((source, i) => {
      set(`src:${i}`, sourceCount(source, this.counts[`src:${i}`] || 0));
    });
    for (const d of this.destinations) set(`dest:${d.arn}`, `${fmt(this.delivered.get(d.arn) || 0)} delivered`);
    if (this.dropped) set("async-dropped", this.dropped);
    // Configured vs observed split: executed invocations only, over the last 10 s of wall time.
    this.observed = this.observed.filter((o) => now - o.at < OBSERVED_MS);
    const edgeLabels = [];
    for (const alias of t.aliases) {
      const seen = this.observed.filter((o) => o.alias === alias.name);
      const total = seen.reduce((a, o) => a + o.n, 0);
      for (const { version, weight } of aliasRoutes(alias)) {
        const n = seen.filter((o) => o.version === version).reduce((a, o) => a + o.n, 0);
        edgeLabels.push([`wlabel:${alias.name}:${version}`, `${Math.round(weight * 100)}% configured`, total ? `· ${Math.round((n / total) * 100)}% observed` : ""]);
      }
    }
    const marks = [];
    for (const inv of this.invokers) {
      const mark = this.throttleAt.get(inv.id)?.n ? this.throttleAt.get(inv.id) : null; // n: from the totals
      const recent = !!mark && now - mark.at < FLASH_MS;
      let text;
      if (inv.id === "async") {
        const backoff = this.retries.throttleBackoff();
        text = mark ? `throttled ×${fmt(mark.n)}${backoff ? ` · backoff ${backoff}` : " · re-queued"}` : "";
      } else {
        text = mark ? `${inv.id.startsWith("esm:") ? "poller backing off" : "429"} ×${fmt(mark.n)}` : "";
      }
      marks.push({ key: `thr:${inv.id}`, text, flash: recent });
    }
    this.retries.prune(this.simNow);
    set("async-retry", this.retries.summary());
    return { texts, edgeLabels, marks };
  }

  // An alias changed its weights (an event): false if the topology has no such alias.
  updateAlias(name, functionVersion, weights) {
    const alias = this.topology?.aliases.find((a) => a.name === name);
    if (!alias) return false;
    alias.function_version = functionVersion ?? alias.function_version;
    alias.additional_version_weights = weights || {};
    return true;
  }
}
