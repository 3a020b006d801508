// Staff controls: which traffic streams run now.

import { getJSON } from "../common.js";

export function trafficPanel(root) {
  const el = root.querySelector("[data-traffic-running]");
  return {
    async load() {
      if (!el) return;
      try {
        const { streams } = await getJSON(root.dataset.trafficUrl);
        el.textContent = streams.length
          ? `Running streams: ${streams.map((s) => `${s.name} (${s.rate}/s ${s.kind} → ${s.target.split(":").slice(-1)[0]})`).join(", ")}`
          : "Running streams: none";
      } catch {
        /* shown again on the next try */
      }
    },
  };
}
