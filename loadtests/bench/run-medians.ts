import { median } from "../summary/percentile.ts";
import type { BenchResults, CellResult, Tier, Topology } from "./bench-results.ts";
import { tiers } from "./bench-results.ts";
import { type CellFigures, cellFigures } from "./cell-figures.ts";
import { cellLabel, ms, percent, ratio, rps } from "./figure-format.ts";
import { markdownTable } from "./markdown-table.ts";
import { layoutLabel, project, projectionGrid, projectionModel } from "./projection.ts";

/**
 * Several runs of the same plan, cell by cell: the median of each figure and the spread of
 * throughput (lowest and highest run). One run on this shared VM can be off by 2x in either
 * direction (docs/scaling-report.md), so a claim about scaling should rest on the medians of
 * several runs, not on one. A cell missing from a run is left out of that cell's medians.
 */
export interface CellMedians {
  id: string;
  cell: CellResult;
  runs: number;
  throughputs: number[];
  figures: {
    throughput: number;
    p50: number;
    p99: number;
    errorRate: number;
    edgeHitRatio: number | null;
    originRequestsPerRequest: number | null;
    dbStatementsPerRequest: number | null;
    redisCommandsPerRequest: number | null;
    cpuMsPerRequest: Partial<Record<Tier, number>>;
    sutCpuMsPerRequest: number | null;
  };
}

const medianOf = (figures: readonly CellFigures[], pick: (figures: CellFigures) => number | null): number | null => {
  const values = figures.map(pick).filter((value): value is number => value !== null);
  return values.length === 0 ? null : median(values);
};

export const cellMedians = (runs: readonly BenchResults[]): CellMedians[] => {
  const ids = [...new Set(runs.flatMap((run) => run.cells.map((cell) => cell.id)))];
  return ids.map((id) => {
    const cells = runs.flatMap((run) => run.cells.filter((cell) => cell.id === id));
    const figures = cells.map(cellFigures);
    const cpuMsPerRequest = Object.fromEntries(
      tiers.flatMap((tier) => {
        const value = medianOf(figures, (each) => each.cpuMsPerRequest?.[tier] ?? null);
        return value === null ? [] : [[tier, value]];
      }),
    );
    return {
      id,
      cell: cells[0] as CellResult,
      runs: cells.length,
      throughputs: figures.map((each) => each.throughput),
      figures: {
        throughput: medianOf(figures, (each) => each.throughput) ?? 0,
        p50: medianOf(figures, (each) => each.p50) ?? 0,
        p99: medianOf(figures, (each) => each.p99) ?? 0,
        errorRate: medianOf(figures, (each) => each.errorRate) ?? 0,
        edgeHitRatio: medianOf(figures, (each) => each.edgeHitRatio),
        originRequestsPerRequest: medianOf(figures, (each) => each.originRequestsPerRequest),
        dbStatementsPerRequest: medianOf(figures, (each) => each.dbStatementsPerRequest),
        redisCommandsPerRequest: medianOf(figures, (each) => each.redisCommandsPerRequest),
        cpuMsPerRequest,
        sutCpuMsPerRequest: medianOf(figures, (each) => each.sutCpuMsPerRequest),
      },
    };
  });
};

export const mediansTable = (medians: readonly CellMedians[]): string =>
  markdownTable(
    [
      "cell",
      "runs",
      "client req/s (median)",
      "req/s, lowest / highest run",
      "p50 / p99 ms",
      "errors",
      "edge hit",
      "origin req per req",
      "queries per req",
      "Redis cmds per req",
      ...tiers.map((tier) => `${tier} CPU ms`),
      "all tiers CPU ms",
    ],
    medians.map(({ cell, runs, throughputs, figures }) => [
      cellLabel(cell),
      String(runs),
      rps(figures.throughput),
      `${rps(Math.min(...throughputs))} / ${rps(Math.max(...throughputs))}`,
      `${ms(figures.p50)} / ${ms(figures.p99)}`,
      percent(figures.errorRate, 2),
      percent(figures.edgeHitRatio),
      ratio(figures.originRequestsPerRequest),
      ratio(figures.dbStatementsPerRequest),
      ratio(figures.redisCommandsPerRequest),
      ...tiers.map((tier) => {
        const value = figures.cpuMsPerRequest[tier];
        return value === undefined ? "" : value.toFixed(3);
      }),
      ratio(figures.sutCpuMsPerRequest, 3),
    ]),
  );

/**
 * The report's projection grid (projection.ts) from median CPU per request, for the cells
 * summary.md projects from: saturation runs at the comparison topology, no CPU budget, not
 * wrangler dev.
 */
export const medianProjections = (medians: readonly CellMedians[], topology: Topology | undefined): string => {
  const bases = medians.filter(
    ({ cell }) =>
      topology !== undefined &&
      cell.topology.instances === topology.instances &&
      cell.topology.workers === topology.workers &&
      cell.budgetCores === undefined &&
      cell.mode === "saturation" &&
      cell.target !== "edge-wrangler",
  );
  if (bases.length === 0) return "No comparison cell to project from.";
  return [
    `**PROJECTED, not measured.** ${projectionModel}`,
    "",
    markdownTable(
      ["layout", ...bases.map(({ cell }) => `${cellLabel(cell)} (req/s, limit)`)],
      projectionGrid.map((layout) => [
        layoutLabel(layout),
        ...bases.map(({ figures }) => {
          const projection = project(figures.cpuMsPerRequest, layout);
          return `${rps(projection.requestsPerSecond)}, ${projection.limitedBy}`;
        }),
      ]),
    ),
  ].join("\n");
};
