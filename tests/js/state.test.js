import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { layoutDiagram } from "../../static/invocations/js/diagram/layout.js";
import { aliasTraffic, DiagramState } from "../../static/invocations/js/diagram/state.js";
import { topology } from "./helpers.js";

function stateFor(name) {
  const t = topology(name);
  const state = new DiagramState();
  state.reset(t, layoutDiagram(t));
  return state;
}

const texts = (view) => Object.fromEntries(view.texts);

describe("aliasTraffic", () => {
  test("counts executed invocations from alias→version edges and the rest of the calls as throttled", () => {
    const aliases = [{ name: "prod" }];
    const traffic = aliasTraffic({ "sdk->prod": 10, "prod->1": 6, "prod->2": 2, "sdk->$LATEST": 4 }, aliases);
    assert.deepEqual(traffic, { prod: { calls: 10, executed: 8, throttled: 2, byVersion: { 1: 6, 2: 2 } } });
  });
});

describe("the totals", () => {
  const totals = {
    frames: 5,
    by_version: { 1: { Success: 7, Timeout: 1 }, 2: { PaymentGatewayError: 2 } },
    throttled_by: { "RequestResponse:sdk": 3, "Event:s3": 4 },
    edges: { "sdk->prod": 12, "prod->1": 8, "prod->2": 2 },
    dropped: { RetriesExhausted: 2 },
  };

  test("give the outcome, version and alias counts", () => {
    const state = stateFor("checkout");
    assert.equal(state.totals(totals), true);
    const shown = texts(state.view(0));
    assert.equal(shown["out:Success"], "7");
    assert.equal(shown["out:Timeout"], "1");
    assert.equal(shown["out:Error"], "2");
    assert.equal(shown["vcount:1"], "8 invocations");
    assert.equal(shown["vcount:$LATEST"], "0 invocations");
    assert.equal(shown["acount:prod"], "10 invocations");
    assert.equal(shown["athr:prod"], "2 throttled");
    assert.equal(shown["async-dropped"], "dropped: RetriesExhausted ×2");
  });

  test("count sync refusals only as 429s: a throttled async attempt is re-queued", () => {
    const state = stateFor("checkout");
    state.totals(totals);
    assert.equal(texts(state.view(0))["out:Throttled"], "3");
    const marks = Object.fromEntries(state.view(0).marks.map((m) => [m.key, m.text]));
    assert.equal(marks["thr:sdk"], "429 ×3");
    assert.match(marks["thr:async"], /^throttled ×4 · re-queued$/);
  });

  test("an older copy than the one shown is ignored", () => {
    const state = stateFor("checkout");
    state.totals(totals);
    assert.equal(state.totals({ ...totals, frames: 4, by_version: {} }), false);
    assert.equal(texts(state.view(0))["out:Success"], "7");
  });

  test("are applied again to a new layout", () => {
    const state = stateFor("checkout");
    state.totals(totals);
    const t = topology("checkout");
    state.reset(t, layoutDiagram(t));
    assert.equal(texts(state.view(0))["out:Success"], "7");
  });
});

describe("a frame", () => {
  test("gives the observed split of the last 10 s next to the configured one", () => {
    const state = stateFor("checkout");
    state.frame({ edges: { "prod->1": 3, "prod->2": 1 } }, [], 1000);
    const labels = Object.fromEntries(state.view(1000).edgeLabels.map(([key, ...lines]) => [key, lines]));
    assert.deepEqual(labels["wlabel:prod:1"], ["95% configured", "· 75% observed"]);
    assert.deepEqual(labels["wlabel:prod:2"], ["5% configured", "· 25% observed"]);
    const later = Object.fromEntries(state.view(11001).edgeLabels.map(([key, ...lines]) => [key, lines]));
    assert.deepEqual(later["wlabel:prod:1"], ["95% configured", ""]);
  });

  test("flashes the throttle mark of the invoker that was refused", () => {
    const state = stateFor("checkout");
    state.totals({ frames: 1, throttled_by: { "RequestResponse:sdk": 1 } });
    state.frame({ throttled_by: { "RequestResponse:sdk": 1 } }, [], 5000);
    const flash = (now) => state.view(now).marks.find((m) => m.key === "thr:sdk").flash;
    assert.equal(flash(5100), true);
    assert.equal(flash(7000), false);
  });

  test("events schedule and settle retries", () => {
    const state = stateFor("thumbnailer");
    state.frame(null, [{ type: "RetryScheduled", request_id: "r1", at: 10, retry_at: 70, attempts: 1, cause: "FunctionError" }], 0, 10);
    assert.match(texts(state.view(0))["async-retry"], /^1 retry pending · next 00:01:10$/);
    state.frame(null, [{ type: "AsyncEventProcessed", request_id: "r1" }], 0);
    assert.equal(texts(state.view(0))["async-retry"], "no retries scheduled");
  });
});

describe("the gauges", () => {
  test("say queue depths, pollers and the concurrency against the reservation", () => {
    const state = stateFor("order-worker");
    const [m] = state.topology.invokers.mappings;
    const view = state.gauges({
      queues: { [m.arn]: { visible: 5, in_flight: 2, delayed: 1 }, [m.dlq_arn]: { visible: 3 } },
      mappings: { [m.uuid]: { pollers: 5 } },
      concurrency: { "order-worker": 4 },
      reserved: { "order-worker": 10 },
    });
    const shown = texts(view);
    assert.equal(shown[`q:${m.uuid}`], "visible 5 · in flight 2 · delayed 1");
    assert.equal(shown[`dlq:${m.uuid}`], "DLQ orders-dlq: 3 now");
    assert.equal(shown[`esm-state:${m.uuid}`], "batch 10 · 5 pollers");
    assert.equal(shown["meter-text"], "concurrency 4 · reserved 10");
    assert.equal(view.meter.visible, true);
    assert.equal(state.reserved, 10);
  });

  test("redraw a version's environments only when they changed", () => {
    const state = stateFor("order-worker");
    const g = { environments: { "order-worker:$LATEST": { Busy: 2, Ready: 1 } } };
    assert.deepEqual(state.gauges(g).envs, [{ version: "$LATEST", states: { Busy: 2, Ready: 1 } }]);
    assert.deepEqual(state.gauges(g).envs, []);
    assert.equal(state.envView({ Busy: 2, Ready: 1 }, 66).text, "2 busy · 1 idle warm");
  });

  test("show a blocked shard and a blocked FIFO group", () => {
    const clicks = stateFor("clickstream-processor");
    const [s] = clicks.topology.invokers.mappings;
    const view = clicks.gauges({ mappings: { [s.uuid]: { shards: { "shardId-000000000001": { blocked: true, checkpoint: "7", iterator_age: 2 } } } } });
    assert.deepEqual(view.shards, [{ key: `lane:${s.uuid}:0`, blocked: true }]);
    assert.equal(texts(view)[`lanetext:${s.uuid}:0`], "shard 1: BLOCKED at 7 · age 2.0s");

    const jobs = stateFor("job-runner");
    const [f] = jobs.topology.invokers.mappings;
    const groups = { a: { waiting: 1, in_flight: 0 }, b: { waiting: 2, in_flight: 1, blocked: true } };
    const [fifo] = jobs.gauges({ mappings: { [f.uuid]: { groups } } }).fifo;
    assert.deepEqual(fifo.lanes.slice(0, 2).map((l) => [l.group, l.blocked, l.text]), [
      ["a", false, "a: flowing · 1 waiting · 0 in flight"],
      ["b", true, "b: BLOCKED · 2 waiting · 1 retrying"],
    ]);
  });
});
