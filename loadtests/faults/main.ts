import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { benchProfile } from "../bench/bench-profiles.ts";
import { faultCatalog } from "./fault-catalog.ts";
import { runFaultsBench } from "./faults-bench.ts";
import { faultsMarkdown, faultsTable } from "./faults-markdown.ts";

/**
 * `npm run bench:faults`: every fault of fault-catalog.ts under a steady load (faults-bench.ts),
 * written to reports/faults-<time>/ as results.json and summary.md, the table printed.
 * Exit 0 when every fault ran and every promise held, 1 otherwise, 2 on bad arguments.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));

const usage = `npm run bench:faults -- [options]
  --duration 30       seconds of load per fault
  --fault-at 8        seconds into the load the fault is injected
  --rate N            requests per second (default: mixed 100, browse through the edge 500)
  --connections 64    concurrency ceiling of the load
  --only a,b          fault ids: ${faultCatalog.map((fault) => fault.id).join(", ")}
  --out DIR           report directory (default reports/faults-<time>)
`;

const fail = (message: string): never => {
  process.stderr.write(`${message}\n\n${usage}`);
  process.exit(2);
};

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "30" },
    "fault-at": { type: "string", default: "8" },
    rate: { type: "string" },
    connections: { type: "string", default: "64" },
    only: { type: "string" },
    out: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const positive = (name: string, text: string): number => {
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : fail(`--${name} must be a positive number, not ${text}`);
};
const durationSeconds = positive("duration", values.duration);
const faultAtSeconds = positive("fault-at", values["fault-at"]);
if (faultAtSeconds >= durationSeconds) fail("--fault-at must be inside --duration");
const only = values.only?.split(",").map((id) => id.trim());
const unknown = only?.filter((id) => !faultCatalog.some((fault) => fault.id === id)) ?? [];
if (unknown.length > 0) fail(`unknown faults: ${unknown.join(", ")}`);
const faults = faultCatalog.filter((fault) => only === undefined || only.includes(fault.id));

const stamp = new Date()
  .toISOString()
  .replace(/[:.]/g, "-")
  .replace(/-\d{3}Z$/, "Z");
const reportDir = path.resolve(root, values.out ?? path.join("reports", `faults-${stamp}`));
const run = await runFaultsBench({
  faults,
  durationSeconds,
  faultAtSeconds,
  rate: values.rate === undefined ? undefined : positive("rate", values.rate),
  connections: positive("connections", values.connections),
  reportDir,
  dataDir: path.join(root, ".data", "bench"),
  // The bench's small data set: its seeded template is shared with npm run bench.
  seed: benchProfile("small", 1).seed,
  warmupSeconds: 15,
  log: (line) => process.stderr.write(`[faults] ${line}\n`),
});

const command = ["npm run bench:faults", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(
  " ",
);
await writeFile(path.join(reportDir, "summary.md"), faultsMarkdown(run.results, { command, notes: run.notes }));
process.stdout.write(
  `\n${faultsTable(run.results)}\n\nreport: ${path.relative(process.cwd(), reportDir)}/summary.md\n`,
);
const everyPromiseHeld = run.results.every((result) => result.broken.length === 0);
process.exit(run.error === undefined && run.results.length === faults.length && everyPromiseHeld ? 0 : 1);
