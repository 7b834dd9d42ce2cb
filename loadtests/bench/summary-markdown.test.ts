import { describe, expect, it } from "vitest";
import { benchResultsFixture } from "../testing/bench-results-fixture.ts";
import { ratioTable, renderSummaryMarkdown, scalingTable } from "./summary-markdown.ts";

describe("renderSummaryMarkdown", () => {
  const summary = renderSummaryMarkdown(benchResultsFixture());

  it("answers the design's questions in sections, and marks projections as projected", () => {
    for (const heading of [
      "## Origin-only vs edge-fronted",
      "## Origin scaling",
      "## CPU budget",
      "## Cost per client request",
      "## Projections",
      "## Commands",
    ]) {
      expect(summary).toContain(heading);
    }
    expect(summary).toContain("**PROJECTED, not measured.**");
    expect(summary).toContain("load generator (native autocannon runner) on core(s) 1");
  });

  it("gives the generator's command for every cell and lists what was skipped, with why", () => {
    for (const cell of benchResultsFixture().cells)
      expect(summary).toContain(`- \`${cell.id}\`: \`taskset -c 1 node loadtests/run.ts`);
    expect(summary).toContain("`browse/edge-wrangler/2x1/saturation`: stack/edge.ts does not exist yet");
  });
});

describe("the tables the bench prints", () => {
  it("give the edge-fronted over origin-only throughput ratio", () => {
    // 6,200 req/s through the edge against 1,980 origin-only, in the fixture.
    expect(ratioTable(benchResultsFixture())).toMatch(/\| browse +\| edge on deno serve --parallel +\| +3\.13x/);
  });

  it("give each topology's throughput relative to one worker", () => {
    const table = scalingTable(benchResultsFixture());
    expect(table).toMatch(/\| 1 x 1 +\| +1,157 \|.*\| +1\.00x \|/);
    expect(table).toMatch(/\| 2 x 1 +\| +1,980 \|.*\| +1\.71x \|/);
  });
});
