// SQS FIFO mappings on the diagram: one lane per message group. A group whose message failed is held (BLOCKED)
// until that message succeeds or is redriven to the DLQ; the other groups keep flowing (semantics §3).
// Pure: the lanes' layout items and what each lane shows; Diagram applies them to the SVG.

import { fmt } from "./common.js";

export const FIFO_LANES = 4; // lanes drawn per FIFO mapping; further groups are summed on one line
const LANE_H = 22;
const LANE_STEP = 26;

export function fifoLanesHeight() {
  return FIFO_LANES * LANE_STEP + 18;
}

export function fifoLaneItems(m, x, y, w) {
  const items = [];
  for (let i = 0; i < FIFO_LANES; i++) {
    const ly = y + i * LANE_STEP;
    items.push({ type: "rect", cls: "lane fifo-lane", key: `glane:${m.uuid}:${i}`, x: x + 8, y: ly, w: w - 16, h: LANE_H, rx: 4 });
    items.push({ type: "text", cls: "lane-text", key: `glanetext:${m.uuid}:${i}`, x: x + 14, y: ly + 15, text: i ? "" : "no message groups yet" });
  }
  items.push({ type: "text", cls: "lane-text muted-line", key: `gmore:${m.uuid}`, x: x + 14, y: y + FIFO_LANES * LANE_STEP + 8, text: "" });
  return items;
}

// What each lane shows now. `seen`: the groups this page has shown for the mapping, in order of first appearance
// (updated here), so lanes do not jump about as groups drain and fill. Blocked groups are shown first when there
// are more groups than lanes.
export function fifoLaneView(mapping, seen) {
  const groups = mapping?.groups || {};
  for (const name of Object.keys(groups)) if (!seen.includes(name)) seen.push(name);
  const blocked = seen.filter((g) => groups[g]?.blocked);
  const shown = [...blocked, ...seen.filter((g) => !groups[g]?.blocked)].slice(0, FIFO_LANES);
  const ordered = seen.filter((g) => shown.includes(g));
  const lanes = [];
  for (let i = 0; i < FIFO_LANES; i++) {
    const name = ordered[i];
    const group = name === undefined ? null : groups[name] || { waiting: 0, in_flight: 0, blocked: false };
    lanes.push({
      group: name ?? "",
      title: name === undefined ? null : `message group ${name}`,
      blocked: !!group?.blocked,
      flowing: !!group && !group.blocked,
      text: group ? laneText(name, group) : i || seen.length ? "" : "no message groups yet",
    });
  }
  const rest = seen.filter((g) => !ordered.includes(g));
  const waiting = rest.reduce((n, g) => n + (groups[g]?.waiting || 0) + (groups[g]?.in_flight || 0), 0);
  return { lanes, more: rest.length ? `+${rest.length} more groups · ${fmt(waiting)} messages` : "" };
}

function laneText(name, group) {
  const label = name.length > 14 ? `${name.slice(0, 13)}…` : name; // the lane is 244 px wide
  // A blocked group's in-flight message is the failed one, hidden until its visibility timeout ends.
  if (group.blocked) return `${label}: BLOCKED · ${fmt(group.waiting)} waiting · ${fmt(group.in_flight)} retrying`;
  if (!group.waiting && !group.in_flight) return `${label}: drained`;
  return `${label}: flowing · ${fmt(group.waiting)} waiting · ${fmt(group.in_flight)} in flight`;
}
