import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { benchUsage, parseBenchArgs } from "./bench-args.ts";
import { smallProfileMinutesLimit } from "./bench-profiles.ts";
import { runBench } from "./bench-run.ts";
import { createProgressDisplay } from "./progress-display.ts";
import { loadUplotAssets, renderReportHtml } from "./report-html.ts";
import { formatSeconds } from "./run-estimate.ts";
import { ratioTable, renderSummaryMarkdown, scalingTable } from "./summary-markdown.ts";

/**
 * `npm run bench`: origin-only vs edge-fronted, origin scaling and CPU-budget curves on a
 * stack of its own (or a running one), written to reports/<timestamp>/ as results.json,
 * summary.md and a self-contained report.html. Exit 0 when every planned cell ran, 1 when
 * some could not, 2 on bad arguments; the small profile also fails past its time limit.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));

const main = async (): Promise<number> => {
  const parsed = parseBenchArgs(process.argv.slice(2));
  if (parsed.kind === "help") {
    process.stdout.write(benchUsage);
    return 0;
  }
  if (parsed.kind === "error") {
    process.stderr.write(`${parsed.message}\n\n${benchUsage}`);
    return 2;
  }
  const { args } = parsed;
  const startedAt = performance.now();
  const reportDir = path.resolve(
    root,
    args.out ??
      path.join(
        "reports",
        new Date()
          .toISOString()
          .replace(/[:.]/g, "-")
          .replace(/-\d{3}Z$/, "Z"),
      ),
  );
  await mkdir(reportDir, { recursive: true });
  const progress = createProgressDisplay();
  const command = ["npm run bench", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" ");
  let results: Awaited<ReturnType<typeof runBench>>;
  try {
    results = await runBench({ args, root, reportDir, command, progress });
  } finally {
    progress.stop();
  }

  await writeFile(path.join(reportDir, "summary.md"), renderSummaryMarkdown(results));
  await writeFile(path.join(reportDir, "report.html"), renderReportHtml(results, await loadUplotAssets()));
  const minutes = (performance.now() - startedAt) / 60_000;
  process.stdout.write(
    [
      "",
      "Origin-only vs edge-fronted",
      ratioTable(results),
      "",
      "Worker scaling (origin-only, saturation)",
      scalingTable(results),
      "",
      `${results.cells.length} cells measured, ${results.skipped.length} skipped, in ${formatSeconds(minutes * 60)}`,
      ...results.skipped.map((skip) => `  skipped ${skip.id}: ${skip.reason.split("\n")[0]}`),
      `report: ${path.relative(process.cwd(), reportDir)}/{summary.md,report.html,results.json}`,
      "",
    ].join("\n"),
  );
  if (args.profile === "small" && minutes > smallProfileMinutesLimit) {
    process.stderr.write(
      `the small profile took ${minutes.toFixed(1)} min, over its ${smallProfileMinutesLimit} min limit\n`,
    );
    return 1;
  }
  return results.skipped.length === 0 ? 0 : 1;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`[bench] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
