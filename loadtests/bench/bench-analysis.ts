import type { BenchResults, BenchScenario, BenchTarget, CellResult, Topology } from "./bench-results.ts";
import { type CellFigures, cellFigures } from "./cell-figures.ts";
import { type Projection, project, projectionGrid } from "./projection.ts";

/**
 * The questions of design.md answered from a results file: which cells make the
 * origin-only vs edge-fronted comparison, the worker-scaling table, the CPU-budget curve,
 * the ratios between them, and the projections. summary.md and report.html both read these.
 */
export interface AnalysedCell {
  cell: CellResult;
  figures: CellFigures;
}

const analysed = (cell: CellResult): AnalysedCell => ({ cell, figures: cellFigures(cell) });

export const analysedCells = (results: BenchResults): AnalysedCell[] => results.cells.map(analysed);

const sameTopology = (a: Topology, b: Topology) => a.instances === b.instances && a.workers === b.workers;

/** The comparison topology: the one the edge-fronted cells ran on (or the origin fixed-rate ones). */
export const comparisonTopology = (results: BenchResults): Topology | undefined =>
  (results.cells.find((cell) => cell.target !== "origin") ?? results.cells.find((cell) => cell.mode === "fixed-rate"))
    ?.topology;

export const comparisonCells = (results: BenchResults): AnalysedCell[] => {
  const topology = comparisonTopology(results);
  if (!topology) return [];
  return results.cells
    .filter((cell) => cell.budgetCores === undefined && sameTopology(cell.topology, topology))
    .map(analysed);
};

export interface TargetRatio {
  scenario: BenchScenario;
  target: BenchTarget;
  /** Edge-fronted client req/s over origin-only client req/s, saturation runs. */
  throughputRatio: number;
  /** Origin-only over edge-fronted p95 at the scenario's fixed rate (above 1: the edge is faster). */
  fixedRateP95Ratio: number | null;
  generatorBound: boolean;
}

export const targetRatios = (results: BenchResults): TargetRatio[] => {
  const cells = comparisonCells(results);
  const find = (scenario: BenchScenario, target: BenchTarget, mode: CellResult["mode"]) =>
    cells.find((entry) => entry.cell.scenario === scenario && entry.cell.target === target && entry.cell.mode === mode);
  return cells.flatMap(({ cell, figures }) => {
    if (cell.target === "origin" || cell.mode !== "saturation") return [];
    const origin = find(cell.scenario, "origin", "saturation");
    if (!origin || origin.figures.throughput === 0) return [];
    const edgeFixed = find(cell.scenario, cell.target, "fixed-rate");
    const originFixed = find(cell.scenario, "origin", "fixed-rate");
    return [
      {
        scenario: cell.scenario,
        target: cell.target,
        throughputRatio: figures.throughput / origin.figures.throughput,
        fixedRateP95Ratio:
          edgeFixed && originFixed && edgeFixed.figures.p95 > 0
            ? originFixed.figures.p95 / edgeFixed.figures.p95
            : null,
        generatorBound: figures.generatorBound,
      },
    ];
  });
};

export interface ScalingRow {
  topology: Topology;
  byScenario: Partial<Record<BenchScenario, AnalysedCell>>;
}

/** Origin-only saturation cells of our own topologies without a CPU quota, one row per topology, fewest processes first. */
export const scalingRows = (results: BenchResults): ScalingRow[] => {
  const rows: ScalingRow[] = [];
  for (const cell of results.cells) {
    const ours = cell.topology.instances > 0;
    if (!ours || cell.target !== "origin" || cell.mode !== "saturation" || cell.budgetCores !== undefined) continue;
    let row = rows.find((entry) => sameTopology(entry.topology, cell.topology));
    if (!row) {
      row = { topology: cell.topology, byScenario: {} };
      rows.push(row);
    }
    row.byScenario[cell.scenario] = analysed(cell);
  }
  return rows.sort((a, b) => a.topology.instances - b.topology.instances || a.topology.workers - b.topology.workers);
};

/** Throughput of each row over the 1x1 row's, per scenario. */
export const scalingSpeedup = (
  rows: readonly ScalingRow[],
  scenario: BenchScenario,
  row: ScalingRow,
): number | null => {
  const base = rows.find((entry) => entry.topology.instances === 1 && entry.topology.workers === 1)?.byScenario[
    scenario
  ];
  const here = row.byScenario[scenario];
  return base && here && base.figures.throughput > 0 ? here.figures.throughput / base.figures.throughput : null;
};

export const budgetCells = (results: BenchResults): AnalysedCell[] =>
  results.cells
    .filter((cell) => cell.budgetCores !== undefined)
    .sort((a, b) => (a.budgetCores ?? 0) - (b.budgetCores ?? 0))
    .map(analysed);

export interface ProjectionBasis {
  basis: AnalysedCell;
  projections: Projection[];
}

/** Projections from each comparison saturation run that has CPU figures (origin-only and edge on Deno). */
export const projectionBases = (results: BenchResults): ProjectionBasis[] =>
  comparisonCells(results).flatMap((entry) => {
    const costs = entry.figures.cpuMsPerRequest;
    if (entry.cell.mode !== "saturation" || entry.cell.target === "edge-wrangler" || !costs) return [];
    return [{ basis: entry, projections: projectionGrid.map((layout) => project(costs, layout)) }];
  });
