// SQS FIFO mappings on the diagram: one lane per message group. A group whose message failed is held (BLOCKED)
// until that message succeeds or is redriven to the DLQ; the other groups keep flowing (semantics §3).

import { escapeHtml as esc, fmt } from "./common.js";

export const FIFO_LANES = 4; // lanes drawn per FIFO mapping; further groups are summed on one line
const LANE_H = 22;
const LANE_STEP = 26;

export function fifoLanesHeight() {
  return FIFO_LANES * LANE_STEP + 18;
}

export function fifoLanesSvg(m, x, y, w) {
  const parts = [];
  for (let i = 0; i < FIFO_LANES; i++) {
    const ly = y + i * LANE_STEP;
    parts.push(`<rect class="lane fifo-lane" data-k="glane:${esc(m.uuid)}:${i}" x="${x + 8}" y="${ly}" width="${w - 16}" height="${LANE_H}" rx="4"/>`);
    parts.push(`<text class="lane-text" data-k="glanetext:${esc(m.uuid)}:${i}" x="${x + 14}" y="${ly + 15}">${i ? "" : "no message groups yet"}</text>`);
  }
  parts.push(`<text class="lane-text muted-line" data-k="gmore:${esc(m.uuid)}" x="${x + 14}" y="${y + FIFO_LANES * LANE_STEP + 8}"></text>`);
  return parts.join("");
}

// `seen`: the groups this page has shown for the mapping, in order of first appearance, so lanes do not jump
// about as groups drain and fill. Blocked groups are shown first when there are more groups than lanes.
export function updateFifoLanes(diagram, m, mapping, seen) {
  const groups = mapping?.groups || {};
  for (const name of Object.keys(groups)) if (!seen.includes(name)) seen.push(name);
  const blocked = seen.filter((g) => groups[g]?.blocked);
  const shown = [...blocked, ...seen.filter((g) => !groups[g]?.blocked)].slice(0, FIFO_LANES);
  const ordered = seen.filter((g) => shown.includes(g));
  for (let i = 0; i < FIFO_LANES; i++) {
    const name = ordered[i];
    const lane = diagram.keys.get(`glane:${m.uuid}:${i}`);
    const group = name === undefined ? null : groups[name] || { waiting: 0, in_flight: 0, blocked: false };
    lane?.classList.toggle("blocked", !!group?.blocked);
    lane?.classList.toggle("flowing", !!group && !group.blocked);
    if (lane && lane.dataset.group !== (name ?? "")) {
      lane.dataset.group = name ?? "";
      lane.replaceChildren(...(name === undefined ? [] : [titleOf(name)]));
    }
    diagram.set(`glanetext:${m.uuid}:${i}`, group ? laneText(name, group) : (i || seen.length ? "" : "no message groups yet"));
  }
  const rest = seen.filter((g) => !ordered.includes(g));
  const waiting = rest.reduce((n, g) => n + (groups[g]?.waiting || 0) + (groups[g]?.in_flight || 0), 0);
  diagram.set(`gmore:${m.uuid}`, rest.length ? `+${rest.length} more groups · ${fmt(waiting)} messages` : "");
}

function laneText(name, group) {
  const label = name.length > 14 ? `${name.slice(0, 13)}…` : name; // the lane is 244 px wide
  // A blocked group's in-flight message is the failed one, hidden until its visibility timeout ends.
  if (group.blocked) return `${label}: BLOCKED · ${fmt(group.waiting)} waiting · ${fmt(group.in_flight)} retrying`;
  if (!group.waiting && !group.in_flight) return `${label}: drained`;
  return `${label}: flowing · ${fmt(group.waiting)} waiting · ${fmt(group.in_flight)} in flight`;
}

function titleOf(name) {
  const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
  title.textContent = `message group ${name}`;
  return title;
}
