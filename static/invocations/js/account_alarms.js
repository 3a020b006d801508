// The account view's "Alarms in ALARM": every alarm of the account in ALARM, with the function it watches and its
// StateReason, read again every few seconds (the list is aria-live: a new one is announced).

import { getJSON } from "./common.js";

// The function view's address for `name`, from the page's template address (its last segment is NAME).
export function functionHref(template, name) {
  return template.replace(/NAME\/?$/, (tail) => `${encodeURIComponent(name)}${tail.endsWith("/") ? "/" : ""}`);
}

// The names in `alarms`, in order: what decides whether the list must be written again.
export function alarmsKey(alarms) {
  return alarms.map((a) => `${a.AlarmName}\u0000${a.StateReason}`).join("\u0001");
}

export function accountAlarms(root) {
  const panel = root.querySelector(".account-alarms");
  const list = panel.querySelector("[data-alarms-list]");
  const empty = panel.querySelector("[data-alarms-empty]");
  let shown = null;
  const emptyText = empty.textContent;

  function line(alarm) {
    const li = document.createElement("li");
    li.dataset.alarm = alarm.AlarmName;
    const name = document.createElement("strong");
    name.textContent = alarm.AlarmName;
    li.append(name);
    if (alarm.FunctionName) {
      const link = document.createElement("a");
      link.href = functionHref(panel.dataset.functionUrl, alarm.FunctionName);
      link.textContent = alarm.FunctionName;
      li.append(" on ", link);
    }
    const state = document.createElement("span");
    state.className = "alarm-state-text";
    state.textContent = alarm.StateValue;
    const reason = document.createElement("span");
    reason.className = "alarm-reason";
    reason.textContent = alarm.StateReason;
    li.append(" · ", state, " · ", reason);
    return li;
  }

  async function load() {
    if (document.hidden) return;
    try {
      const { alarms } = await getJSON(panel.dataset.alarmsUrl);
      const key = alarmsKey(alarms);
      if (key === shown) return; // unchanged: leave the list (and what a screen reader is reading) alone
      shown = key;
      list.replaceChildren(...alarms.map(line));
      empty.textContent = emptyText;
      empty.hidden = alarms.length > 0;
    } catch (error) {
      empty.hidden = false;
      empty.textContent = `Could not load the alarms: ${error.message}`;
    }
  }

  return { load };
}
