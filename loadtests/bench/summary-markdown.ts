import {
  analysedCells,
  budgetCells,
  comparisonCells,
  projectionBases,
  scalingRows,
  scalingSpeedup,
  targetRatios,
} from "./bench-analysis.ts";
import { type BenchResults, tiers } from "./bench-results.ts";
import { cellLabel, cores, ms, percent, ratio, rps, targetLabels } from "./figure-format.ts";
import { markdownTable } from "./markdown-table.ts";
import { layoutLabel, maxWorkersForConnections, poolConnections, projectionModel } from "./projection.ts";

/**
 * summary.md of a bench run, and the two tables the bench prints when it ends (the
 * origin-only vs edge-fronted ratios, the worker scaling table).
 */
export const ratioTable = (results: BenchResults): string => {
  const ratios = targetRatios(results);
  if (ratios.length === 0) return "No edge-fronted cell ran, so there is no origin-only vs edge-fronted ratio.";
  return markdownTable(
    ["scenario", "edge", "client req/s, edge / origin-only", "p95 at fixed rate, origin-only / edge", "note"],
    ratios.map((entry) => [
      entry.scenario,
      targetLabels[entry.target],
      `${entry.throughputRatio.toFixed(2)}x`,
      entry.fixedRateP95Ratio === null ? "n/a" : `${entry.fixedRateP95Ratio.toFixed(2)}x`,
      entry.generatorBound ? "generator-bound: the edge could do more" : "",
    ]),
  );
};

export const scalingTable = (results: BenchResults): string => {
  const rows = scalingRows(results);
  if (rows.length === 0) return "No origin scaling cell ran.";
  const scenarios = [...new Set(results.cells.map((cell) => cell.scenario))];
  return markdownTable(
    [
      "instances x workers",
      ...scenarios.flatMap((scenario) => [`${scenario} req/s`, `${scenario} p50 / p99 ms`, `${scenario} vs 1x1`]),
      "SUT cores used",
      "peak DB connections",
      "peak pool waits",
    ],
    rows.map((row) => {
      const entries = Object.values(row.byScenario);
      return [
        `${row.topology.instances} x ${row.topology.workers}`,
        ...scenarios.flatMap((scenario) => {
          const entry = row.byScenario[scenario];
          const speedup = scalingSpeedup(rows, scenario, row);
          if (!entry) return ["", "", ""];
          return [
            rps(entry.figures.throughput),
            `${ms(entry.figures.p50)} / ${ms(entry.figures.p99)}`,
            speedup === null ? "n/a" : `${speedup.toFixed(2)}x`,
          ];
        }),
        entries.map((entry) => cores(entry.figures.sutCoresUsed)).join(" / "),
        String(Math.max(0, ...entries.map((entry) => entry.cell.peaks.dbConnections ?? 0))),
        String(Math.max(0, ...entries.map((entry) => entry.cell.peaks.poolWaiting ?? 0))),
      ];
    }),
  );
};

/** Headroom kept below max_connections: superuser slots, migrations, replication, a psql. */
const connectionHeadroom = 20;

const connectionLines = (results: BenchResults): string[] => {
  const { dbPoolMax, postgresMaxConnections } = results.stack;
  if (dbPoolMax === null || postgresMaxConnections === null) return [];
  const largest = scalingRows(results).at(-1)?.topology;
  return [
    `Each origin worker's pool opens up to ${dbPoolMax} Postgres connections` +
      (largest
        ? `, so ${largest.instances} x ${largest.workers} may hold ${poolConnections(largest.instances, largest.workers, dbPoolMax)}`
        : "") +
      `. With ${connectionHeadroom} kept free, max_connections ${postgresMaxConnections} (this run's) allows ` +
      `${maxWorkersForConnections(postgresMaxConnections, connectionHeadroom, dbPoolMax)} worker processes in all, ` +
      `Postgres' default of 100 allows ${maxWorkersForConnections(100, connectionHeadroom, dbPoolMax)}: past that, a pooler (PgBouncer) or smaller pools.`,
  ];
};

const comparisonTable = (results: BenchResults) =>
  markdownTable(
    [
      "scenario",
      "target",
      "load",
      "client req/s",
      "p50 / p95 / p99 ms",
      "errors",
      "edge hit",
      "origin req per req",
      "origin cache hit",
      "queries per req",
      "Redis cmds per req",
    ],
    comparisonCells(results).map(({ cell, figures }) => [
      cell.scenario,
      targetLabels[cell.target],
      cell.mode === "saturation" ? "saturation" : `${cell.rate} req/s`,
      rps(figures.throughput) + (figures.generatorBound ? " (generator-bound)" : ""),
      `${ms(figures.p50)} / ${ms(figures.p95)} / ${ms(figures.p99)}`,
      percent(figures.errorRate, 2),
      percent(figures.edgeHitRatio),
      ratio(figures.originRequestsPerRequest),
      percent(figures.originCacheHitRatio),
      ratio(figures.dbStatementsPerRequest),
      ratio(figures.redisCommandsPerRequest),
    ]),
  );

const budgetTable = (results: BenchResults) => {
  const cells = budgetCells(results);
  if (cells.length === 0) return "No CPU-budget cell ran.";
  return markdownTable(
    ["CPU quota (cores)", "client req/s", "p50 / p99 ms", "SUT cores used", "req/s per core used", "on cores"],
    cells.map(({ cell, figures }) => [
      String(cell.budgetCores),
      rps(figures.throughput),
      `${ms(figures.p50)} / ${ms(figures.p99)}`,
      cores(figures.sutCoresUsed),
      figures.sutCoresUsed ? rps(figures.throughput / figures.sutCoresUsed) : "n/a",
      cell.placement.sutCores.join(",") + (cell.placement.shared ? " (shared with the generator)" : ""),
    ]),
  );
};

