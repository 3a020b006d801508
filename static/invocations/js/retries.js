// The async retry loop's pending retries: one entry per event waiting for its next attempt, newest first.
// An entry leaves when its event settles (processed, or dropped to a DLQ/destination/expiry). Settlement facts
// share a capped budget in busy frames, so an entry whose retry time is long past is let go as well.

import { escapeHtml, simClock } from "./common.js";

const KEEP = 200; // entries remembered (bounded however many events fail)
export const SHOWN = 8; // entries listed
const GRACE_S = 30; // simulated seconds past the retry time before an unsettled entry is let go

export class PendingRetries {
  constructor() {
    this.items = new Map(); // request id -> the latest RetryScheduled; insertion order = scheduling order
    this.left = { settled: 0, unseen: 0 }; // settled, or let go without seeing it (data-* on the list, for tests)
  }

  scheduled(event) {
    this.items.delete(event.request_id); // a later retry of the same event moves it to the front
    this.items.set(event.request_id, event);
    if (this.items.size > KEEP) this.items.delete(this.items.keys().next().value);
  }

  // A snapshot's list (the queue as it is now) replaces what the events said; the latest due ends up first.
  load(facts) {
    this.items.clear();
    for (const fact of [...(facts || [])].sort((a, b) => a.retry_at - b.retry_at)) this.scheduled(fact);
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
      return `<li data-retry="${escapeHtml(r.request_id)}">attempt ${r.attempts + 1} ${due ? "due since" : "at"} ` +
        `<time>${simClock(r.retry_at)}</time> · ${escapeHtml(r.cause)} · <code>…${escapeHtml(r.request_id.slice(-12))}</code></li>`;
    }).join("");
    const more = this.items.size > shown.length ? `<li class="muted">and ${this.items.size - shown.length} more</li>` : "";
    const text = html ? html + more : `<li class="muted">none: every async event is settled or on its first attempt</li>`;
    if (list.innerHTML !== text) list.innerHTML = text;
    list.dataset.settled = String(this.left.settled);
    list.dataset.unseen = String(this.left.unseen);
  }
}
