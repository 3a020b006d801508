// One timer for a page's periodic work: each task runs every `ms`, and the timer sleeps until the next one is due
// (rather than one setInterval per task). The clock and timer functions can be given, for tests.

export class Scheduler {
  // The defaults wrap the globals: a browser refuses setTimeout called as a method of another object.
  constructor({ now = () => performance.now(), setTimer = (run, ms) => setTimeout(run, ms), clearTimer = (t) => clearTimeout(t) } = {}) {
    this.now = now;
    this.setTimer = setTimer;
    this.clearTimer = clearTimer;
    this.tasks = [];
    this.timer = null;
    this.stopped = false;
  }

  // Runs `run` every `ms` milliseconds, the first time `ms` from now. A task that throws does not stop the others.
  every(ms, run) {
    this.tasks.push({ ms, run, due: this.now() + ms });
    this.arm();
    return this;
  }

  arm() {
    if (this.stopped) return;
    if (this.timer !== null) this.clearTimer(this.timer);
    const next = Math.min(...this.tasks.map((t) => t.due));
    this.timer = this.setTimer(() => this.tick(), Math.max(0, next - this.now()));
  }

  tick() {
    this.timer = null;
    const now = this.now();
    for (const task of this.tasks) {
      if (task.due > now) continue;
      // The next time from the schedule, not from now, so a task keeps its pace; a late page skips what it missed.
      task.due += task.ms * (Math.floor((now - task.due) / task.ms) + 1);
      try {
        task.run();
      } catch (error) {
        console.error(error);
      }
    }
    this.arm();
  }

  stop() {
    this.stopped = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }
}
