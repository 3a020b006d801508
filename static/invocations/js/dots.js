// Animated dots for sampled invocations, drawn on a canvas over the diagram with requestAnimationFrame.

const COLORS = { ok: "#2f9e44", err: "#e03131", cold: "#f08c00", thr: "#868e96" };
const MAX_ALIVE = 240;
const PER_FRAME = 24;
const DURATION_MS = 1600;

export class Dots {
  constructor(canvas, svg, viewWidth) {
    this.canvas = canvas;
    this.svg = svg;
    this.viewWidth = viewWidth;
    this.alive = [];
    this.drawn = 0;
    this.running = false;
    this.reduced = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
    this.resize();
    new ResizeObserver(() => this.resize()).observe(svg);
  }

  resize() {
    const rect = this.svg.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    this.cssWidth = rect.width;
    this.cssHeight = rect.height;
    this.canvas.style.width = `${rect.width}px`;
    this.canvas.style.height = `${rect.height}px`;
    this.canvas.width = Math.round(rect.width * ratio);
    this.canvas.height = Math.round(rect.height * ratio);
    this.scale = (rect.width / this.viewWidth) * ratio;
  }

  add(samples, pathFor) {
    const now = performance.now();
    for (const sample of samples.slice(0, PER_FRAME)) {
      if (this.alive.length >= MAX_ALIVE) this.alive.shift();
      const pts = pathFor(sample);
      if (!pts || pts.length < 2) continue;
      const lengths = [];
      let total = 0;
      for (let i = 1; i < pts.length; i++) {
        const d = Math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]);
        lengths.push(d);
        total += d;
      }
      const color = sample.outcome === "Throttled" ? COLORS.thr
        : sample.cold ? COLORS.cold
          : sample.outcome === "Success" ? COLORS.ok : COLORS.err;
      // Spread a frame's dots over its 100 ms so they do not move in lock-step.
      this.alive.push({ pts, lengths, total, color, start: now + Math.random() * 100, jitter: (Math.random() - 0.5) * 8 });
      this.drawn += 1;
    }
    this.canvas.dataset.dotsDrawn = String(this.drawn);
    if (!this.running) {
      this.running = true;
      requestAnimationFrame((t) => this.draw(t));
    }
  }

  draw(now) {
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.setTransform(this.scale, 0, 0, this.scale, 0, 0);
    const keep = [];
    for (const dot of this.alive) {
      const f = (now - dot.start) / DURATION_MS;
      if (f < 0) { keep.push(dot); continue; }
      if (f >= 1) continue;
      keep.push(dot);
      let along = f * dot.total;
      let i = 0;
      while (i < dot.lengths.length - 1 && along > dot.lengths[i]) { along -= dot.lengths[i]; i++; }
      const [x1, y1] = dot.pts[i];
      const [x2, y2] = dot.pts[i + 1];
      const r = dot.lengths[i] ? Math.min(1, along / dot.lengths[i]) : 1;
      ctx.beginPath();
      ctx.fillStyle = dot.color;
      ctx.globalAlpha = f > 0.85 ? (1 - f) / 0.15 : 1;
      ctx.arc(x1 + (x2 - x1) * r, y1 + (y2 - y1) * r + dot.jitter, 5, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    this.alive = keep;
    if (this.alive.length) requestAnimationFrame((t) => this.draw(t));
    else { this.running = false; ctx.setTransform(1, 0, 0, 1, 0, 0); ctx.clearRect(0, 0, this.canvas.width, this.canvas.height); }
  }
}
