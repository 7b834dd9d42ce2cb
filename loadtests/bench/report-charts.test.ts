import { describe, expect, it } from "vitest";
import { benchResultsFixture } from "../testing/bench-results-fixture.ts";
import { reportCharts } from "./report-charts.ts";

describe("reportCharts", () => {
  it("draws throughput, scaling, budget, latency, hit ratio, backend load and CPU cost from the fixture", () => {
    const charts = reportCharts(benchResultsFixture());
    expect(charts.map((chart) => [chart.id, chart.series.length])).toEqual([
      ["throughput", 2],
      ["scaling", 4],
      ["budget", 1],
      ["latency", 3],
      ["hit-ratio", 2],
      ["backend-load", 3],
      ["cpu-cost", 5],
    ]);
    for (const chart of charts) {
      const points = chart.kind === "bars" ? chart.categories.length : chart.x.length;
      for (const series of chart.series) expect(series.values).toHaveLength(points);
    }
  });

  it("leaves out a chart with nothing to show", () => {
    const results = benchResultsFixture();
    results.cells = results.cells.filter((cell) => cell.budgetCores === undefined);
    expect(reportCharts(results).map((chart) => chart.id)).not.toContain("budget");
  });

  it("puts the budget curve on the quota's axis, in order", () => {
    const budget = reportCharts(benchResultsFixture()).find((chart) => chart.id === "budget");
    expect(budget?.kind === "lines" && budget.x).toEqual([0.25, 1.5]);
  });
});
