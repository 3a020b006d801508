import assert from "node:assert/strict";
import { test } from "node:test";

import { entryText } from "../../static/invocations/js/function/logs_panel.js";

test("an invocation's lines are headed by its CloudWatch Logs stream", () => {
  const entry = {
    log_stream: "2026/12/03/[$LATEST]0123456789abcdef0123456789abcdef",
    lines: ["START RequestId: r Version: $LATEST", "END RequestId: r"],
  };
  assert.equal(
    entryText(entry),
    "# 2026/12/03/[$LATEST]0123456789abcdef0123456789abcdef\nSTART RequestId: r Version: $LATEST\nEND RequestId: r",
  );
});

test("a record kept from before streams existed shows its lines alone", () => {
  assert.equal(entryText({ log_stream: "", lines: ["END RequestId: r"] }), "END RequestId: r");
});
