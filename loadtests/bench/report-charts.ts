import { analysedCells, budgetCells, comparisonCells, scalingRows } from "./bench-analysis.ts";
import { type BenchResults, tiers } from "./bench-results.ts";
import { cellLabel, shortTargetLabels } from "./figure-format.ts";

/**
 * The charts of report.html as plain data (report-html.ts draws them with uPlot): bar
 * charts over labelled categories, line charts over a numeric x. A chart with nothing to
 * show is left out rather than drawn empty.
 */
export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

export type ChartSpec =
  | {
      kind: "bars";
      id: string;
      title: string;
      yLabel: string;
      logY?: boolean;
      categories: string[];
      series: ChartSeries[];
    }
  | { kind: "lines"; id: string; title: string; yLabel: string; xLabel: string; x: number[]; series: ChartSeries[] };

const hasData = (chart: ChartSpec) =>
  chart.series.length > 0 && chart.series.some((series) => series.values.some((value) => value !== null));

const throughputChart = (results: BenchResults): ChartSpec => {
  const cells = comparisonCells(results);
  const loads = [
    ...new Set(
      cells.map(
        ({ cell }) => `${cell.scenario} ${cell.mode === "saturation" ? "saturation" : `at ${cell.rate} req/s`}`,
      ),
    ),
  ];
  const targets = [...new Set(cells.map(({ cell }) => cell.target))];
  return {
    kind: "bars",
    id: "throughput",
    title: "Client throughput: origin-only vs edge-fronted (req/s)",
    yLabel: "req/s",
    categories: loads,
    series: targets.map((target) => ({
      label: shortTargetLabels[target],
      values: loads.map((load) => {
        const entry = cells.find(
          ({ cell }) =>
            cell.target === target &&
            `${cell.scenario} ${cell.mode === "saturation" ? "saturation" : `at ${cell.rate} req/s`}` === load,
        );
        return entry ? entry.figures.throughput : null;
      }),
    })),
  };
};

const scalingChart = (results: BenchResults): ChartSpec => {
  const rows = scalingRows(results);
  const workers = [...new Set(rows.map((row) => row.topology.workers))].sort((a, b) => a - b);
  const instances = [...new Set(rows.map((row) => row.topology.instances))].sort((a, b) => a - b);
  const scenarios = [...new Set(results.cells.map((cell) => cell.scenario))];
  return {
    kind: "lines",
    id: "scaling",
    title: "Origin scaling: client req/s by workers per instance",
    xLabel: "workers per instance",
    yLabel: "req/s",
    x: workers,
    series: scenarios.flatMap((scenario) =>
      instances.map((count) => ({
        label: `${scenario}, ${count} instance${count === 1 ? "" : "s"}`,
        values: workers.map(
          (worker) =>
            rows.find((row) => row.topology.instances === count && row.topology.workers === worker)?.byScenario[
              scenario
            ]?.figures.throughput ?? null,
        ),
      })),
    ),
  };
};

const budgetChart = (results: BenchResults): ChartSpec => {
  const cells = budgetCells(results);
  return {
    kind: "lines",
    id: "budget",
    title: "CPU budget: client req/s by cgroup quota on the system under test (browse)",
    xLabel: "CPU quota (cores)",
    yLabel: "req/s",
    x: cells.map(({ cell }) => cell.budgetCores ?? 0),
    series: [{ label: "browse, origin-only", values: cells.map(({ figures }) => figures.throughput) }],
  };
};

const latencyChart = (results: BenchResults): ChartSpec => {
  const cells = analysedCells(results);
  return {
    kind: "bars",
    id: "latency",
    title: "Latency percentiles (ms, log scale)",
    yLabel: "ms",
    logY: true,
    categories: cells.map(({ cell }) => cellLabel(cell)),
    series: (["p50", "p95", "p99"] as const).map((stat) => ({
      label: stat,
      values: cells.map(({ figures }) => (figures[stat] > 0 ? figures[stat] : null)),
    })),
  };
};

const hitRatioChart = (results: BenchResults): ChartSpec => {
  const cells = comparisonCells(results);
  return {
    kind: "bars",
    id: "hit-ratio",
    title: "Hit ratio (%): edge cache, and the origin's Redis response cache",
    yLabel: "%",
    categories: cells.map(({ cell }) => cellLabel(cell)),
    series: [
      {
        label: "edge hit ratio",
        values: cells.map(({ figures }) => (figures.edgeHitRatio === null ? null : figures.edgeHitRatio * 100)),
      },
      {
        label: "origin cache hit ratio",
        values: cells.map(({ figures }) =>
          figures.originCacheHitRatio === null ? null : figures.originCacheHitRatio * 100,
        ),
      },
    ],
  };
};

/** Log scale: Redis commands per request run to tens while Postgres statements behind an edge are hundredths. */
const backendLoadChart = (results: BenchResults): ChartSpec => {
  const cells = comparisonCells(results);
  const positive = (value: number | null) => (value !== null && value > 0 ? value : null);
  return {
    kind: "bars",
    id: "backend-load",
    title: "Origin and database load per client request (log scale)",
    yLabel: "per client request",
    logY: true,
    categories: cells.map(({ cell }) => cellLabel(cell)),
    series: [
      { label: "origin requests", values: cells.map(({ figures }) => positive(figures.originRequestsPerRequest)) },
      { label: "Postgres statements", values: cells.map(({ figures }) => positive(figures.dbStatementsPerRequest)) },
      { label: "Redis commands", values: cells.map(({ figures }) => positive(figures.redisCommandsPerRequest)) },
    ],
  };
};

const cpuCostChart = (results: BenchResults): ChartSpec => {
  const cells = analysedCells(results).filter(({ figures }) => figures.cpuMsPerRequest !== null);
  return {
    kind: "bars",
    id: "cpu-cost",
    title: "CPU ms per client request, by tier",
    yLabel: "CPU ms",
    categories: cells.map(({ cell }) => cellLabel(cell)),
    series: tiers
      .filter((tier) => cells.some(({ figures }) => figures.cpuMsPerRequest?.[tier] !== undefined))
      .map((tier) => ({ label: tier, values: cells.map(({ figures }) => figures.cpuMsPerRequest?.[tier] ?? null) })),
  };
};

export const reportCharts = (results: BenchResults): ChartSpec[] =>
  [
    throughputChart(results),
    scalingChart(results),
    budgetChart(results),
    latencyChart(results),
    hitRatioChart(results),
    backendLoadChart(results),
    cpuCostChart(results),
  ].filter(hasData);
