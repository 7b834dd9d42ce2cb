import { execFile } from "node:child_process";
import { promisify } from "node:util";
import postgres from "postgres";
import { seedDatabase } from "../../origin/seed/seed-database.ts";
import { seedPlan } from "../../origin/seed/seed-plan.ts";
import { createTokenService } from "../../shared/auth/token.ts";
import { pinProcessTree } from "../../stack/core-pinning.ts";
import { clockTicksPerSecond, systemCpuTicks, treeCpuTicks } from "../../stack/process-tree.ts";
import { testJwtIssuer, testJwtSecret } from "../support/test-secrets.ts";
import {
  appStatements,
  type OriginSpec,
  replicaCaughtUp,
  resetStatements,
  startReplicaStack,
} from "./replica-stack.ts";

/**
 * Read throughput of a signed-in article list (it bypasses every response cache, so each
 * request queries Postgres) with and without the streaming replica, and with and without
 * PgBouncer, at a high worker count: 2 instances x WORKERS workers with a small pool each.
 *
 *   node test/replicas/read-throughput.ts
 *
 * The servers (Postgres, PgBouncer, Redis, the origins) are pinned to SERVER_CORE (0) and wrk
 * to CLIENT_CORE (1) for the measurement; primary and replica share the server core.
 * Options by environment: WORKERS (8), POOL (2), PGBOUNCER_POOL (4), DURATION_S (15), RUNS (3 rounds),
 * CONNECTIONS (64, split over the two instances).
 */
const run = promisify(execFile);
const ticksPerSecond = await clockTicksPerSecond();
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const workers = env("WORKERS", 8);
const pool = env("POOL", 2);
const durationSeconds = env("DURATION_S", 15);
const runs = env("RUNS", 3);
const clientCore = env("CLIENT_CORE", 1);
const serverCore = env("SERVER_CORE", 0);
const connections = env("CONNECTIONS", 64);
const path = "/api/articles?limit=20";

interface Variant {
  name: string;
  via: OriginSpec["via"];
  replica: boolean;
}

const variants: Variant[] = [
  { name: "primary only, direct", via: "direct", replica: false },
  { name: "primary + replica, direct", via: "direct", replica: true },
  { name: "primary only, through PgBouncer", via: "pgbouncer", replica: false },
  { name: "primary + replica, through PgBouncer", via: "pgbouncer", replica: true },
];

interface WrkResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

const milliseconds = (value: string, unit: string) =>
  Number(value) * ({ us: 0.001, ms: 1, s: 1_000 }[unit as "us" | "ms" | "s"] ?? Number.NaN);

const parseWrk = (output: string): WrkResult => {
  const latency = (percentile: string) => {
    const match = new RegExp(`^\\s*${percentile}%\\s+([\\d.]+)(us|ms|s)`, "m").exec(output);
    return match ? milliseconds(match[1] ?? "", match[2] ?? "") : Number.NaN;
  };
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const socketErrors = [...(/Socket errors: (.*)/.exec(output)?.[1] ?? "").matchAll(/(\d+)/g)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
  return {
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? Number.NaN),
    p50Ms: latency("50"),
    p99Ms: latency("99"),
    errors: non2xx + socketErrors,
  };
};

/** One wrk per instance, both pinned to the client core, for the same duration. */
const measure = async (urls: string[], token: string, seconds: number): Promise<WrkResult> => {
  const results = await Promise.all(
    urls.map(async (url) => {
      const { stdout } = await run(
        "taskset",
        [
          "-c",
          String(clientCore),
          "wrk",
          "-t1",
          `-c${Math.floor(connections / urls.length)}`,
          `-d${seconds}s`,
          "--latency",
          "-H",
          `Authorization: Token ${token}`,
          `${url}${path}`,
        ],
        { maxBuffer: 1 << 20 },
      );
      return parseWrk(stdout);
    }),
  );
  return {
    requestsPerSecond: results.reduce((sum, result) => sum + result.requestsPerSecond, 0),
    p50Ms: Math.max(...results.map((result) => result.p50Ms)),
    p99Ms: Math.max(...results.map((result) => result.p99Ms)),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
  };
};

