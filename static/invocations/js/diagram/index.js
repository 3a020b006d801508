// The function's live diagram in the page: lays the topology out (layout.js), draws it (render.js), and writes
// what the state (state.js) says into the SVG in place as frames, events and totals arrive.

import { FIT, dotPath, layoutDiagram } from "./layout.js";
import { renderDiagram, renderEdgeLabel, renderEnvSquares } from "./render.js";
import { DiagramState } from "./state.js";

export { WIDTH } from "./layout.js";

const MIN_FONT = 10; // px: the smallest a long source line may shrink to before it is cut

export class Diagram {
  constructor(svg, onLayout) {
    this.svg = svg;
    this.onLayout = onLayout;
    this.state = new DiagramState();
    this.layout = null;
    this.keys = new Map();
    this.envGroups = new Map();
  }

  get topology() {
    return this.state.topology;
  }

  get retries() {
    return this.state.retries;
  }

  get destinations() {
    return this.layout?.destinations;
  }

  get height() {
    return this.layout?.height;
  }

  get reserved() {
    return this.state.reserved;
  }

  render(topology) {
    const layout = layoutDiagram(topology);
    this.layout = layout;
    this.svg.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);
    this.svg.innerHTML = renderDiagram(layout);
    this.keys = new Map([...this.svg.querySelectorAll("[data-k]")].map((el) => [el.dataset.k, el]));
    this.envGroups = new Map([...this.svg.querySelectorAll("[data-envs]")].map((el) => [el.dataset.envs, el]));
    this.fitSources();
    this.state.reset(topology, layout);
    this.applyCounts();
    this.onLayout?.(layout.height);
  }

  // A topic, rule, pattern or list of subscribers can be longer than its node is wide: a line shrinks a little to
  // fit, and what still does not fit is cut (with "…"; the tip and the list under the diagram give a source whole).
  // Again after projector mode changes the text size.
  fitSources() {
    this.fitLines('[data-node^="async-src:"] text:not([data-k])', FIT.source);
    this.fitLines(".chain-line", FIT.chain);
    this.fitLines(".sdk-note", FIT.sdkNote);
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

  set(key, text) {
    const el = this.keys.get(key);
    if (el && el.textContent !== text) el.textContent = text;
  }

  edgeLabel(key, first, second) {
    const el = this.keys.get(key);
    if (!el || el.dataset.shown === `${first}|${second}`) return;
    el.dataset.shown = `${first}|${second}`;
    el.innerHTML = renderEdgeLabel(el.getAttribute("x"), first, second);
  }

  // The points of a sampled invocation's dot. The async source it left from keeps how many dots left it
  // (data-dots, read by browser tests).
  path(sample) {
    const { pts, from } = dotPath(this.layout, this.topology, sample);
    if (from >= 0) {
      const g = this.svg.querySelector(`[data-node="async-src:${from}"]`);
      if (g) g.dataset.dots = String(Number(g.dataset.dots || 0) + 1);
    }
    return pts;
  }

  frame(fn, events, gauges, now, simNow = null) {
    if (!this.topology) return;
    this.state.frame(fn, events, now, simNow);
    if (gauges) this.gauges(gauges);
    this.applyCounts(now);
  }

  totals(t) {
    if (this.state.totals(t)) this.applyCounts();
  }

  gauges(g) {
    const view = this.state.gauges(g);
    for (const [key, text] of view.texts) this.set(key, text);
    for (const { key, blocked } of view.shards) this.keys.get(key)?.classList.toggle("blocked", blocked);
    for (const { uuid, lanes, more } of view.fifo) {
      lanes.forEach((lane, i) => {
        const el = this.keys.get(`glane:${uuid}:${i}`);
        el?.classList.toggle("blocked", lane.blocked);
        el?.classList.toggle("flowing", lane.flowing);
        if (el && el.dataset.group !== lane.group) {
          el.dataset.group = lane.group;
          el.replaceChildren(...(lane.title === null ? [] : [svgTitle(lane.title)]));
        }
        this.set(`glanetext:${uuid}:${i}`, lane.text);
      });
      this.set(`gmore:${uuid}`, more);
    }
    for (const { version, states } of view.envs) {
      const group = this.envGroups.get(version);
      const anchor = this.layout.anchors.get(`env:${version}`);
      if (!group || !anchor) continue;
      const { squares, text } = this.state.envView(states, anchor.y0);
      group.innerHTML = renderEnvSquares(squares);
      this.set(`envs:${version}`, text);
    }
    this.keys.get("meter-fill")?.setAttribute("width", String(view.meter.fill));
    const line = this.keys.get("reserved-line");
    if (line) {
      line.setAttribute("visibility", view.meter.visible ? "visible" : "hidden");
      line.setAttribute("x1", String(view.meter.x));
      line.setAttribute("x2", String(view.meter.x));
    }
  }

  applyCounts(now = performance.now()) {
    const { texts, edgeLabels, marks } = this.state.view(now);
    for (const [key, text] of texts) this.set(key, text);
    for (const [key, first, second] of edgeLabels) this.edgeLabel(key, first, second);
    for (const { key, text, flash } of marks) {
      const el = this.keys.get(key);
      if (!el) continue;
      el.textContent = text;
      el.classList.toggle("flash", flash);
    }
  }

  updateAlias(name, functionVersion, weights) {
    if (!this.state.updateAlias(name, functionVersion, weights)) return false;
    this.render(this.topology);
    return true;
  }
}

function svgTitle(text) {
  const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
  title.textContent = text;
  return title;
}