const costTable = (results: BenchResults) =>
  markdownTable(
    [
      "cell",
      ...tiers.map((tier) => `${tier} ms`),
      "all tiers ms",
      "queries",
      "DB writes",
      "Redis cmds",
      "generator cores",
    ],
    analysedCells(results).map(({ cell, figures }) => [
      cellLabel(cell),
      ...tiers.map((tier) => {
        const value = figures.cpuMsPerRequest?.[tier];
        return value === undefined ? "" : value.toFixed(3);
      }),
      figures.sutCpuMsPerRequest === null ? "n/a" : figures.sutCpuMsPerRequest.toFixed(3),
      ratio(figures.dbStatementsPerRequest),
      ratio(figures.dbWritesPerRequest, 3),
      ratio(figures.redisCommandsPerRequest),
      cores(figures.generatorCoresUsed),
    ]),
  );

const projectionSection = (results: BenchResults) => {
  const bases = projectionBases(results);
  if (bases.length === 0) return ["No cell has CPU figures to project from."];
  return [
    `**PROJECTED, not measured.** ${projectionModel}`,
    "",
    markdownTable(
      ["layout", ...bases.map(({ basis }) => `${cellLabel(basis.cell)} (req/s, limit)`)],
      (bases[0]?.projections ?? []).map((layout, row) => [
        layoutLabel(layout),
        ...bases.map(({ projections }) => {
          const projection = projections[row];
          return projection ? `${rps(projection.requestsPerSecond)}, ${projection.limitedBy}` : "";
        }),
      ]),
    ),
  ];
};

const disturbanceLines = (results: BenchResults) => {
  const disturbed = results.cells.filter((cell) => cell.disturbed);
  const retried = results.cells.filter((cell) => cell.attempts > 1);
  const lines = [
    `Foreign CPU (processes that are not the bench's) and steal (CPU the hypervisor gave to other guests) are measured in every window; ` +
      `above ${results.profile.disturbedAboveCores} cores together a cell counts as disturbed and is measured again once when time allows.`,
  ];
  if (retried.length > 0) lines.push(`Measured again: ${retried.map((cell) => cell.id).join(", ")}.`);
  lines.push(
    disturbed.length === 0
      ? "No cell kept a disturbed measurement."
      : `Still disturbed (read with care): ${disturbed.map((cell) => `${cell.id} (${cores(cell.foreignCores)} foreign, ${cores(cell.stealCores)} steal)`).join(", ")}.`,
  );
  return lines;
};

export const renderSummaryMarkdown = (results: BenchResults): string => {
  const first = results.cells[0];
  const lines = [
    `# Bench ${results.startedAt}`,
    "",
    `\`${results.command}\`, profile \`${results.profile.name}\`: ${results.profile.measureSeconds} s measured per cell after ` +
      `${results.profile.warmupSeconds} s of warm-up, ${results.profile.connections} connections; saturation runs offer ` +
      `${rps(results.profile.saturationRate)} req/s (closed loop: throughput is capacity), fixed-rate runs the scenario's own rate.` +
      (results.profile.quietWaitSeconds > 0
        ? ` Each measurement waited up to ${results.profile.quietWaitSeconds} s for other processes on the machine to go quiet.`
        : ""),
    "",
    `Machine: ${results.machine.cores} cores (${results.machine.cpuModel}), Node ${results.machine.node}, Linux ${results.machine.kernel}. ` +
      (first
        ? `System under test on core(s) ${first.placement.sutCores.join(",")}, load generator (native autocannon runner) on core(s) ${first.placement.generatorCores.join(",")}` +
          (first.placement.shared ? " (they share cores)." : ".")
        : ""),
    "",
    ...(results.stack.seed
      ? [
          `Data: ${rps(results.stack.seed.users)} users, ${rps(results.stack.seed.articles)} articles, ${rps(results.stack.seed.comments)} comments ` +
            `(${results.stack.seedReused ? "reused seeded database" : "seeded for this run"}); DB pool ${results.stack.dbPoolMax} per worker, ` +
            `Postgres max_connections ${results.stack.postgresMaxConnections}, NGINX workers ${results.stack.nginxWorkers}.`,
          "",
        ]
      : []),
    ...results.stack.notes.map((note) => `- ${note}`),
    ...(results.skipped.length > 0
      ? ["", "Skipped:", ...results.skipped.map((skip) => `- \`${skip.id}\`: ${skip.reason}`)]
      : []),
    "",
    "## Origin-only vs edge-fronted",
    "",
    ratioTable(results),
    "",
    comparisonTable(results),
    "",
    "## Origin scaling (origin-only, saturation)",
    "",
    scalingTable(results),
    "",
    ...connectionLines(results),
    "",
    "## CPU budget (cgroup v1 quota on the whole system under test, browse, saturation)",
    "",
    budgetTable(results),
    "",
    "## Cost per client request (CPU ms from /proc/<pid>/stat of each tier's process tree)",
    "",
    costTable(results),
    "",
    "## Projections",
    "",
    ...projectionSection(results),
    "",
    "## Disturbance",
    "",
    ...disturbanceLines(results),
    "",
    "## Commands",
    "",
    `Every cell: \`${results.command}\` (add \`--only <cell id>\` for one cell). The load generator's command of each cell:`,
    "",
    ...results.cells.map((cell) => `- \`${cell.id}\`: \`${cell.command}\``),
    "",
  ];
  return lines.join("\n");
};
