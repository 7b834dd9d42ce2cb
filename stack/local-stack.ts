import { randomBytes } from "node:crypto";
import path from "node:path";
import { developmentJwtSecret } from "../origin/config.ts";
import { createDatabase } from "../origin/db/client.ts";
import { migrateDatabase } from "../origin/db/migrate.ts";
import { isDatabaseEmpty, seedDatabase } from "../origin/seed/seed-database.ts";
import { seedPlan } from "../origin/seed/seed-plan.ts";
import { startEdge } from "./edge.ts";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";
import { ensureLocalCertificates, trustInstructions } from "./local-ca.ts";
import type { ManagedProcess } from "./managed-process.ts";
import { startNginx } from "./nginx.ts";
import { startOriginInstance } from "./origin-instance.ts";
import { startRedisServer } from "./redis-server.ts";
import type { StackConfig } from "./stack-config.ts";
import { buildStaticSite } from "./static-site.ts";

/**
 * The whole local system, brought up in dependency order and stopped in reverse: Postgres
 * (embedded unless DATABASE_URL), migrations and a first seed, Redis (private unless
 * REDIS_URL), the clustered origin instances, NGINX in front of them, and the edge in
 * front of NGINX. The start command uses it; nothing here reads the environment.
 */
export interface LocalStack {
  /** `edge` is undefined with EDGE_RUNTIME=off. */
  urls: { api: string; https: string; edge: string | undefined; origins: string[]; database: string; redis: string };
  /** Resolves with the name of the first part that exited on its own. */
  unexpectedExit: Promise<string>;
  stop: () => Promise<void>;
}

export interface LocalStackOptions {
  config: StackConfig;
  /** The repository root; local state lives in `<root>/.data`. */
  root: string;
  log: (line: string) => void;
  /** Extra origin configuration, e.g. LOG_LEVEL for a benchmark. */
  originEnv?: Record<string, string>;
}

interface Part {
  name: string;
  group: string;
  process?: ManagedProcess;
  stop: () => Promise<void>;
}

