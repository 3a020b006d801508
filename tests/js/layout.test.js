import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { COL, dotPath, envSquares, FIT, HEADER_Y, HEADERS, layoutDiagram, WIDTH } from "../../static/invocations/js/diagram/layout.js";
import { LATEST } from "../../static/invocations/js/qualifiers.js";
import { overlaps, TOPOLOGIES, textBox, topology } from "./helpers.js";

// Every label the layout places, as an estimated box: column heads, node lines, throttle marks, lane and edge
// labels. Edge labels are taken at their longest, two lines ("100% configured" over "· 100% observed").
function labels(layout) {
  const boxes = HEADERS.map(([label, col]) => textBox({ text: label, x: col.x, y: HEADER_Y, cls: "col-head" }));
  const standalone = (item) => {
    if (item.cls === "edge-label") return textBox({ ...item, text: "· 100% observed", lines: 2 });
    return textBox(item);
  };
  for (const item of layout.items) {
    if (item.type === "text") boxes.push(standalone(item));
    if (item.type !== "node") continue;
    for (const line of item.lines) {
      const room = fittedRoom(item, line);
      boxes.push(textBox({ ...line, bold: line.title || line.cls.includes("chain-line"), room }));
    }
    for (const extra of item.extras) if (extra.type === "text") boxes.push(standalone(extra));
  }
  return boxes.filter((b) => b.right > b.left);
}

// The lines Diagram.fitSources shrinks or cuts to their room in the browser.
function fittedRoom(node, line) {
  if (node.id.startsWith("async-src:") && !line.key) return FIT.source;
  if (line.cls.includes("chain-line")) return FIT.chain;
  if (line.cls.includes("sdk-note")) return FIT.sdkNote;
  return null;
}

function nodes(layout) {
  return layout.items.filter((i) => i.type === "node");
}

describe("the demo topologies' layout", () => {
  for (const name of Object.keys(TOPOLOGIES)) {
    describe(name, () => {
      const layout = layoutDiagram(topology(name));

      test("no two labels overlap", () => {
        const boxes = labels(layout);
        assert.ok(boxes.length > 10, "the layout places labels");
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            assert.ok(!overlaps(boxes[i], boxes[j]), `"${boxes[i].text}" overlaps "${boxes[j].text}"`);
          }
        }
      });

      test("no two nodes overlap, and every node is inside the drawing", () => {
        const all = nodes(layout);
        for (const [i, a] of all.entries()) {
          assert.ok(a.x >= 0 && a.x + a.w <= WIDTH && a.y >= 0 && a.y + a.h <= layout.height, `${a.id} is outside`);
          for (const b of all.slice(i + 1)) {
            const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
            assert.ok(apart, `${a.id} overlaps ${b.id}`);
          }
        }
      });

      test("every line of a node stays inside it", () => {
        // Counts and gauges fill the empty lines later: their place is checked, their text by the overlap test.
        for (const n of nodes(layout)) {
          for (const line of n.lines) {
            const box = textBox({ ...line, bold: line.title, room: fittedRoom(n, line) });
            // The baseline inside (a descender may touch the border: the alias's fourth line sits on it).
            assert.ok(box.top >= n.y && line.y <= n.y + n.h, `line ${line.key ?? line.text} of ${n.id} is above or below it`);
            assert.ok(box.right <= n.x + n.w, `${n.id}: "${line.text}" runs past the node's right edge`);
          }
        }
      });

      test("every invoker's targets are drawn and reached by an edge", () => {
        const t = topology(name);
        const drawn = new Set(nodes(layout).map((n) => n.id));
        for (const inv of layout.invokers) {
          assert.ok(drawn.has(`inv:${inv.id}`) || drawn.has(inv.id), `invoker ${inv.id} is drawn`);
          for (const target of inv.targets) {
            const node = drawn.has(`alias:${target}`) ? `alias:${target}` : `ver:${target}`;
            assert.ok(drawn.has(node), `${inv.id} → ${target} has a node`);
            assert.ok(t.versions.includes(target) || t.aliases.some((a) => a.name === target));
          }
        }
        const invokeEdges = layout.edges.filter((e) => e.cls.startsWith("edge invoke"));
        assert.equal(invokeEdges.length, layout.invokers.reduce((n, inv) => n + inv.targets.length, 0));
      });

      test("is the same every time and leaves the topology alone", () => {
        const t = topology(name);
        const before = JSON.stringify(t);
        const again = layoutDiagram(t);
        assert.equal(JSON.stringify(t), before);
        assert.deepEqual(again.items, layout.items);
        assert.deepEqual(again.edges, layout.edges);
        assert.equal(again.height, layout.height);
      });
    });
  }
});

