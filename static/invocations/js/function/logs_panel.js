// The log tail: the newest invocations' START / END / REPORT lines, optionally of one version, followed live.
// Each invocation is headed by its CloudWatch Logs stream (the same store `aws logs get-log-events` reads).

import { getJSON } from "../common.js";

export function entryText(entry) {
  const stream = entry.log_stream ? [`# ${entry.log_stream}`] : [];
  return [...stream, ...entry.lines].join("\n");
}

export function logsPanel(root) {
  const q = (selector) => root.querySelector(selector);
  const log = q("[data-log]");
  const version = q("[data-log-version]");
  const follow = q("[data-log-follow]");

  async function load() {
    const chosen = version.value;
    try {
      const result = await getJSON(`${root.dataset.logsUrl}${chosen ? `?version=${encodeURIComponent(chosen)}` : ""}`);
      log.textContent = result.entries.length
        ? result.entries.map(entryText).join("\n")
        : chosen
          ? `No invocations of version ${chosen} recorded yet.`
          : "No invocations recorded yet.";
    } catch (error) {
      log.textContent = error.message;
    }
  }
  version.addEventListener("change", load);
  q("[data-log-refresh]").addEventListener("click", load);

  return {
    load,
    poll() {
      if (follow.checked && !document.hidden) load();
    },
  };
}
