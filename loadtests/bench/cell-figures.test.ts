import { describe, expect, it } from "vitest";
import { benchResultsFixture } from "../testing/bench-results-fixture.ts";
import { cellFigures } from "./cell-figures.ts";

const cell = (id: string) => {
  const found = benchResultsFixture().cells.find((entry) => entry.id === id);
  if (!found) throw new Error(`no cell ${id} in the fixture`);
  return found;
};

describe("cellFigures", () => {
  it("puts what reached the origin, Postgres and Redis per client request", () => {
    const source = cell("browse/origin/2x1/saturation");
    const figures = cellFigures(source);
    const requests = source.summary.requests.total;
    expect(figures.originRequestsPerRequest).toBeCloseTo((source.server.originRequests ?? 0) / requests);
    expect(figures.dbStatementsPerRequest).toBeCloseTo((source.server.dbStatements ?? 0) / requests);
    expect(figures.redisCommandsPerRequest).toBeCloseTo((source.server.redisCommands ?? 0) / requests);
    expect(figures.cpuMsPerRequest?.origin).toBeCloseTo((source.cpuMs?.origin ?? 0) / requests);
    const sum = Object.values(figures.cpuMsPerRequest ?? {}).reduce((total, ms) => total + ms, 0);
    expect(figures.sutCpuMsPerRequest).toBeCloseTo(sum);
  });

  it("reads the edge hit ratio only for edge-fronted cells, and the origin's cache ratio from its counters", () => {
    expect(cellFigures(cell("browse/origin/2x1/saturation")).edgeHitRatio).toBeNull();
    expect(cellFigures(cell("browse/edge-deno/2x1/saturation")).edgeHitRatio).toBeCloseTo(0.95);
    const origin = cellFigures(cell("browse/edge-deno/2x1/saturation"));
    expect(origin.originCacheHitRatio).toBeCloseTo(1_400 / 1_600);
  });

  it("calls a generator that used 90% of its cores the limit of the run", () => {
    expect(cellFigures(cell("browse/edge-deno/2x1/saturation")).generatorBound).toBe(true);
    expect(cellFigures(cell("browse/origin/2x1/saturation")).generatorBound).toBe(false);
  });
});