export const startLocalStack = async ({
  config,
  root,
  log,
  originEnv = {},
}: LocalStackOptions): Promise<LocalStack> => {
  const data = path.join(root, ".data");
  const parts: Part[] = [];
  // Reverse order, so nothing loses what it depends on while it still serves; the parts of
  // one group (the origin instances) stop side by side.
  const stop = async () => {
    const groups = [...new Set(parts.map((part) => part.group))].reverse();
    for (const group of groups) {
      const members = parts.filter((part) => part.group === group);
      log(`stopping ${members.map((part) => part.name).join(", ")}`);
      await Promise.all(members.map((part) => part.stop()));
    }
  };
  try {
    let databaseUrl = config.DATABASE_URL;
    if (databaseUrl === undefined) {
      log(`starting embedded Postgres on 127.0.0.1:${config.EMBEDDED_PG_PORT} (data in .data/postgres)`);
      const postgres = await startEmbeddedPostgres({
        dataDir: path.join(data, "postgres"),
        port: config.EMBEDDED_PG_PORT,
        persistent: true,
        settings: { shared_preload_libraries: "pg_stat_statements", max_connections: "200" },
      });
      parts.push({ name: "postgres", group: "postgres", process: postgres.process, stop: postgres.stop });
      databaseUrl = postgres.url;
    }
    await migrateDatabase(databaseUrl);
    await seedIfEmpty(databaseUrl, config, log);

    let redisUrl = config.REDIS_URL;
    if (redisUrl === undefined) {
      log(`starting a private redis-server on 127.0.0.1:${config.REDIS_PORT}`);
      const redis = await startRedisServer({ port: config.REDIS_PORT, dir: path.join(data, "redis") });
      parts.push({ name: "redis", group: "redis", process: redis.process, stop: redis.stop });
      redisUrl = redis.url;
    }

    // The origins tell the edge of every write; one secret per start is enough locally.
    const edgeUrl = config.EDGE_RUNTIME === "off" ? undefined : `http://127.0.0.1:${config.EDGE_PORT}`;
    const purgeSecret = randomBytes(24).toString("hex");
    const jwtSecret = config.JWT_SECRET ?? developmentJwtSecret;
    const edgePurgeEnv: Record<string, string> = edgeUrl
      ? { EDGE_PURGE_URLS: edgeUrl, EDGE_PURGE_SECRET: purgeSecret }
      : {};

    const origins: string[] = [];
    for (let index = 0; index < config.ORIGIN_INSTANCES; index++) {
      const port = config.ORIGIN_BASE_PORT + index;
      const name = `origin-${String.fromCharCode(97 + index)}`;
      log(`starting ${name} on 127.0.0.1:${port} (${config.ORIGIN_WORKERS} workers)`);
      const origin = await startOriginInstance({
        name,
        port,
        databaseUrl,
        workers: config.ORIGIN_WORKERS,
        env: {
          REDIS_URL: redisUrl,
          RATE_LIMIT: config.RATE_LIMIT ? "on" : "off",
          MIGRATE_ON_START: "off",
          JWT_SECRET: jwtSecret,
          ...edgePurgeEnv,
          ...originEnv,
        },
      });
      parts.push({ name, group: "origins", process: origin.process, stop: () => origin.process.stop() });
      origins.push(origin.url);
    }

    const staticDir = path.join(data, "static");
    await buildStaticSite(staticDir);
    const tls = await ensureLocalCertificates(path.join(data, "tls"));
    log(`starting nginx on 127.0.0.1:${config.NGINX_PORT} (HTTPS and HTTP/2 on :${config.NGINX_TLS_PORT})`);
    const nginx = await startNginx({
      port: config.NGINX_PORT,
      tlsPort: config.NGINX_TLS_PORT,
      tls: { certFile: tls.certFile, keyFile: tls.keyFile },
      upstreams: origins.map((url) => ({ host: "127.0.0.1", port: Number(new URL(url).port) })),
      rateLimit: config.RATE_LIMIT,
      prefixDir: path.join(data, "nginx"),
      staticDir,
    });
    parts.push({ name: "nginx", group: "nginx", process: nginx.process, stop: () => nginx.stop() });
    log(trustInstructions(tls.caFile, nginx.tlsUrl ?? ""));

    if (config.EDGE_RUNTIME !== "off") {
      log(`starting the edge (${config.EDGE_RUNTIME}) on 127.0.0.1:${config.EDGE_PORT}, in front of nginx`);
      const edge = await startEdge({
        runtime: config.EDGE_RUNTIME,
        port: config.EDGE_PORT,
        originUrl: nginx.url,
        jwtSecret,
        purgeSecret,
      });
      const stopEdge = async () => {
        if ((await edge.stop()) === "killed") log("the edge did not stop on SIGTERM within 10 s: killed");
      };
      parts.push({ name: "edge", group: "edge", process: edge.process, stop: stopEdge });
    }

    const unexpectedExit = Promise.race(
      parts.flatMap((part) => (part.process ? [part.process.exited.then(() => part.name)] : [])),
    );
    return {
      urls: {
        api: nginx.url,
        https: nginx.tlsUrl ?? "",
        edge: edgeUrl,
        origins,
        database: databaseUrl,
        redis: redisUrl,
      },
      unexpectedExit,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};

const seedIfEmpty = async (databaseUrl: string, config: StackConfig, log: (line: string) => void) => {
  const database = createDatabase({
    url: databaseUrl,
    poolMax: 2,
    statementTimeoutMs: 600_000,
    connectTimeoutSeconds: 10,
    applicationName: "conduit-start",
  });
  try {
    if (!(await isDatabaseEmpty(database.sql))) return log("database already holds data: not seeding");
    const plan = seedPlan({ users: config.SEED_USERS, articles: config.SEED_ARTICLES });
    log(`seeding ${plan.users} users, ${plan.articles} articles, ${plan.comments} comments`);
    await seedDatabase(database.sql, plan, (line) => log(`seed: ${line}`));
  } finally {
    await database.close();
  }
};