describe("an alias's weighted edges", () => {
  test("are as wide as their weight and labelled with it", () => {
    const layout = layoutDiagram(topology("checkout"));
    const edges = Object.fromEntries(layout.edges.filter((e) => e.key).map((e) => [e.key, e.strokeWidth]));
    assert.equal(edges["wedge:prod:1"], 2 + 18 * 0.95);
    assert.equal(edges["wedge:prod:2"], Math.max(1.5, 2 + 18 * 0.05));
    const labelText = Object.fromEntries(layout.items.filter((i) => i.cls === "edge-label").map((i) => [i.key, i.text]));
    assert.equal(labelText["wlabel:prod:1"], "95% configured");
    assert.equal(labelText["wlabel:prod:2"], "5% configured");
    assert.equal(labelText["wlabel:dev:$LATEST"], "100% configured");
  });
});

describe("invokers without aliases", () => {
  test("call $LATEST", () => {
    const t = topology("failure-alerts");
    assert.deepEqual(t.aliases, []);
    const layout = layoutDiagram(t);
    const sdk = layout.invokers.find((i) => i.id === "sdk");
    assert.deepEqual(sdk.targets, [LATEST]);
  });
});

describe("a dot's path", () => {
  const t = topology("checkout");
  const layout = layoutDiagram(t);

  test("runs invoker → alias → version → environments → outcome", () => {
    const { pts, from } = dotPath(layout, t, { source: "sdk", alias: "prod", version: "2", outcome: "Success" });
    assert.equal(from, -1);
    const sdk = layout.anchors.get("inv:sdk");
    const alias = layout.anchors.get("alias:prod");
    const ver = layout.anchors.get("ver:2");
    const out = layout.anchors.get("out:Success");
    assert.deepEqual(pts[0], [sdk.x, sdk.y]);
    assert.deepEqual(pts[1], [alias.x, alias.y]);
    assert.deepEqual(pts[3], [ver.x, ver.y]);
    assert.deepEqual(pts.at(-1), [out.x, out.y]);
  });

  test("of a throttled sync call turns back to its caller", () => {
    const { pts } = dotPath(layout, t, { source: "sdk", alias: "prod", version: "1", outcome: "Throttled" });
    const sdk = layout.anchors.get("inv:sdk");
    assert.deepEqual(pts.at(-1), [sdk.x, sdk.y]);
  });

  test("of an S3 event starts at its source and runs down into the async queue", () => {
    const thumbnailer = topology("thumbnailer");
    const l = layoutDiagram(thumbnailer);
    const { pts, from } = dotPath(l, thumbnailer, { source: "s3", invocation_type: "Event", outcome: "Error" });
    assert.equal(from, 0);
    const queue = l.anchors.get("inv:async");
    assert.deepEqual(pts[1], [pts[0][0], queue.y0]);
    const err = l.anchors.get("out:Error");
    assert.deepEqual(pts.at(-1), [err.x, err.y]);
  });
});

describe("environment squares", () => {
  test("are capped, ordered by state and inside the environments box", () => {
    const { squares, total, cap } = envSquares({ Ready: 100, Busy: 2, Custom: 1 }, 66);
    assert.equal(total, 103);
    assert.equal(squares.length, cap);
    assert.equal(squares[0].state, "Busy");
    assert.equal(squares[2].state, "Ready");
    for (const s of squares) assert.ok(s.x >= COL.env.x && s.x + s.size <= COL.env.x + COL.env.w);
  });
});
