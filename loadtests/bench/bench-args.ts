import { parseArgs } from "node:util";
import { parseDurationSeconds } from "../scenarios/duration.ts";
import type { EdgeRuntime, ProfileName } from "./bench-profiles.ts";

/**
 * `npm run bench -- [options]`. Without --base-url the bench brings up its own stack on
 * free ports and runs every cell; with it, it measures a running stack (the origin-only
 * entry, and --edge-url for an edge) and runs the comparison cells only, since it can
 * neither restart that stack's origins nor see its processes.
 */
export interface BenchArgs {
  profile: ProfileName;
  only: string[];
  measureSeconds?: number;
  warmupSeconds?: number;
  primeSeconds?: number;
  quietWaitSeconds?: number;
  connections?: number;
  edgeRuntimes?: EdgeRuntime[];
  seedComments?: number;
  out?: string;
  external?: {
    baseUrl: string;
    edgeUrl?: string;
    edgeRuntime: EdgeRuntime;
    metricsUrls: string[];
    databaseUrl?: string;
    redisUrl?: string;
  };
}

export type BenchArgsParse = { kind: "help" } | { kind: "run"; args: BenchArgs } | { kind: "error"; message: string };

export const benchUsage = `usage: npm run bench -- [options]

  --profile small|full   small: finishes in under 15 minutes on 2 cores (default); full: bigger
                         data, longer runs, worker counts and CPU budgets up to the machine's cores
  --only PATTERN[,...]   run only these cells: a whole cell id, or part of one (e.g. edge-deno, /1x2/)
  --duration 15s         measured time per cell (default: the profile's)
  --warmup 5s            warm-up per cell (default: the profile's)
  --prime 20s            unmeasured load before the first cell, to fill the caches (default: the profile's)
  --quiet-wait 0s        on a shared machine, wait up to this long before each measurement for other
                         processes to go quiet (default 0: do not wait; the time limit then no longer holds)
  --connections N        concurrency of every cell (default: the profile's)
  --edge deno,wrangler|none
                         edge runtimes to put in front of NGINX (default: both)
  --seed-comments N      comments in the seeded data (default: the profile's, see bench-profiles.ts)
  --out DIR              where the report goes (default reports/<timestamp>)

  Measure a running stack instead of starting one (comparison cells only):
  --base-url URL         its origin-only entry (NGINX), e.g. http://127.0.0.1:8080
  --edge-url URL         its edge, e.g. http://127.0.0.1:8787, with --edge-runtime deno|wrangler
  --metrics-url URL,...  its origin instances, for /metrics (e.g. http://127.0.0.1:3001)
  --database-url URL     its Postgres, for pg_stat_statements and pg_stat_database
  --redis-url URL        its Redis, for INFO
`;

const options = {
  help: { type: "boolean", short: "h" },
  profile: { type: "string" },
  only: { type: "string" },
  duration: { type: "string" },
  warmup: { type: "string" },
  prime: { type: "string" },
  "quiet-wait": { type: "string" },
  connections: { type: "string" },
  edge: { type: "string" },
  "seed-comments": { type: "string" },
  out: { type: "string" },
  "base-url": { type: "string" },
  "edge-url": { type: "string" },
  "edge-runtime": { type: "string" },
  "metrics-url": { type: "string" },
  "database-url": { type: "string" },
  "redis-url": { type: "string" },
} as const;

const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);

const isRuntime = (value: string): value is EdgeRuntime => value === "deno" || value === "wrangler";

export const parseBenchArgs = (argv: readonly string[]): BenchArgsParse => {
  let values: ReturnType<typeof parseArgs<{ options: typeof options }>>["values"];
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return { kind: "error", message: (error as Error).message };
  }
  if (values.help) return { kind: "help" };
  const profile = values.profile ?? "small";
  if (profile !== "small" && profile !== "full")
    return { kind: "error", message: `--profile must be small or full (got ${profile})` };
  const args: BenchArgs = { profile, only: list(values.only) };
  try {
    if (values.duration !== undefined) args.measureSeconds = parseDurationSeconds(values.duration);
    if (values.warmup !== undefined) args.warmupSeconds = parseDurationSeconds(values.warmup);
    if (values.prime !== undefined) args.primeSeconds = parseDurationSeconds(values.prime);
    if (values["quiet-wait"] !== undefined) args.quietWaitSeconds = parseDurationSeconds(values["quiet-wait"]);
  } catch (error) {
    return { kind: "error", message: (error as Error).message };
  }
  if (args.measureSeconds !== undefined && args.measureSeconds < 1)
    return { kind: "error", message: "--duration must be at least 1s" };
  if (args.warmupSeconds !== undefined && args.warmupSeconds < 1)
    return { kind: "error", message: "--warmup must be at least 1s" };
  if (values.connections !== undefined) {
    const connections = Number(values.connections);
    if (!Number.isInteger(connections) || connections < 1)
      return { kind: "error", message: "--connections must be a positive integer" };
    args.connections = connections;
  }
  if (values.edge !== undefined) {
    const runtimes = list(values.edge);
    if (runtimes.length === 1 && runtimes[0] === "none") args.edgeRuntimes = [];
    else if (runtimes.every(isRuntime)) args.edgeRuntimes = runtimes;
    else return { kind: "error", message: `--edge takes deno, wrangler or none (got ${values.edge})` };
  }
  if (values["seed-comments"] !== undefined) {
    const comments = Number(values["seed-comments"]);
    if (!Number.isInteger(comments) || comments < 0) {
      return { kind: "error", message: "--seed-comments must be a whole number" };
    }
    args.seedComments = comments;
  }
  if (values.out !== undefined) args.out = values.out;
  const baseUrl = values["base-url"];
  if (baseUrl === undefined) {
    const strays = ["edge-url", "edge-runtime", "metrics-url", "database-url", "redis-url"].filter(
      (name) => values[name as keyof typeof values] !== undefined,
    );
    if (strays.length > 0)
      return { kind: "error", message: `--${strays[0]} describes a running stack: it needs --base-url` };
    return { kind: "run", args };
  }
  const edgeRuntime = values["edge-runtime"] ?? "deno";
  if (!isRuntime(edgeRuntime))
    return { kind: "error", message: `--edge-runtime must be deno or wrangler (got ${edgeRuntime})` };
  args.external = {
    baseUrl: baseUrl.replace(/\/+$/, ""),
    edgeRuntime,
    metricsUrls: list(values["metrics-url"]).map((url) => url.replace(/\/+$/, "")),
    ...(values["edge-url"] === undefined ? {} : { edgeUrl: values["edge-url"].replace(/\/+$/, "") }),
    ...(values["database-url"] === undefined ? {} : { databaseUrl: values["database-url"] }),
    ...(values["redis-url"] === undefined ? {} : { redisUrl: values["redis-url"] }),
  };
  return { kind: "run", args };
};
