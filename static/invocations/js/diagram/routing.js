// Where a sampled invocation (or a throttle) enters the diagram: which invoker node, which async source.
// Pure: reads the topology only.

import { qualifierOr } from "../qualifiers.js";

const ASYNC_KINDS = new Set(["s3", "sns", "events", "eventbridge", "destination", "async"]);
// "url": a function URL request (drawn from the SDK node until the door has its own, issue 15).
const SYNC_KINDS = new Set(["sdk", "cli", "traffic", "console", "url"]);

export function invokerFor(topology, sample) {
  const source = (sample.source || "sdk").toLowerCase();
  if (source === "sqs" || source === "kinesis" || source === "dynamodb" || source === "kafka") {
    const m = topology.invokers.mappings.find((x) => x.kind === source || (source === "kinesis" && x.kind !== "sqs"));
    if (m) return `esm:${m.uuid}`;
  }
  if (ASYNC_KINDS.has(source) || sample.attempt > 1 || sample.invocation_type === "Event") return "async";
  if (source.startsWith("apigateway") || source.startsWith("api")) {
    const stage = topology.invokers.api_stages.find((s) => s.qualifier === sample.qualifier);
    if (stage) return `apigw:${stage.stage}`;
  }
  if (source.startsWith("alb") || source.startsWith("elb")) {
    const group = topology.invokers.target_groups[0];
    if (group) return `alb:${group.name}`;
  }
  if (!SYNC_KINDS.has(source)) return "async";
  return "sdk";
}

// The S3 / SNS / EventBridge node a sampled async invocation came from (first attempts only: a retry starts
// from the queue), matched on its kind and the qualifier it invoked. -1: none.
export function asyncSourceFor(topology, sample) {
  if ((sample.attempt || 1) > 1) return -1;
  const kind = { events: "eventbridge" }[sample.source] || sample.source;
  const sources = topology.invokers.async;
  const qualifier = qualifierOr(sample.qualifier);
  const same = (s) => s.kind === kind && qualifierOr(s.qualifier) === qualifier;
  const i = sources.findIndex(same);
  return i >= 0 ? i : sources.findIndex((s) => s.kind === kind);
}

// A throttled_by key, "<InvocationType>:<source>", as the sample invokerFor() expects.
export function throttledBy(key) {
  const [invocationType, source] = key.split(/:(.*)/s);
  return { source, invocation_type: invocationType };
}
