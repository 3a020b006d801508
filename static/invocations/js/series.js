// Small rolling series: invocations per simulated second, sparklines per wall second, chart buckets.

export class RateMeter {
  // Invocations per simulated second over the last few frames (the clock may run at ×60 or be paused).
  constructor(windowMs = 3000) {
    this.windowMs = windowMs;
    this.items = [];
  }

  add(simTime, invocations, throttles) {
    this.items.push({ at: performance.now(), sim: simTime, invocations, throttles });
  }

  read() {
    const cutoff = performance.now() - this.windowMs;
    while (this.items.length && this.items[0].at < cutoff) this.items.shift();
    if (this.items.length < 2) return { perSecond: 0, throttlesPerSecond: 0 };
    const sims = this.items.map((i) => i.sim).filter((s) => s !== null && s !== undefined);
    const wallSpan = (this.items.at(-1).at - this.items[0].at) / 1000;
    const simSpan = sims.length >= 2 ? Math.max(...sims) - Math.min(...sims) : 0;
    const span = simSpan > 0.05 ? simSpan : wallSpan || 1;
    const sum = (key) => this.items.slice(1).reduce((a, i) => a + i[key], 0);
    return { perSecond: sum("invocations") / span, throttlesPerSecond: sum("throttles") / span };
  }
}

export class Sparkline {
  // Per wall second, the last 60 seconds, drawn on a small canvas.
  constructor(canvas, valueEl) {
    this.canvas = canvas;
    this.valueEl = valueEl;
    this.values = new Array(60).fill(0);
    this.current = 0;
    this.started = performance.now();
  }

  add(n) { this.current += n; }

  roll() {
    const now = performance.now();
    if (now - this.started < 1000) return;
    this.started = now;
    this.values.push(this.current);
    this.values.shift();
    if (this.valueEl) this.valueEl.textContent = `${this.current}/s`;
    this.current = 0;
  }

  draw() {
    const { canvas } = this;
    const ctx = canvas.getContext("2d");
    const ratio = window.devicePixelRatio || 1;
    const w = canvas.clientWidth || canvas.width;
    const h = canvas.clientHeight || canvas.height;
    if (canvas.width !== Math.round(w * ratio)) { canvas.width = Math.round(w * ratio); canvas.height = Math.round(h * ratio); }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const max = Math.max(1, ...this.values);
    ctx.beginPath();
    this.values.forEach((v, i) => {
      const x = (i / (this.values.length - 1)) * (w - 2) + 1;
      const y = h - 2 - (v / max) * (h - 4);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.strokeStyle = "#d9480f";
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
}

export class Buckets {
  // One bucket per simulated second, the last `windowSec` seconds, for the function view's charts.
  constructor(windowSec = 300) {
    this.windowSec = windowSec;
    this.map = new Map();
    this.versions = new Set();
    this.dirty = false;
  }

  bucket(t) {
    const key = Math.floor(t);
    let b = this.map.get(key);
    if (!b) {
      b = { t: key, versions: {}, errors: 0, timeouts: 0, throttles: 0, cold: 0, p50: [], p95: [], concurrency: null };
      this.map.set(key, b);
      for (const old of this.map.keys()) {
        if (old < key - this.windowSec) this.map.delete(old); else break;
      }
    }
    return b;
  }

  add(t, fn, concurrency) {
    if (t === null || t === undefined) return;
    const b = this.bucket(t);
    if (fn) {
      for (const [version, outcomes] of Object.entries(fn.by_version || {})) {
        this.versions.add(version);
        for (const [outcome, n] of Object.entries(outcomes)) {
          b.versions[version] = (b.versions[version] || 0) + n;
          if (outcome === "Timeout") b.timeouts += n;
          else if (outcome !== "Success") b.errors += n;
        }
      }
      b.throttles += Object.values(fn.throttles || {}).reduce((a, c) => a + c, 0);
      b.cold += fn.cold_starts || 0;
      if (fn.duration_p50 !== null && fn.duration_p50 !== undefined) b.p50.push(fn.duration_p50);
      if (fn.duration_p95 !== null && fn.duration_p95 !== undefined) b.p95.push(fn.duration_p95);
    }
    if (concurrency !== null && concurrency !== undefined) b.concurrency = Math.max(b.concurrency ?? 0, concurrency);
    this.dirty = true;
  }

  // The server's history (/history, from the metric store): it replaces the seconds it covers, except the last
  // two, whose metrics may still be on their way to Redis while the live frames already counted them.
  load(history) {
    for (const row of history.buckets || []) {
      if (row.t >= history.until - 2 && this.map.has(row.t)) continue;
      for (const version of Object.keys(row.versions)) this.versions.add(version);
      this.map.set(row.t, {
        t: row.t,
        versions: { ...row.versions },
        errors: row.errors,
        timeouts: row.timeouts,
        throttles: row.throttles,
        cold: row.cold,
        p50: row.p50 === null ? [] : [row.p50],
        p95: row.p95 === null ? [] : [row.p95],
        concurrency: row.concurrency,
      });
    }
    // bucket() prunes in key order: keep the map sorted, and within the window.
    const newest = Math.max(...this.map.keys());
    this.map = new Map([...this.map.entries()].filter(([t]) => t >= newest - this.windowSec).sort((a, b) => a[0] - b[0]));
    this.dirty = this.map.size > 0;
  }

  rows() {
    return [...this.map.values()].sort((a, b) => a.t - b.t);
  }
}
