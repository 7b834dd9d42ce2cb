import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm, truncate } from "node:fs/promises";
import path from "node:path";
import { migrateDatabase } from "../../origin/db/migrate.ts";
import type { SeedPlan } from "../../origin/seed/seed-plan.ts";
import { pinProcessTree } from "../../stack/core-pinning.ts";
import { type RunningPostgres, startEmbeddedPostgres } from "../../stack/embedded-postgres.ts";
import { freePort } from "../../stack/free-port.ts";
import { waitForHttp } from "../../stack/managed-process.ts";
import { type RunningNginx, startNginx } from "../../stack/nginx.ts";
import { type OriginInstance, startOriginInstance } from "../../stack/origin-instance.ts";
import { type RunningRedis, startRedisServer } from "../../stack/redis-server.ts";
import type { EdgeRuntime } from "./bench-profiles.ts";
import type { Tier, Topology } from "./bench-results.ts";
import { type EdgeLoader, loadEdge, type RunningEdge } from "./edge-tier.ts";
import { parsePrometheusText, sumSamples } from "./prometheus-text.ts";
import { prepareSeededDatabase, type SeededDatabase } from "./seeded-database.ts";

/**
 * The system under test, on free loopback ports and its own data under .data/bench/:
 * Postgres (a fresh copy of the seeded template), Redis, the origin instances, NGINX in
 * front, and an edge in front of NGINX when a cell asks for one. `setTopology` replaces the
 * origins and reloads NGINX; everything else stays up between cells. Every part is pinned
 * to the system-under-test cores.
 */
export interface BenchStackOptions {
  benchDir: string;
  seed: SeedPlan;
  sutCores: readonly number[];
  dbPoolMax: number;
  postgresMaxConnections: number;
  /** Every line the stack's processes print goes here. */
  outputPath: string;
  log: (line: string) => void;
}

export interface BenchStack {
  databaseUrl: string;
  redisUrl: string;
  seeded: SeededDatabase;
  nginxUrl: () => string;
  originUrls: () => string[];
  topology: () => Topology | undefined;
  setTopology: (topology: Topology) => Promise<void>;
  /** Back to the seeded rows and an empty cache, after a cell that wrote. */
  resetData: () => Promise<void>;
  /** The edge loader's verdict: why edge-fronted cells cannot run, if they cannot. */
  edgeAvailability: () => Promise<EdgeLoader>;
  startEdge: (runtime: EdgeRuntime) => Promise<string>;
  stopEdge: () => Promise<void>;
  /** Root pids of each tier's process trees. */
  tierRoots: () => Partial<Record<Tier, number[]>>;
  /** Pins every tier to these cores (the CPU-budget cells above the pinned cores widen it). */
  place: (cores: readonly number[]) => Promise<void>;
  /** Empties NGINX's access log between cells, so a long run does not fill the disk. */
  truncateAccessLog: () => Promise<void>;
  recentOutput: () => string[];
  /**
   * An outage (npm run bench:faults): `part` stops the way it stops in production (Postgres
   * fast shutdown, Redis, NGINX and an origin instance drained on SIGTERM), stays down for
   * `downMs`, then starts again as it was, on the same port and data. Resolves once it is up.
   */
  interrupt: (part: InterruptiblePart, downMs: number) => Promise<void>;
  stop: () => Promise<void>;
}

export type InterruptiblePart = "postgres" | "redis" | "nginx" | { origin: number };

/** Lines kept in memory for an error message; the whole output is in outputPath. */
const recentLines = 40;

/**
 * Until every worker of an instance has its Redis connection back (`redis_up`, the minimum
 * over its workers): before that, its reads bypass the cache and a cell would measure that.
 */
