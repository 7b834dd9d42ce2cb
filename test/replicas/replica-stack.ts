import { rm } from "node:fs/promises";
import path from "node:path";
import postgres from "postgres";
import { migrateDatabase } from "../../origin/db/migrate.ts";
import { freePort } from "../../stack/free-port.ts";
import { type OriginInstance, startOriginInstance } from "../../stack/origin-instance.ts";
import { type RunningPgBouncer, startPgBouncer } from "../../stack/pgbouncer.ts";
import { type ReplicatedPostgres, startReplicatedPostgres } from "../../stack/postgres-replication.ts";
import { type RunningRedis, startRedisServer } from "../../stack/redis-server.ts";
import { scratchDirectory } from "../../stack/scratch-directory.ts";
import { testJwtSecret } from "../support/test-secrets.ts";

/**
 * The servers the replica tests and the replica benchmark run against, all real and on free
 * loopback ports: a Postgres 15 primary with a streaming replica, Redis, PgBouncer in
 * transaction pooling in front of both, and origin instances wired to them directly or
 * through PgBouncer.
 */
export interface OriginSpec {
  name: string;
  workers: number;
  /** `pgbouncer`: every URL goes through PgBouncer (DB_POOLING=transaction); migrations go direct. */
  via: "direct" | "pgbouncer";
  /** Without: the instance reads from the primary only. */
  replica: boolean;
  env?: Record<string, string>;
}

export interface ReplicaStackOptions {
  origins: OriginSpec[];
  /** Server connections PgBouncer keeps per database. */
  pgbouncerPoolSize?: number;
  /** Settings for both Postgres servers. */
  postgresSettings?: Record<string, string>;
  /** Runs against the primary after migrations, before any origin starts (the benchmark's seed). */
  prepare?: (primaryUrl: string) => Promise<void>;
}

export interface ReplicaStack {
  postgres: ReplicatedPostgres;
  redis: RunningRedis;
  pgbouncer: RunningPgBouncer;
  origins: Record<string, OriginInstance>;
  /** More instances on the same servers (the benchmark starts one configuration after another). */
  startOrigins: (specs: OriginSpec[]) => Promise<void>;
  /** Superuser connections to each server, for counting and for pausing replay. */
  admin: { primary: postgres.Sql; replica: postgres.Sql };
  /** Origin log lines, shown when a test fails to start. */
  log: string[];
  stop: () => Promise<void>;
}

/** Short enough for tests to watch a replica age out, long enough for a loaded machine to check in time. */
export const testReplicaTiming = {
  DB_REPLICA_MAX_LAG_MS: "2000",
  DB_REPLICA_CHECK_INTERVAL_MS: "250",
  DB_READ_YOUR_WRITES_MS: "2000",
};

/**
 * What PgBouncer sets on each server connection: a pooled client cannot keep session settings.
 * (plan_cache_mode needs no help: without prepared statements each query is planned anew.)
 */
const pooledSessionSettings = "set statement_timeout = 5000";

