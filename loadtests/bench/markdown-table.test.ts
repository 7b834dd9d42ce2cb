import { describe, expect, it } from "vitest";
import { markdownTable } from "./markdown-table.ts";

describe("markdownTable", () => {
  it("pads the columns, right-aligning figures and left-aligning words", () => {
    expect(
      markdownTable(
        ["target", "req/s", "p99"],
        [
          ["origin-only", "1,980", "172 ms"],
          ["edge", "6,200", "n/a"],
        ],
      ),
    ).toBe(
      [
        "| target      | req/s |    p99 |",
        "| ----------- | ----: | -----: |",
        "| origin-only | 1,980 | 172 ms |",
        "| edge        | 6,200 |    n/a |",
      ].join("\n"),
    );
  });
});
