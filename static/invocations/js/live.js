// The live stream: a websocket that reconnects by itself and starts again from a fresh snapshot.

export class LiveSocket {
  constructor(path, { onSnapshot, onFrame, onEvent, statusEl }) {
    this.path = path;
    this.handlers = { onSnapshot, onFrame, onEvent };
    this.statusEl = statusEl;
    this.delay = 500;
    this.bytes = 0;
    this.messages = 0;
    this.closedByUs = false;
    this.connect();
    this.ping = setInterval(() => this.send({ type: "ping" }), 20000);
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    return `${scheme}://${location.host}${this.path}`;
  }

  status(text, state) {
    if (!this.statusEl) return;
    this.statusEl.textContent = text;
    this.statusEl.dataset.state = state;
  }

  connect() {
    this.status("connecting…", "connecting");
    const ws = new WebSocket(this.url());
    this.ws = ws;
    ws.addEventListener("open", () => {
      this.delay = 500;
      this.status("live", "live");
    });
    ws.addEventListener("message", (message) => {
      this.bytes += message.data.length;
      this.messages += 1;
      let data;
      try { data = JSON.parse(message.data); } catch { return; }
      if (data.type === "snapshot") this.handlers.onSnapshot?.(data.snapshot);
      else if (data.type === "frame") this.handlers.onFrame?.(data);
      else if (data.type === "event") this.handlers.onEvent?.(data.event);
    });
    ws.addEventListener("close", () => {
      if (this.closedByUs) return;
      this.status(`reconnecting in ${Math.round(this.delay / 100) / 10} s…`, "down");
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 5000);
    });
  }

  send(data) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(data));
  }

  close() {
    this.closedByUs = true;
    clearInterval(this.ping);
    this.ws?.close();
  }
}
