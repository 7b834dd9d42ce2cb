import { describe, expect, it } from "vitest";
import { benchResultsFixture } from "../testing/bench-results-fixture.ts";
import { cellMedians } from "./run-medians.ts";

describe("cellMedians", () => {
  it("gives each cell the median of its runs and keeps the spread of throughput", () => {
    const run = benchResultsFixture();
    const [first] = run.cells;
    if (!first) throw new Error("the fixture has no cell");
    const scaled = (factor: number) => ({
      ...run,
      cells: run.cells.map((cell) => ({
        ...cell,
        summary: {
          ...cell.summary,
          requests: { ...cell.summary.requests, throughput: cell.summary.requests.throughput * factor },
        },
      })),
    });
    const medians = cellMedians([scaled(0.5), run, scaled(2)]);
    const firstMedians = medians.find((entry) => entry.id === first.id);
    expect(firstMedians?.runs).toBe(3);
    expect(firstMedians?.figures.throughput).toBeCloseTo(first.summary.requests.throughput);
    expect(firstMedians?.throughputs).toEqual([0.5, 1, 2].map((factor) => first.summary.requests.throughput * factor));
  });

  it("leaves a cell out of the runs it is missing from", () => {
    const run = benchResultsFixture();
    const partial = { ...run, cells: run.cells.slice(1) };
    const [first] = cellMedians([run, partial]);
    expect(first?.runs).toBe(1);
  });
});
