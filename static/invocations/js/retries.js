// The async retry loop's pending retries: one entry per event waiting for its next attempt, newest first.
// An entry leaves when its event settles (processed, or dropped to a DLQ/destination/expiry). Settlement facts
// share a capped budget in busy frames, so an entry whose retry time is long past is let go as well.

import { escapeHtml, fmt, shortArn, simClock } from "./common.js";

const KEEP = 200; // entries remembered (bounded however many events fail)
export const SHOWN = 8; // entries listed
const GRACE_S = 30; // simulated seconds past the retry time before an unsettled entry is let go

export const DROPPED_SHOWN = 5; // dropped events listed after the pending ones

// 1, 2, 4 … or 1.5: no ".0" on whole numbers.
function seconds(n) {
  return Number.isInteger(n) ? String(n) : fmt(n, n < 10 ? 1 : 0);
}

export class PendingRetries {
  constructor() {
    this.items = new Map(); // request id -> the latest RetryScheduled; insertion order = scheduling order
    this.left = { settled: 0, unseen: 0 }; // settled, or let go without seeing it (data-* on the list, for tests)
    this.drops = []; // the latest AsyncEventDropped facts, newest first, with where the event went (if anywhere)
    this.deliveries = new Map(); // request id -> DLQ / on-failure destination it went to (just before its drop)
  }

  scheduled(event) {
    // A refusal's backoff: the snapshot says it; an event says when it was scheduled and when it is due.
    const backoff = event.backoff ?? (event.at !== undefined ? event.retry_at - event.at : null);
    this.items.delete(event.request_id); // a later retry of the same event moves it to the front
    this.items.set(event.request_id, { ...event, backoff });
    if (this.items.size > KEEP) this.items.delete(this.items.keys().next().value);
  }

  deliveredTo(requestId, target) {
    this.deliveries.set(requestId, target);
    if (this.deliveries.size > KEEP) this.deliveries.delete(this.deliveries.keys().next().value);
  }

  // An event left the queue without success: listed as dropped, with its reason and where it went.
  dropped(event) {
    this.settled(event.request_id);
    const target = this.deliveries.get(event.request_id);
    this.deliveries.delete(event.request_id);
    this.drops.unshift({ request_id: event.request_id, condition: event.condition, at: event.at, target });
    this.drops.length = Math.min(this.drops.length, DROPPED_SHOWN);
  }

  // The backoff of the latest throttled retry (1 s doubling to 5 min, semantics §2), for the queue's line.
  throttleBackoff() {
    const throttled = [...this.items.values()].filter((r) => r.cause !== "FunctionError" && r.backoff);
    if (!throttled.length) return "";
    const latest = throttled.at(-1).backoff;
    return latest >= 60 ? `${seconds(latest / 60)} min` : `${seconds(latest)} s`;
  }

  // A snapshot's list (the queue as it is now) replaces what the events said; the latest due ends up first.
  load(facts) {
    this.items.clear();
    for (const fact of [...(facts || [])].sort((a, b) => a.retry_at - b.retry_at)) this.scheduled(fact);
  }

  // A snapshot's dropped events (newest first, kept in Redis: dropped_events.py) replace the list, so a reload
  // still says which events were dropped, why, and where they went.
  loadDrops(facts) {
    this.drops = (facts || []).slice(0, DROPPED_SHOWN).map((d) => (
      { request_id: d.request_id, condition: d.condition, at: d.at, target: d.target ? shortArn(d.target) : undefined }));
  }

  settled(requestId) {
    if (this.items.delete(requestId)) this.left.settled += 1;
  }

  prune(simNow) {
    if (simNow === null || simNow === undefined) return;
    for (const [id, r] of this.items) {
      if (r.retry_at + GRACE_S < simNow) {
        this.items.delete(id);
        this.left.unseen += 1;
      }
    }
  }

  get size() {
    return this.items.size;
  }

  newest(limit = SHOWN) {
    return [...this.items.values()].reverse().slice(0, limit);
  }

  summary() {
    if (!this.items.size) return "no retries scheduled";
    const next = Math.min(...[...this.items.values()].map((r) => r.retry_at));
    return `${this.items.size} retr${this.items.size === 1 ? "y" : "ies"} pending · next ${simClock(next)}`;
  }

  render(list, simNow) {
    const shown = this.newest();
    const html = shown.map((r) => {
      const due = simNow !== null && simNow !== undefined && r.retry_at <= simNow;
      const backoff = r.cause !== "FunctionError" && r.backoff ? ` (backoff ${seconds(r.backoff)} s)` : "";
      return `<li data-retry="${escapeHtml(r.request_id)}">attempt ${r.attempts + 1} ${due ? "due since" : "at"} ` +
        `<time>${simClock(r.retry_at)}</time> · ${escapeHtml(r.cause)}${backoff} · <code>…${escapeHtml(r.request_id.slice(-12))}</code></li>`;
    }).join("");
    const more = this.items.size > shown.length ? `<li class="muted">and ${this.items.size - shown.length} more</li>` : "";
    const drops = this.drops.map((d) => `<li class="dropped" data-dropped="${escapeHtml(d.request_id)}">dropped at ` +
      `<time>${simClock(d.at)}</time> · ${escapeHtml(d.condition)} · ` +
      `${d.target ? `sent to ${escapeHtml(d.target)}` : "no DLQ or on-failure destination: the event is lost"} · ` +
      `<code>…${escapeHtml(d.request_id.slice(-12))}</code></li>`).join("");
    const text = html || drops ? html + more + drops : `<li class="muted">none: every async event is settled or on its first attempt</li>`;
    if (list.innerHTML !== text) list.innerHTML = text;
    list.dataset.settled = String(this.left.settled);
    list.dataset.unseen = String(this.left.unseen);
  }
}
