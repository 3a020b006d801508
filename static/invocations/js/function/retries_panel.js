// The retry loop's pending retries, newest first (the diagram's async node shows how many and the next one).

export function retriesPanel(root, diagram, clock) {
  const list = root.querySelector("[data-retries] ol");
  return {
    render() {
      diagram.retries.prune(clock.now());
      diagram.retries.render(list, clock.now());
    },
  };
}
