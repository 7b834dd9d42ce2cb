import cluster from "node:cluster";
import { runPrimary } from "./cluster/primary.ts";
import { runWorker } from "./cluster/worker.ts";
import { parseConfig } from "./config.ts";

/** Entry point of one origin instance: a node:cluster primary and its workers. */
const parsed = parseConfig(process.env);
if (!parsed.ok) {
  console.error(`conduit origin: invalid configuration\n  ${parsed.problems.join("\n  ")}`);
  process.exit(2);
}

if (cluster.isPrimary) {
  await runPrimary(parsed.config);
} else {
  runWorker(parsed.config, cluster.worker?.id ?? 0);
}
