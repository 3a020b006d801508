// CloudWatch alarms as the dashboard shows them (pure: no DOM, no plotly): the rule in words, the state changes
// between two readings, and the chart of an alarm's datapoints with its threshold as a line.

// The states in AWS's words, and the colours the panel gives them (text on them stays above 4.5:1).
export const STATE_COLOURS = { OK: "#2b8a3e", ALARM: "#c92a2a", INSUFFICIENT_DATA: "#5b6470" };

const OPERATORS = {
  GreaterThanThreshold: ">",
  GreaterThanOrEqualToThreshold: ">=",
  LessThanThreshold: "<",
  LessThanOrEqualToThreshold: "<=",
  LessThanLowerOrGreaterThanUpperThreshold: "outside",
  LessThanLowerThreshold: "<",
  GreaterThanUpperThreshold: ">",
};

// "Errors Sum > 0 for 1 of 1 datapoints of 60 s" (the console's "Errors > 0 for 1 datapoints within 1 minute").
export function ruleText(alarm) {
  const statistic = alarm.Statistic ?? alarm.ExtendedStatistic ?? "";
  const op = OPERATORS[alarm.ComparisonOperator] ?? alarm.ComparisonOperator;
  const m = alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods;
  return `${alarm.MetricName} ${statistic} ${op} ${alarm.Threshold} for ${m} of ${alarm.EvaluationPeriods} datapoints of ${alarm.Period} s`;
}

// "FunctionName=checkout, Resource=checkout:prod"
export function dimensionsText(alarm) {
  return (alarm.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(", ");
}

// The alarms whose state differs from the previous reading (a Map name -> state); a first reading changes nothing,
// so a page opened on an alarm already in ALARM does not flash.
export function stateChanges(previous, alarms) {
  const changes = [];
  if (previous === null) return changes;
  for (const alarm of alarms) {
    const before = previous.get(alarm.AlarmName);
    if (before !== undefined && before !== alarm.StateValue) changes.push({ name: alarm.AlarmName, from: before, to: alarm.StateValue });
    if (before === undefined) changes.push({ name: alarm.AlarmName, from: null, to: alarm.StateValue });
  }
  return changes;
}

export function statesOf(alarms) {
  return new Map(alarms.map((a) => [a.AlarmName, a.StateValue]));
}

// What a screen reader hears for a change: "Alarm checkout-prod-errors is now ALARM: Threshold Crossed: …".
export function changeAnnouncement(change, alarm) {
  if (change.from === null) return `Alarm ${change.name} created, ${change.to}.`;
  return `Alarm ${change.name} is now ${change.to} (was ${change.from}): ${alarm?.StateReason ?? ""}`.trim();
}

// The plotly figure of one alarm: its datapoints as bars (the period in progress included) and the threshold as
// a dashed horizontal line across the whole window.
export function alarmFigure(alarm, { large = false } = {}) {
  const points = alarm.Datapoints ?? [];
  const x = points.map((p) => new Date(p.t * 1000));
  const y = points.map((p) => p.v);
  const font = large ? 16 : 12;
  const first = points.length ? points[0].t : 0;
  const last = points.length ? points.at(-1).t + alarm.Period : alarm.Period;
  const range = [new Date(first * 1000), new Date(last * 1000)];
  const threshold = Number(alarm.Threshold);
  const highest = Math.max(threshold, ...y.filter((v) => v !== null && v !== undefined));
  const data = [
    {
      x,
      y,
      name: `${alarm.MetricName} (${alarm.Statistic ?? alarm.ExtendedStatistic}, ${alarm.Period} s)`,
      type: "bar",
      offset: 0,
      width: points.map(() => alarm.Period * 1000 * 0.9),
      marker: { color: "#1c7ed6" },
    },
    {
      x: range,
      y: [threshold, threshold],
      name: `threshold ${threshold}`,
      type: "scatter",
      mode: "lines",
      line: { color: STATE_COLOURS.ALARM, dash: "dash", width: 2 },
    },
  ];
  const layout = {
    margin: { l: 44, r: 10, t: 10, b: 30 },
    height: large ? 240 : 180,
    font: { size: font, family: "system-ui, sans-serif" },
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "#fff",
    showlegend: true,
    legend: { orientation: "h", x: 0, y: -0.3, font: { size: font - 1 } },
    xaxis: { type: "date", tickformat: "%H:%M:%S", gridcolor: "#eceff3", range },
    // The threshold stays in view (with a little room above it) even while every datapoint is far below it.
    yaxis: { rangemode: "tozero", gridcolor: "#eceff3", range: [0, highest > 0 ? highest * 1.25 : 1] },
  };
  return { data, layout };
}
