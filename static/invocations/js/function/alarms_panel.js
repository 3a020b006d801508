// The Alarms panel: each CloudWatch alarm on this function with its state and StateReason (AWS's words), a chart of
// its datapoints with the threshold as a line, and a flash plus an aria-live announcement when its state changes.
// Staff get one button per alias that creates an Errors alarm on it.

import { alarmFigure, changeAnnouncement, dimensionsText, ruleText, STATE_COLOURS, stateChanges, statesOf } from "../alarms.js";
import { getJSON, postJSON, toast } from "../common.js";

const FLASH_MS = 4000;

export function alarmsPanel(root) {
  const panel = root.querySelector(".alarms-panel");
  const list = panel.querySelector("[data-alarms-list]");
  const empty = panel.querySelector("[data-alarms-empty]");
  const live = panel.querySelector("[data-alarms-live]");
  const items = new Map(); // alarm name -> its <li>
  let previous = null;
  const emptyText = empty.textContent;
  let large = false;
  let last = [];

  function item(alarm) {
    let li = items.get(alarm.AlarmName);
    if (li) return li;
    li = document.createElement("li");
    li.className = "alarm";
    li.dataset.alarm = alarm.AlarmName;
    const id = `alarm-${items.size}-heading`;
    li.innerHTML = `<h3 id="${id}"><span class="alarm-name"></span> <span class="alarm-state" data-alarm-state></span></h3>
      <p class="alarm-rule" data-alarm-rule></p>
      <p class="alarm-reason" data-alarm-reason></p>
      <div class="alarm-chart" data-alarm-chart role="img"></div>`;
    li.setAttribute("aria-labelledby", id);
    li.querySelector(".alarm-name").textContent = alarm.AlarmName;
    items.set(alarm.AlarmName, li);
    list.append(li);
    return li;
  }

  function draw(alarm, li) {
    const chart = li.querySelector("[data-alarm-chart]");
    chart.setAttribute("aria-label", `${alarm.AlarmName}: ${ruleText(alarm)}; the dashed line is the threshold, ${alarm.Threshold}`);
    if (!window.Plotly) return;
    const { data, layout } = alarmFigure(alarm, { large });
    window.Plotly.react(chart, data, layout, { displayModeBar: false, responsive: true });
  }

  function show(alarms) {
    last = alarms;
    const names = new Set(alarms.map((a) => a.AlarmName));
    for (const [name, li] of items) {
      if (!names.has(name)) {
        li.remove();
        items.delete(name);
      }
    }
    const changes = stateChanges(previous, alarms);
    const changed = new Set(changes.filter((c) => c.from !== null).map((c) => c.name));
    for (const alarm of alarms) {
      const li = item(alarm);
      const state = li.querySelector("[data-alarm-state]");
      state.textContent = alarm.StateValue;
      state.dataset.state = alarm.StateValue;
      state.style.background = STATE_COLOURS[alarm.StateValue] ?? STATE_COLOURS.INSUFFICIENT_DATA;
      li.dataset.state = alarm.StateValue;
      li.querySelector("[data-alarm-rule]").textContent = `${ruleText(alarm)} · ${dimensionsText(alarm)}`;
      li.querySelector("[data-alarm-reason]").textContent = alarm.StateReason;
      if (changed.has(alarm.AlarmName)) {
        // The flash is a ring (none under prefers-reduced-motion, dashboard.css); the highlight stays for a moment.
        li.classList.add("flash");
        setTimeout(() => li.classList.remove("flash"), FLASH_MS);
      }
      draw(alarm, li);
    }
    if (changes.length) {
      const byName = new Map(alarms.map((a) => [a.AlarmName, a]));
      live.textContent = changes.map((c) => changeAnnouncement(c, byName.get(c.name))).join(" ");
    }
    previous = statesOf(alarms);
    empty.textContent = emptyText;
    empty.hidden = alarms.length > 0;
    list.hidden = alarms.length === 0;
  }

  async function load() {
    try {
      show((await getJSON(panel.dataset.alarmsUrl)).alarms);
    } catch (error) {
      empty.hidden = false;
      empty.textContent = `Could not load the alarms: ${error.message}`;
    }
  }

  for (const button of panel.querySelectorAll("[data-errors-alarm]")) {
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const result = await postJSON(button.dataset.endpoint, {});
        toast(`Alarm ${result.AlarmName} created`);
        await load();
      } catch (error) {
        toast(error.message, "error");
      } finally {
        button.disabled = false;
      }
    });
  }

  return {
    load,
    poll() {
      if (!document.hidden) load();
    },
    setLarge(on) {
      large = on;
      for (const alarm of last) draw(alarm, item(alarm));
    },
  };
}
