// The simulation clock: shown everywhere (time, speed, paused), with play/pause and speed for staff.

import { postJSON, simClock, toast } from "./common.js";

export class ClockView {
  // `scheduler`: the page's one timer (scheduler.js), which redraws the running clock.
  constructor(root, url, controls, scheduler) {
    this.root = root;
    // Found once: the page's clock elements stay where they are.
    const all = (selector) => [...root.querySelectorAll(selector)];
    this.els = {
      time: all("[data-clock-time]"),
      factor: all("[data-clock-factor]"),
      state: all("[data-clock-state]"),
      toggle: all("[data-clock-toggle]"),
      speed: all("[data-clock-speed]"),
    };
    this.url = url;
    this.sim = null;
    this.wall = 0;
    this.factor = 1;
    this.paused = false;
    if (controls) this.bindControls();
    // The shared clock as the server read it when it rendered the page, so the time shows (and runs) even where no
    // engine host sends frames; the first frame or snapshot corrects it.
    const { simTime, simFactor, simPaused } = root.dataset;
    if (simTime !== undefined) this.update({ sim_time: Number(simTime), factor: Number(simFactor), paused: simPaused === "1" });
    scheduler.every(250, () => this.render());
  }

  update({ sim_time, factor, paused }) {
    if (sim_time !== undefined && sim_time !== null) { this.sim = sim_time; this.wall = performance.now(); }
    if (factor !== undefined && factor !== null) this.factor = factor;
    if (paused !== undefined && paused !== null) this.paused = paused;
    this.render();
  }

  now() {
    if (this.sim === null) return null;
    return this.paused ? this.sim : this.sim + ((performance.now() - this.wall) / 1000) * this.factor;
  }

  render() {
    const now = this.now();
    for (const el of this.els.time) el.textContent = simClock(now);
    for (const el of this.els.factor) el.textContent = `×${+this.factor.toFixed(2)}`;
    for (const el of this.els.state) el.textContent = this.paused ? "paused" : "running";
    for (const el of this.els.toggle) el.textContent = this.paused ? "Play" : "Pause";
    for (const el of this.els.speed) {
      if (document.activeElement !== el) {
        const option = [...el.options].find((o) => Number(o.value) === Number(this.factor));
        if (option) el.value = option.value;
      }
    }
  }

  bindControls() {
    for (const button of this.els.toggle) {
      button.addEventListener("click", () => this.send({ paused: !this.paused }));
    }
    for (const select of this.els.speed) {
      select.addEventListener("change", () => this.send({ factor: Number(select.value) }));
    }
  }

  async send(data) {
    try {
      const result = await postJSON(this.url, data);
      this.update({ factor: result.factor, paused: result.paused });
    } catch (error) {
      toast(error.message, "error");
    }
  }
}
