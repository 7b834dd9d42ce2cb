import { markdownTable } from "../../loadtests/bench/markdown-table.ts";
import { median } from "../../loadtests/summary/percentile.ts";
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

export const format = (value: number, digits = 0): string =>
  value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const describeRun = (cell: Pick<MeasuredCell, "server" | "reads">, round: number, run: Measurement): string =>
  `round ${round}  ${cell.server} | ${cell.reads}: ${format(run.requestsPerSecond)} req/s, p50 ${run.p50Ms} ms, ` +
  `p99 ${run.p99Ms} ms, ${format(run.cpuMsPerRequest, 4)} CPU ms/req, others on its core ` +
  `${format(run.otherLoadCores, 2)}, origin requests ${run.originRequests}, failures ${run.failures}`;

export const medianRate = (cell: MeasuredCell): number => median(cell.runs.map((run) => run.requestsPerSecond));

/** Medians of every cell's runs; the ratio is to the bare `Map` server on the same reads. */
export const medianTable = (cells: readonly MeasuredCell[]): string =>
  markdownTable(
    [
      "server",
      "reads",
      "req/s",
      "vs bare Map",
      "p50 ms",
      "p99 ms",
      "CPU ms/req",
      "others on its core",
      "origin requests",
      "failures",
    ],
    cells.map((cell) => {
      const baseline = cells.find((other) => other.isBaseline && other.reads === cell.reads);
      const of = (pick: (run: Measurement) => number) => median(cell.runs.map(pick));
      const total = (pick: (run: Measurement) => number) => cell.runs.reduce((sum, run) => sum + pick(run), 0);
      return [
        cell.server,
        cell.reads,
        format(medianRate(cell)),
        baseline ? `${format(medianRate(cell) / medianRate(baseline), 2)}x` : "",
        format(
          of((run) => run.p50Ms),
          2,
        ),
        format(
          of((run) => run.p99Ms),
          2,
        ),
        format(
          of((run) => run.cpuMsPerRequest),
          4,
        ),
        format(
          of((run) => run.otherLoadCores),
          2,
        ),
        String(total((run) => run.originRequests)),
        String(total((run) => run.failures)),
      ];
    }),
    ["left", "left", "right", "right", "right", "right", "right", "right", "right", "right"],
  );
