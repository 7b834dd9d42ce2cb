import { readFile } from "node:fs/promises";
import path from "node:path";
import { comparisonTopology } from "./bench-analysis.ts";
import { type BenchResults, benchResultsSchema } from "./bench-results.ts";
import { cellMedians, medianProjections, mediansTable } from "./run-medians.ts";

/**
 * `npm run bench:medians -- reports/<a> reports/<b> reports/<c>`: the per-cell medians of
 * several bench runs (run-medians.ts) and the projections from them, as Markdown on stdout.
 */
const directories = process.argv.slice(2);
if (directories.length === 0) {
  process.stderr.write("usage: npm run bench:medians -- <report dir> [<report dir> ...]\n");
  process.exit(2);
}
const runs = await Promise.all(
  directories.map(async (directory) => {
    const results = JSON.parse(await readFile(path.join(directory, "results.json"), "utf8")) as BenchResults;
    if (results.schema !== benchResultsSchema)
      throw new Error(`${directory}: not a ${benchResultsSchema} results.json`);
    return results;
  }),
);
const medians = cellMedians(runs);
process.stdout.write(
  `Medians of ${runs.length} runs (${runs.map((run) => run.startedAt).join(", ")}), each made by \`${runs[0]?.command}\`.\n\n` +
    `${mediansTable(medians)}\n\n${medianProjections(medians, runs[0] && comparisonTopology(runs[0]))}\n`,
);
