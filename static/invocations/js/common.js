// Shared helpers: the root element's data-* settings, JSON requests with CSRF, toasts, projector mode.

export function appRoot() {
  return document.getElementById("lv-root");
}

export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

export function fmt(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(n)) return "–";
  if (Math.abs(n) >= 10000) return `${(n / 1000).toFixed(1)}k`;
  return Number(n).toFixed(digits);
}

export function simClock(t) {
  if (t === null || t === undefined) return "--:--:--";
  return new Date(t * 1000).toISOString().slice(11, 19);
}

// An ARN's last part: the queue, topic, bus or function name a DLQ or destination is shown as.
export function shortArn(arn) {
  return arn.split(":").slice(-1)[0] || arn;
}

let toastTimer = null;
export function toast(message, kind = "info") {
  const el = document.getElementById("lv-toast");
  if (!el) return;
  el.textContent = message;
  el.dataset.kind = kind;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, kind === "error" ? 6000 : 2500);
}

export class ApiError extends Error {
  constructor(status, body, type = null) {
    super(body?.message || `Request failed (${status})`);
    this.status = status;
    this.body = body;
    this.type = type; // AWS's error type (x-amzn-ErrorType), when the server named one
  }
}

export async function postJSON(url, data) {
  const root = appRoot();
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrfToken },
    body: JSON.stringify(data),
    credentials: "same-origin",
  });
  let body = null;
  try { body = await response.json(); } catch { body = null; }
  if (!response.ok) throw new ApiError(response.status, body, response.headers.get("x-amzn-ErrorType"));
  return body;
}

export async function getJSON(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

const MODE_KEY = "lambdaviz.projector";
export function initProjectorMode(onChange) {
  const button = document.getElementById("lv-mode");
  const apply = (on) => {
    document.documentElement.classList.toggle("projector", on);
    if (button) {
      button.setAttribute("aria-pressed", String(on));
      button.textContent = on ? "Normal mode" : "Projector mode";
    }
    if (onChange) onChange(on);
  };
  let on = false;
  try { on = localStorage.getItem(MODE_KEY) === "1"; } catch { on = false; }
  apply(on);
  button?.addEventListener("click", () => {
    on = !on;
    try { localStorage.setItem(MODE_KEY, on ? "1" : "0"); } catch { /* private mode: not remembered */ }
    apply(on);
  });
}
