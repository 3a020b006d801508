// The diagram's wording: node lines, counts and tips, from the topology's records. Pure (no DOM).

import { fmt, shortArn } from "../common.js";
import { qualifierOr } from "../qualifiers.js";

// Attempts: the frames count every call from a source, a throttled or retried one included.
export function sourceCount(source, n) {
  return `async → ${qualifierOr(source.qualifier)} · ${fmt(n)} attempt${n === 1 ? "" : "s"}`;
}

export function subscriberNames(subscribers) {
  return subscribers
    .map((s) => `${s.function}${s.qualifier ? `:${s.qualifier}` : ""}`)
    .filter((n, i, all) => all.indexOf(n) === i)
    .join(", ");
}

// One short line for the diagram node; asyncSourceDetail gives the whole of it.
export function asyncSourceRule(source) {
  if (source.kind === "sns") return source.filter_policy ? `filter ${JSON.stringify(source.filter_policy)}` : "no filter policy: every message";
  if (source.kind === "eventbridge") return `${source.enabled ? "" : "DISABLED · "}pattern ${JSON.stringify(source.event_pattern)}`;
  return "";
}

export function asyncSourceDetail(source) {
  const target = qualifierOr(source.qualifier);
  if (source.kind === "sns") {
    return `${source.label} → ${target}: ${source.filter_policy ? `filter policy ${JSON.stringify(source.filter_policy)}` : "no filter policy (every message)"}`;
  }
  if (source.kind === "eventbridge") {
    return `${source.label} → ${target}${source.enabled ? "" : " (disabled)"}: event pattern ${JSON.stringify(source.event_pattern)}`;
  }
  return `${source.label} → ${target}`;
}

// A topic's or bus's tip: who it passes records on to.
export function destinationTip(d) {
  return d.subscribers.length
    ? `${d.short} passes records on to ${d.subscribers.map((x) => `${x.function}${x.qualifier ? `:${x.qualifier}` : ""} (${x.via})`).join(", ")}`
    : `${d.short}: nothing is subscribed`;
}

export function stateLabel(state) {
  return (
    {
      Ready: "idle warm",
      Busy: "busy",
      Initializing: "cold-starting",
      Provisioned: "provisioned",
      Provisioning: "provisioning (Init at allocation)",
      Reset: "resetting",
    }[state] || state.toLowerCase()
  );
}

// "shardId-000000000000" → "shard 0" (stripping the zeros alone left shard 0 with no number at all).
export function shardLabel(shardId) {
  const digits = /^shardId-(\d+)$/.exec(shardId);
  return digits ? `shard ${Number(digits[1])}` : shardId;
}

export function outcomeKey(outcome) {
  if (outcome === "Success" || outcome === "Timeout" || outcome === "Throttled") return outcome;
  return "Error";
}

// The destinations, DLQs and on-failure targets the outcomes column lists, each once.
export function destinationList(t) {
  const list = [];
  const seen = new Set();
  const add = (arn, kind, label) => {
    if (!arn || seen.has(arn)) return;
    seen.add(arn);
    list.push({ arn, kind, label, short: shortArn(arn), subscribers: t.subscribers?.[arn] });
  };
  add(t.dead_letter_target_arn, "dlq", "DLQ (async)");
  for (const c of t.event_invoke_configs) {
    add(c.on_success, "on-success", "OnSuccess");
    add(c.on_failure, "on-failure", "OnFailure");
  }
  for (const m of t.invokers.mappings) {
    add(m.dlq_arn, "dlq", "Queue DLQ");
    add(m.on_failure, "on-failure", "OnFailure (stream)");
  }
  return list;
}
