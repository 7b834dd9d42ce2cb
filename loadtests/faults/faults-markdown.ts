import { ms, percent } from "../bench/figure-format.ts";
import { markdownTable } from "../bench/markdown-table.ts";
import { failureCounts } from "./fault-catalog.ts";
import type { FaultResult } from "./fault-run.ts";

/** The faults table of summary.md and of the terminal: what clients saw, what was lost, whether the promise held. */
const statusesOtherThanSuccess = (result: FaultResult) =>
  Object.entries(result.summary.statusCounts)
    .filter(([status]) => !/^[23]/.test(status))
    .map(([status, count]) => `${status === "0" ? "none" : status}: ${count}`)
    .join(", ") || "–";

export const faultsTable = (results: readonly FaultResult[]): string =>
  markdownTable(
    [
      "fault",
      "via",
      "requests",
      "failed",
      "reads / POSTs / unanswered",
      "failing statuses",
      "p99 ms",
      "cache hits",
      "creates ok / stored / lost",
      "recovered",
      "promise held",
    ],
    results.map((result) => {
      const failed = failureCounts(result.summary);
      const answered = result.ledger.reduce((sum, line) => sum + line.answeredOk, 0);
      const stored = result.ledger.reduce((sum, line) => sum + line.stored, 0);
      const lost = result.ledger.reduce((sum, line) => sum + line.lost, 0);
      return [
        result.id,
        result.target === "edge" ? "edge" : "NGINX",
        String(result.summary.requests.total),
        String(result.summary.requests.failed),
        `${failed.reads} / ${failed.posts} / ${failed.unanswered}`,
        statusesOtherThanSuccess(result),
        ms(result.summary.latencyMs.p99),
        result.summary.cache ? percent(result.summary.cache.hitRatio) : "–",
        `${answered} / ${stored} / ${lost}`,
        result.recovered ? "yes" : "no",
        result.broken.length === 0 ? "yes" : `no: ${result.broken.join("; ")}`,
      ];
    }),
  );

export const faultsMarkdown = (results: readonly FaultResult[], context: { command: string; notes: string[] }) =>
  [
    "# Faults under load",
    "",
    `Made by \`${context.command}\`.`,
    "",
    ...context.notes.map((note) => `- ${note}`),
    "",
    faultsTable(results),
    "",
    "## Promises",
    "",
    ...results.map((result) => `- **${result.id}** (${result.description}): ${result.promise}.`),
    "",
    "## Load commands",
    "",
    ...results.map((result) => `- ${result.id}: \`${result.command}\``),
    "",
  ].join("\n");
