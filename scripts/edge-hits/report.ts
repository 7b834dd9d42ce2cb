import type { WrkResult } from "./wrk.ts";

/** One measured run of one server on one set of reads, and the table of their medians. */
export interface Measurement extends WrkResult {
  cpuMsPerRequest: number;
  /** Requests the origin answered during the run: 0, or the run was not all hits. */
  originRequests: number;
  /** Cores' worth of CPU that others used on the server's cores meanwhile. */
  otherLoadCores: number;
}

export interface MeasuredCell {
  server: string;
  reads: string;
  /** The bare `Map` server's cell for the same reads, the ratio's denominator. */
  isBaseline: boolean;
  runs: Measurement[];
}

export const median = (numbers: readonly number[]): number => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

export const format = (value: number, digits = 0): string =>
  value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const describeRun = (cell: Pick<MeasuredCell, "server" | "reads">, round: number, run: Measurement): string =>
  `round ${round}  ${cell.server} | ${cell.reads}: ${format(run.requestsPerSecond)} req/s, p50 ${run.p50Ms} ms, ` +
  `p99 ${run.p99Ms} ms, ${format(run.cpuMsPerRequest, 4)} CPU ms/req, others on its core ` +
  `${format(run.otherLoadCores, 2)}, origin requests ${run.originRequests}, failures ${run.failures}`;

export const medianRate = (cell: MeasuredCell): number => median(cell.runs.map((run) => run.requestsPerSecond));

export const markdownTable = (cells: readonly MeasuredCell[]): string => {
  const lines = [
    "| server | reads | req/s | vs bare Map | p50 ms | p99 ms | CPU ms/req | others on its core | origin requests | failures |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const cell of cells) {
    const baseline = cells.find((other) => other.isBaseline && other.reads === cell.reads);
    const of = (pick: (run: Measurement) => number) => median(cell.runs.map(pick));
    const total = (pick: (run: Measurement) => number) => cell.runs.reduce((sum, run) => sum + pick(run), 0);
    const ratio = baseline ? `${format(medianRate(cell) / medianRate(baseline), 2)}x` : "";
    lines.push(
      `| ${cell.server} | ${cell.reads} | ${format(medianRate(cell))} | ${ratio} | ${format(
        of((r) => r.p50Ms),
        2,
      )} | ` +
        `${format(
          of((r) => r.p99Ms),
          2,
        )} | ${format(
          of((r) => r.cpuMsPerRequest),
          4,
        )} | ` +
        `${format(
          of((r) => r.otherLoadCores),
          2,
        )} | ${total((r) => r.originRequests)} | ${total((r) => r.failures)} |`,
    );
  }
  return lines.join("\n");
};