/**
 * Moves the servers (Postgres with its backends, PgBouncer, Redis, the origins' primaries and
 * workers) to the server core, so wrk has the other core alone. Pinned after start-up, since
 * 16 workers starting on one busy core can miss the readiness deadline; Postgres backends
 * opened later inherit the postmaster's affinity.
 */
const pinServers = async (roots: (number | undefined)[]) => {
  for (const root of roots) if (root !== undefined) await pinProcessTree(root, [serverCore]);
};

/** CPU time (ms) the processes below these roots have used so far. */
const cpuMs = async (roots: (number | undefined)[]): Promise<number> => {
  let ticks = 0;
  for (const root of roots) if (root !== undefined) ticks += await treeCpuTicks(root);
  return (ticks * 1_000) / ticksPerSecond;
};

/** Busy time (ms) of one core so far: with our servers' CPU, what else ran there. */
const coreBusyMs = async (core: number): Promise<number> =>
  (((await systemCpuTicks()).get(`cpu${core}`)?.busy ?? 0) * 1_000) / ticksPerSecond;

const clientBackends = async (sql: postgres.Sql) => {
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count from pg_stat_activity
    where backend_type = 'client backend' and pid <> pg_backend_pid()`;
  return row?.count ?? 0;
};

/** A round counts when other processes used less than this share of the server core. */
const quietShare = 0.05;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const pgbouncerPool = env("PGBOUNCER_POOL", 4);
const stack = await startReplicaStack({
  origins: [],
  pgbouncerPoolSize: pgbouncerPool,
  prepare: async (url) => {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await seedDatabase(sql, seedPlan({ users: 1_000, articles: 10_000 }));
    } finally {
      await sql.end({ timeout: 5 });
    }
  },
});
/** Where the CPU went: ms per request in each part of the system. */
interface CpuPerRequest {
  origin: number;
  primary: number;
  replica: number;
  pgbouncer: number;
  redis: number;
}

interface Measurement extends WrkResult {
  replicaShare: number;
  backends: { primary: number; replica: number };
  cpu: CpuPerRequest;
  /** Share of the server core that something other than our servers used during the run. */
  otherShare: number;
}

/** Starts the variant's two instances, warms them up, measures once, and stops them. */
const measureVariant = async (variant: Variant, round: number, token: string): Promise<Measurement> => {
  const names = ["a", "b"].map(
    (suffix) => `${variant.via}-${variant.replica ? "replica" : "primary"}-${round}-${suffix}`,
  );
  await stack.startOrigins(
    names.map((name) => ({
      name,
      workers,
      via: variant.via,
      replica: variant.replica,
      env: { DB_POOL_MAX: String(pool) },
    })),
  );
  try {
    const urls = names.map((name) => stack.origins[name]?.url ?? "");
    const parts = {
      origin: names.map((name) => stack.origins[name]?.process.child.pid),
      primary: [stack.postgres.primary.pid()],
      replica: [stack.postgres.replica.pid()],
      pgbouncer: [stack.pgbouncer.process.child.pid],
      redis: [stack.redis.process.child.pid],
    };
    await pinServers(Object.values(parts).flat());
    await measure(urls, token, 5);
    await resetStatements(stack);
    const cpuBefore = await Promise.all(Object.values(parts).map(cpuMs));
    const coreBefore = await coreBusyMs(serverCore);
    const result = await measure(urls, token, durationSeconds);
    const coreBusy = (await coreBusyMs(serverCore)) - coreBefore;
    const cpuAfter = await Promise.all(Object.values(parts).map(cpuMs));
    const serversMs = cpuAfter.reduce((sum, after, index) => sum + after - (cpuBefore[index] ?? 0), 0);
    const requests = result.requestsPerSecond * durationSeconds;
    const [origin = 0, primaryCpu = 0, replicaCpu = 0, pgbouncer = 0, redis = 0] = cpuAfter.map(
      (after, index) => (after - (cpuBefore[index] ?? 0)) / requests,
    );
    const [primary, replica] = await Promise.all([
      appStatements(stack.admin.primary),
      appStatements(stack.admin.replica),
    ]);
    return {
      ...result,
      replicaShare: replica.select / Math.max(1, primary.select + replica.select),
      backends: {
        primary: await clientBackends(stack.admin.primary),
        replica: await clientBackends(stack.admin.replica),
      },
      cpu: { origin, primary: primaryCpu, replica: replicaCpu, pgbouncer, redis },
      otherShare: Math.max(0, coreBusy - serversMs) / (durationSeconds * 1_000),
    };
  } finally {
    for (const name of names) await stack.origins[name]?.process.stop();
  }
};

try {
  await replicaCaughtUp(stack, 60_000);
  // Seeded user 1; its token is issued now, so the read-your-writes window is over by the end of the warm-up.
  const token = await createTokenService({ secret: testJwtSecret, ttlSeconds: 86_400, issuer: testJwtIssuer }).sign(1);
  // Rounds interleave the variants, so load from anything else on the machine falls on all of them alike.
  const measured = new Map<Variant, Measurement[]>(variants.map((variant) => [variant, []]));
  for (let round = 0; round < runs; round++) {
    for (const variant of variants) {
      const measurement = await measureVariant(variant, round, token);
      measured.get(variant)?.push(measurement);
      console.log(
        `round ${round + 1}, ${variant.name}: ${measurement.requestsPerSecond.toFixed(0)} req/s, ${(measurement.otherShare * 100).toFixed(0)}% of the server core used by other processes`,
      );
    }
  }
  // Other sessions share this machine: rounds where they took more than a sliver of the server
  // core are reported but left out of the medians, when any round was clean.
  const clean = (results: Measurement[]) => {
    const quiet = results.filter((result) => result.otherShare < quietShare);
    return quiet.length > 0 ? quiet : results;
  };
  const baseline = median(clean(measured.get(variants[0] as Variant) ?? []).map((result) => result.requestsPerSecond));
  const throughputRows = variants.map((variant) => {
    const all = measured.get(variant) ?? [];
    const results = clean(all);
    const rps = results.map((result) => result.requestsPerSecond);
    const last = results.at(-1);
    return `| ${[
      variant.name,
      median(rps).toFixed(0),
      `${(median(rps) / baseline).toFixed(2)}x`,
      all
        .map((result) => `${result.requestsPerSecond.toFixed(0)}${result.otherShare < quietShare ? "" : "*"}`)
        .join(" / "),
      median(results.map((result) => result.p50Ms)).toFixed(1),
      median(results.map((result) => result.p99Ms)).toFixed(1),
      `${(median(results.map((result) => result.replicaShare)) * 100).toFixed(0)}%`,
      `${last?.backends.primary} / ${last?.backends.replica}`,
      String(results.reduce((sum, result) => sum + result.errors, 0)),
    ].join(" | ")} |`;
  });
  const cpuRows = variants.map((variant) => {
    const results = clean(measured.get(variant) ?? []);
    const part = (key: keyof CpuPerRequest) => median(results.map((result) => result.cpu[key])).toFixed(2);
    const other = `${(median(results.map((result) => result.otherShare)) * 100).toFixed(0)}%`;
    return `| ${[variant.name, part("origin"), part("primary"), part("replica"), part("pgbouncer"), part("redis"), other].join(" | ")} |`;
  });
  console.log(
    [
      `\n2 instances x ${workers} workers, DB_POOL_MAX ${pool}, PgBouncer pool ${pgbouncerPool}, wrk ${connections} connections on core ${clientCore}, servers on core ${serverCore}, ${runs} rounds of ${durationSeconds} s, GET ${path} signed in`,
      `medians over the rounds where other processes used < ${quietShare * 100}% of the server core (* marks the others), or over all rounds if none was`,
      "| variant | req/s (median) | vs. first | req/s per round | p50 ms | p99 ms | selects on the replica | client backends primary / replica | errors |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...throughputRows,
      "\nCPU ms per request (median over rounds)",
      "| variant | origin | primary | replica | PgBouncer | Redis | server core used by others |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      ...cpuRows,
    ].join("\n"),
  );
} finally {
  await stack.stop();
}
