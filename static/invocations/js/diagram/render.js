// The diagram's layout (layout.js) as SVG markup. Pure: strings in, a string out.

import { escapeHtml as esc } from "../common.js";
import { HEADER_Y, HEADERS } from "./layout.js";

const DEFS =
  '<defs><marker id="arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">' +
  '<path d="M0,0 L10,5 L0,10 z"/></marker></defs>';

const keyAttr = (key) => (key ? ` data-k="${esc(key)}"` : "");

function text(item) {
  const anchor = item.anchor ? ` text-anchor="${item.anchor}"` : "";
  return `<text class="${item.cls}" x="${item.x}" y="${item.y}"${anchor}${keyAttr(item.key)}>${esc(item.text)}</text>`;
}

function node(n) {
  const lines = n.lines
    .map((line) => `<text x="${line.x}" y="${line.y}" class="${line.title ? "node-title" : "node-line"} ${line.cls}"${keyAttr(line.key)}>${esc(line.text)}</text>`)
    .join("");
  const tip = n.tip === null ? "" : ` tabindex="0" data-tip="${esc(n.tip)}"`;
  return `<g class="node ${n.cls}" data-node="${esc(n.id)}"${tip}><rect x="${n.x}" y="${n.y}" width="${n.w}" height="${n.h}" rx="8"/>${lines}${n.extras.map(item).join("")}</g>`;
}

function meter(m) {
  return (
    `<g class="reserved-meter"><rect class="meter-bg" x="${m.x}" y="${m.y}" width="${m.w}" height="10" rx="3"/>` +
    `<rect class="meter-fill" data-k="meter-fill" x="${m.x}" y="${m.y}" width="0" height="10" rx="3"/>` +
    `<line class="reserved-line" data-k="reserved-line" x1="${m.x}" x2="${m.x}" y1="${m.y - 6}" y2="${m.bottom}" visibility="hidden"/>` +
    `<text class="meter-text" data-k="meter-text" x="${m.x}" y="${m.y - 5}">concurrency 0</text></g>`
  );
}

function item(it) {
  switch (it.type) {
    case "node":
      return node(it);
    case "text":
      return text(it);
    case "rect":
      return `<rect class="${it.cls}"${keyAttr(it.key)} x="${it.x}" y="${it.y}" width="${it.w}" height="${it.h}" rx="${it.rx}"/>`;
    case "path":
      return `<path class="${it.cls}" d="${it.d}"${it.marker ? ` marker-end="url(#${it.marker})"` : ""}/>`;
    case "envs":
      return `<g data-envs="${esc(it.version)}"></g>`;
    case "meter":
      return meter(it);
    default:
      throw new Error(`unknown diagram item ${it.type}`);
  }
}

function edge(e) {
  const width = e.strokeWidth === undefined ? "" : ` stroke-width="${e.strokeWidth}"`;
  return `<path class="${e.cls}"${keyAttr(e.key)} d="${e.d}"${width}/>`;
}

// The SVG's inner markup: column heads, the edges under everything, then the nodes and texts.
export function renderDiagram(layout) {
  const headers = HEADERS.map(([label, col]) => `<text class="col-head" x="${col.x}" y="${HEADER_Y}">${label}</text>`).join("");
  return `${DEFS}${headers}<g class="edges">${layout.edges.map(edge).join("")}</g>${layout.items.map(item).join("")}`;
}

// One version's environment squares (layout.envSquares).
export function renderEnvSquares(squares) {
  return squares
    .map((s) => `<rect class="env ${s.state.toLowerCase()}" x="${s.x}" y="${s.y}" width="${s.size}" height="${s.size}" rx="2"><title>${s.state}</title></rect>`)
    .join("");
}

// An edge label of one or two lines; its text reads "95% configured· 97% observed" as a whole.
export function renderEdgeLabel(x, first, second) {
  return second ? `<tspan x="${x}">${esc(first)}</tspan><tspan x="${x}" dy="12">${esc(second)}</tspan>` : esc(first);
}