export const startReplicaStack = async (options: ReplicaStackOptions): Promise<ReplicaStack> => {
  const dataRoot = await scratchDirectory("conduit-replicas-");
  const log: string[] = [];
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne();
    await rm(dataRoot, { recursive: true, force: true });
  };
  try {
    const pg = await startReplicatedPostgres({
      dataRoot: path.join(dataRoot, "postgres"),
      primaryPort: await freePort(),
      replicaPort: await freePort(),
      settings: { shared_preload_libraries: "pg_stat_statements", max_connections: "200", ...options.postgresSettings },
    });
    stoppers.push(pg.stop);
    const admin = {
      primary: postgres(pg.primary.url, { max: 2, onnotice: () => {} }),
      replica: postgres(pg.replica.url, { max: 2, onnotice: () => {} }),
    };
    stoppers.push(async () => {
      await Promise.all([admin.primary.end({ timeout: 1 }), admin.replica.end({ timeout: 1 })]);
    });
    await admin.primary`create extension pg_stat_statements`;
    await migrateDatabase(pg.primary.url);
    await options.prepare?.(pg.primary.url);

    const redis = await startRedisServer({ port: await freePort(), dir: path.join(dataRoot, "redis") });
    stoppers.push(redis.stop);
    const pgbouncer = await startPgBouncer({
      port: await freePort(),
      dir: path.join(dataRoot, "pgbouncer"),
      poolMode: "transaction",
      defaultPoolSize: options.pgbouncerPoolSize ?? 4,
      databases: [
        { name: "primary", url: pg.primary.url, connectQuery: pooledSessionSettings },
        { name: "replica", url: pg.replica.url, connectQuery: pooledSessionSettings },
      ],
    });
    stoppers.push(pgbouncer.stop);

    const startOrigin = async (spec: OriginSpec): Promise<[string, OriginInstance]> => {
      const pooled = spec.via === "pgbouncer";
      const instance = await startOriginInstance({
        name: spec.name,
        port: await freePort(),
        databaseUrl: pooled ? pgbouncer.url("primary") : pg.primary.url,
        workers: spec.workers,
        env: {
          JWT_SECRET: testJwtSecret,
          NODE_ENV: "test",
          LOG_LEVEL: "warn",
          REDIS_URL: redis.url,
          // The limits have their own tests; these send far more than an honest client.
          RATE_LIMIT: "off",
          // Nothing to protect at the end of a test: close idle keep-alive sockets at once.
          DRAIN_IDLE_GRACE_MS: "0",
          ...testReplicaTiming,
          ...(pooled ? { DB_POOLING: "transaction", DATABASE_MIGRATION_URL: pg.primary.url } : {}),
          ...(spec.replica ? { DATABASE_REPLICA_URLS: pooled ? pgbouncer.url("replica") : pg.replica.url } : {}),
          ...spec.env,
        },
        output: (line) => log.push(`[${spec.name}] ${line}`),
      });
      stoppers.push(() => instance.process.stop());
      return [spec.name, instance];
    };
    const origins: Record<string, OriginInstance> = {};
    const startOrigins = async (specs: OriginSpec[]) => {
      // Settled, not raced: an instance still starting when another fails must be stopped too.
      const started = await Promise.allSettled(specs.map(startOrigin));
      const failure = started.find((outcome) => outcome.status === "rejected");
      if (failure) throw failure.reason;
      for (const outcome of started) if (outcome.status === "fulfilled") origins[outcome.value[0]] = outcome.value[1];
    };
    await startOrigins(options.origins);
    return { postgres: pg, redis, pgbouncer, origins, startOrigins, admin, log, stop };
  } catch (error) {
    console.error(log.join("\n"));
    await stop();
    throw error;
  }
};

const appTables = `"(users|follows|articles|favorites|comments|tags|counters)"`;

/** Statements on the app's tables a server has run since its counters were reset, by kind. */
export const appStatements = async (sql: postgres.Sql) => {
  const rows = await sql<{ kind: string; calls: number }[]>`
    select lower(split_part(ltrim(query), ' ', 1)) as kind, sum(calls)::int as calls
    from pg_stat_statements where query ~ ${appTables} group by 1`;
  const byKind = Object.fromEntries(rows.map((row) => [row.kind, row.calls]));
  return {
    select: byKind.select ?? 0,
    insert: byKind.insert ?? 0,
    total: rows.reduce((sum, row) => sum + row.calls, 0),
  };
};

export const resetStatements = async (stack: ReplicaStack) => {
  await Promise.all([
    stack.admin.primary`select pg_stat_statements_reset()`,
    stack.admin.replica`select pg_stat_statements_reset()`,
  ]);
};

/** Resolves once the replica has replayed everything the primary had written when asked. */
export const replicaCaughtUp = async (stack: ReplicaStack, timeoutMs = 10_000) => {
  const [target] = await stack.admin.primary<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await stack.admin.replica<{ behind: boolean }[]>`
      select pg_last_wal_replay_lsn() < ${target?.lsn ?? "0/0"}::pg_lsn as behind`;
    if (!row?.behind) return;
    if (Date.now() > deadline) throw new Error("replica did not catch up");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
