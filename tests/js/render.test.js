import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { layoutDiagram } from "../../static/invocations/js/diagram/layout.js";
import { renderDiagram, renderEdgeLabel } from "../../static/invocations/js/diagram/render.js";
import { TOPOLOGIES, topology } from "./helpers.js";

describe("the SVG", () => {
  for (const name of Object.keys(TOPOLOGIES)) {
    test(`of ${name} has each data-k key once and one group per node`, () => {
      const layout = layoutDiagram(topology(name));
      const svg = renderDiagram(layout);
      const keys = [...svg.matchAll(/data-k="([^"]*)"/g)].map((m) => m[1]);
      assert.equal(new Set(keys).size, keys.length, "a key is written twice");
      const nodes = [...svg.matchAll(/<g class="node [^"]*" data-node="([^"]*)"/g)].map((m) => m[1]);
      assert.deepEqual(nodes, layout.items.filter((i) => i.type === "node").map((n) => n.id));
      assert.equal((svg.match(/<g/g) || []).length, (svg.match(/<\/g>/g) || []).length);
    });
  }

  test("escapes what comes from the topology", () => {
    const t = topology("failure-alerts");
    t.invokers.async[0].label = 'SNS <b>"x"</b>';
    const svg = renderDiagram(layoutDiagram(t));
    assert.ok(!svg.includes("<b>"));
    assert.ok(svg.includes("SNS &lt;b&gt;&quot;x&quot;&lt;/b&gt;"));
  });

  test("gives a source its whole rule as a tip", () => {
    const svg = renderDiagram(layoutDiagram(topology("failure-alerts")));
    assert.match(svg, /data-node="async-src:0" tabindex="0" data-tip="SNS thumbnail-failures → \$LATEST: no filter policy \(every message\)"/);
  });

  test("an edge label has a second line only once something was observed", () => {
    assert.equal(renderEdgeLabel("10", "5% configured", ""), "5% configured");
    assert.equal(renderEdgeLabel("10", "5% configured", "· 7% observed"), '<tspan x="10">5% configured</tspan><tspan x="10" dy="12">· 7% observed</tspan>');
  });
});
