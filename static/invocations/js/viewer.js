// Read-only viewers in one dialog: the records the runtime delivered to a target, and the messages a simulated
// queue holds now (a redrive DLQ above all). Nothing is received or deleted by looking.

import { getJSON, simClock } from "./common.js";

function pretty(text) {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
}

async function open(root, title, load) {
  const dialog = root.querySelector("[data-delivered-dialog]");
  root.querySelector("[data-delivered-title]").textContent = title;
  const body = root.querySelector("[data-delivered-body]");
  body.textContent = "Loading…";
  dialog.showModal();
  try {
    body.textContent = await load();
  } catch (error) {
    body.textContent = error.message;
  }
}

export function showDelivered(root, destination) {
  return open(root, `${destination.label}: ${destination.short}`, async () => {
    const result = await getJSON(`${root.dataset.deliveredUrl}?arn=${encodeURIComponent(destination.arn)}`);
    if (!result.records.length) return "Nothing delivered yet.";
    return result.records.map((r) => `— delivered at ${simClock(r.at)} (simulated)\n${pretty(r.body)}`).join("\n\n");
  });
}

export function showQueueMessages(root, arn) {
  return open(root, `Messages in ${arn.split(":").at(-1)}`, async () => {
    const result = await getJSON(`${root.dataset.queueMessagesUrl}?arn=${encodeURIComponent(arn)}`);
    if (!result.total) return "The queue is empty.";
    const head = `${result.total} message${result.total === 1 ? "" : "s"} (${result.visible} visible, ${result.in_flight} in flight)` +
      (result.messages.length < result.total ? `; the oldest ${result.messages.length} shown` : "") + ", read-only:";
    const lines = result.messages.map((m) => {
      const a = m.attributes;
      const attributes = Object.keys(m.messageAttributes).length ? `\nmessage attributes ${JSON.stringify(m.messageAttributes)}` : "";
      return `— ${m.messageId} · received ${a.ApproximateReceiveCount} time${a.ApproximateReceiveCount === "1" ? "" : "s"} · ` +
        `sent ${simClock(Number(a.SentTimestamp) / 1000)} (simulated)\nattributes ${JSON.stringify(a)}${attributes}\n${pretty(m.body)}`;
    });
    return [head, ...lines].join("\n\n");
  });
}
