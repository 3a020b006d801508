// Shared by the JS unit tests: the demo topologies (fixtures/topologies.json, checked against the demo by
// tests/dashboard/test_topology_fixtures.py) and text boxes estimated from the diagram's CSS.

import { readFileSync } from "node:fs";

export const TOPOLOGIES = JSON.parse(readFileSync(new URL("./fixtures/topologies.json", import.meta.url)));

export function topology(name) {
  return structuredClone(TOPOLOGIES[name]);
}

// Font sizes from dashboard.css (.diagram text 12px; these classes smaller or larger).
const FONT = { "col-head": 13, "edge-label": 11, "lane-text": 11, "env-count": 11, "meter-text": 11 };
// Average advance per character in em: generous for system-ui (bold and capitals run wider).
const EM = { normal: 0.6, bold: 0.66, caps: 0.78 };

// A text's box: x from its anchor, the baseline `y` with the font's ascent above and descent below.
export function textBox({ text, x, y, cls = "", anchor = "start", bold = false, room = null, lines = 1 }) {
  const size = Object.entries(FONT).find(([c]) => cls.split(" ").includes(c))?.[1] ?? 12;
  const em = cls.includes("col-head") ? EM.caps : bold ? EM.bold : EM.normal;
  let width = text.length * size * em;
  if (room !== null) width = Math.min(width, room); // a fitted line shrinks or is cut to its room in the browser
  const left = anchor === "end" ? x - width : x;
  return { left, right: left + width, top: y - size * 0.8, bottom: y + size * 0.25 + (lines - 1) * 12, text };
}

export function overlaps(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}