const waitForRedisUp = async (originUrl: string, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = await fetch(`${originUrl}/metrics`, { signal: AbortSignal.timeout(2_000) })
      .then((response) => response.text())
      .catch(() => "");
    if (sumSamples(parsePrometheusText(text), "redis_up") === 1) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${originUrl} did not reconnect to Redis within ${timeoutMs} ms`);
};

export const startBenchStack = async (options: BenchStackOptions): Promise<BenchStack> => {
  const { benchDir, log } = options;
  const recent: string[] = [];
  await mkdir(path.dirname(options.outputPath), { recursive: true });
  const output = createWriteStream(options.outputPath, { flags: "a" });
  const sink = (name: string) => (line: string) => {
    const prefixed = `[${name}] ${line}`;
    output.write(`${prefixed}\n`);
    recent.push(prefixed);
    if (recent.length > recentLines) recent.shift();
  };
  // One secret for the run: the origin signs tokens with it, an edge verifies them with it.
  const jwtSecret = randomBytes(32).toString("hex");
  const purgeSecret = randomBytes(32).toString("hex");
  let cores = [...options.sutCores];
  let postgresServer: RunningPostgres | undefined;
  let redis: RunningRedis | undefined;
  let nginx: RunningNginx | undefined;
  let origins: OriginInstance[] = [];
  let current: Topology | undefined;
  let edge: RunningEdge | undefined;
  let edgeLoader: Promise<EdgeLoader> | undefined;

  const tierRoots = (): Partial<Record<Tier, number[]>> => {
    const pid = (child: { pid?: number | undefined }) => (child.pid === undefined ? [] : [child.pid]);
    return {
      postgres: postgresServer ? pid(postgresServer.process.child) : [],
      redis: redis ? pid(redis.process.child) : [],
      origin: origins.flatMap((origin) => pid(origin.process.child)),
      nginx: nginx ? pid(nginx.process.child) : [],
      edge: edge?.pids ?? [],
    };
  };
  const place = async (to: readonly number[]) => {
    cores = [...to];
    for (const pid of Object.values(tierRoots()).flat()) await pinProcessTree(pid, cores);
  };

  const stopOrigins = async () => {
    await Promise.all(origins.map((origin) => origin.process.stop()));
    origins = [];
  };
  const stop = async () => {
    await edge?.stop();
    await nginx?.stop();
    await stopOrigins();
    await redis?.stop();
    await postgresServer?.stop();
    await new Promise((resolve) => output.end(resolve));
  };

  try {
    const seeded = await prepareSeededDatabase({ benchDir, plan: options.seed, log });
    const postgresPort = await freePort();
    const redisPort = await freePort();
    const redisDir = path.join(benchDir, "redis");
    const startPostgres = async () => {
      postgresServer = await startEmbeddedPostgres({
        dataDir: seeded.dataDir,
        port: postgresPort,
        persistent: true,
        settings: {
          shared_preload_libraries: "pg_stat_statements",
          max_connections: String(options.postgresMaxConnections),
        },
        onLog: sink("postgres"),
      });
      return postgresServer.url;
    };
    const startRedis = async () => {
      redis = await startRedisServer({ port: redisPort, dir: redisDir, onLog: sink("redis") });
      return redis.url;
    };
    const startData = async () => {
      const postgresUrl = await startPostgres();
      // An empty Redis every time: the local server keeps an append-only file in its directory,
      // and cache entries of an earlier run would describe rows this copy of the data lacks.
      await rm(redisDir, { recursive: true, force: true });
      return { databaseUrl: postgresUrl, redisUrl: await startRedis() };
    };
    log(`starting Postgres on 127.0.0.1:${postgresPort}, Redis on 127.0.0.1:${redisPort}`);
    const { databaseUrl, redisUrl } = await startData();
    await migrateDatabase(databaseUrl);
    await place(cores);

    // The origins stay up: they reconnect to both on the same ports, as after an outage.
    const resetData = async () => {
      log("resetting the data: a fresh copy of the seeded database, an empty Redis");
      await redis?.stop();
      await postgresServer?.stop();
      await seeded.restore();
      await startData();
      await place(cores);
      for (const origin of origins) {
        await waitForHttp(`${origin.url}/readyz`, origin.process, 30_000);
        await waitForRedisUp(origin.url);
      }
    };

    const startOrigin = (index: number, port: number, workers: number) => {
      const name = `origin-${String.fromCharCode(97 + index)}`;
      return startOriginInstance({
        name,
        port,
        databaseUrl,
        workers,
        env: {
          NODE_ENV: "production",
          JWT_SECRET: jwtSecret,
          REDIS_URL: redisUrl,
          // design.md: one loopback client at thousands of requests per second is what the limiters stop.
          RATE_LIMIT: "off",
          MIGRATE_ON_START: "off",
          // Request logs at info would be part of what is measured; production ships them elsewhere.
          LOG_LEVEL: "warn",
          DB_POOL_MAX: String(options.dbPoolMax),
        },
        output: sink(name),
      });
    };
    const upstreams = () => origins.map((origin) => ({ host: "127.0.0.1", port: Number(new URL(origin.url).port) }));
    const startNginxOn = async (port: number) => {
      nginx = await startNginx({
        port,
        upstreams: upstreams(),
        rateLimit: false,
        prefixDir: path.join(benchDir, "nginx"),
        // As many NGINX workers as the system under test has cores, not as the machine has.
        workerProcesses: options.sutCores.length,
        output: sink("nginx"),
      });
    };

    const nginxUrl = () => {
      if (!nginx) throw new Error("NGINX starts with the first topology");
      return nginx.url;
    };

    const setTopology = async (topology: Topology) => {
      if (current && current.instances === topology.instances && current.workers === topology.workers) return;
      await stopOrigins();
      current = undefined;
      log(`origins: ${topology.instances} instance(s) x ${topology.workers} worker(s)`);
      origins = await Promise.all(
        Array.from({ length: topology.instances }, async (_, index) =>
          startOrigin(index, await freePort(), topology.workers),
        ),
      );
      if (nginx) await nginx.reload({ upstreams: upstreams() });
      else await startNginxOn(await freePort());
      current = topology;
      await place(cores);
    };

    const interrupt = async (part: InterruptiblePart, downMs: number) => {
      const pause = () => new Promise((resolve) => setTimeout(resolve, downMs));
      if (part === "postgres") {
        await postgresServer?.stop();
        await pause();
        await startPostgres();
      } else if (part === "redis") {
        await redis?.stop();
        await pause();
        await startRedis();
      } else if (part === "nginx") {
        const port = Number(new URL(nginxUrl()).port);
        await nginx?.stop();
        await pause();
        await startNginxOn(port);
      } else {
        const origin = origins[part.origin];
        if (!origin || !current) throw new Error(`no origin instance ${part.origin}`);
        await origin.process.stop();
        await pause();
        origins[part.origin] = await startOrigin(part.origin, Number(new URL(origin.url).port), current.workers);
      }
      await place(cores);
    };

    return {
      databaseUrl,
      redisUrl,
      seeded,
      nginxUrl,
      originUrls: () => origins.map((origin) => origin.url),
      topology: () => current,
      setTopology,
      resetData,
      edgeAvailability: () => {
        edgeLoader ??= loadEdge();
        return edgeLoader;
      },
      startEdge: async (runtime) => {
        await edge?.stop();
        edge = undefined;
        edgeLoader ??= loadEdge();
        const loader = await edgeLoader;
        if (!loader.ok) throw new Error(loader.reason);
        log(`starting the edge on ${runtime}`);
        edge = await loader.start({
          runtime,
          port: await freePort(),
          originUrl: nginxUrl(),
          jwtSecret,
          purgeSecret,
          // --parallel with an isolate per core, and at least two, as a throughput deployment runs it.
          ...(runtime === "deno" ? { isolates: Math.max(2, options.sutCores.length) } : {}),
          output: sink(`edge-${runtime}`),
        });
        await place(cores);
        return edge.url;
      },
      stopEdge: async () => {
        await edge?.stop();
        edge = undefined;
      },
      tierRoots,
      place,
      truncateAccessLog: async () => {
        if (nginx) await truncate(nginx.accessLogPath, 0).catch(() => undefined);
      },
      recentOutput: () => [...recent],
      interrupt,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
