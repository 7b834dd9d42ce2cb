import { withReplicas } from "drizzle-orm/pg-core";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { Logger } from "pino";
import postgres from "postgres";
import { createReadRouting, type ReadRouting } from "./read-routing.ts";
import { withPrimaryFallback } from "./replica-fallback.ts";
import { createReplicaMonitor } from "./replica-monitor.ts";
import * as schema from "./schema.ts";

/**
 * How the URLs are reached. `session`: Postgres itself (or a session-pooling PgBouncer).
 * `transaction`: PgBouncer in transaction pooling, which hands a server connection to another
 * client after every transaction and (1.18) refuses startup parameters other than a few.
 */
export type Pooling = "session" | "transaction";

export interface DatabaseSettings {
  url: string;
  poolMax: number;
  statementTimeoutMs: number;
  connectTimeoutSeconds: number;
  applicationName: string;
  pooling?: Pooling;
  /** Streaming replicas for selects; without them every query goes to `url`. */
  replicas?: ReplicaSettings;
}

export interface ReplicaSettings {
  urls: readonly string[];
  /** A replica whose view is older than this serves no read. */
  maxLagMs: number;
  checkIntervalMs: number;
  /**
   * Postgres itself, not a pooler, for sampling the primary's WAL position: waiting in
   * PgBouncer's queue would make every replica look as old as the wait. Defaults to `url`.
   */
  primaryCheckUrl?: string;
  onLag?: (replica: string, seconds: number) => void;
  logger?: Pick<Logger, "info" | "warn">;
}

/**
 * postgres.js waits before reconnecting a pool connection, longer after every failed connect
 * anywhere in the pool, up to 20 s by default; a query handed to that connection waits with
 * it, even once Postgres is back. After a 5 s outage under load, requests hung past their
 * clients' 15 s timeout (npm run bench:faults, test/scale/postgres-outage.test.ts). Capped at
 * 1 s, a request during an outage gets its 503 within about a second of trying, and the pool
 * is whole again within a second of Postgres. Refused connects are cheap for both sides.
 */
const primaryBackoffSeconds = (failedConnects: number) => Math.min(0.05 * 2 ** failedConnects, 1);

/**
 * A replica's queries must fail fast to be retried on the primary, and one back from a
 * restart must serve again at once: a short fixed wait.
 */
const replicaReconnect = { backoffSeconds: 0.1, connectTimeoutSeconds: 1 };

const openPool = (url: string, settings: DatabaseSettings, applicationName: string, replica = false) => {
  // Through transaction pooling a statement prepared on one server connection is missing on
  // the next, and session settings would leak to other clients: the pooler sets
  // statement_timeout and plan_cache_mode instead (its connect_query, or ALTER ROLE ... SET).
  const pooled = settings.pooling === "transaction";
  const connection: Record<string, string | number> = pooled
    ? { application_name: applicationName }
    : {
        application_name: applicationName,
        statement_timeout: settings.statementTimeoutMs,
        plan_cache_mode: "force_custom_plan",
      };
  const options: postgres.Options<Record<string, never>> = {
    max: settings.poolMax,
    connect_timeout: replica
      ? Math.min(settings.connectTimeoutSeconds, replicaReconnect.connectTimeoutSeconds)
      : settings.connectTimeoutSeconds,
    // Idle connections are released so a scaled-down cluster gives slots back to Postgres.
    idle_timeout: 30,
    max_lifetime: 60 * 30,
    onnotice: () => {},
    prepare: !pooled,
    connection,
    backoff: replica ? () => replicaReconnect.backoffSeconds : primaryBackoffSeconds,
  };
  return postgres(url, options);
};

/** Safe to log and to label a metric with: the password stays out. */
const serverName = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`;
};

/**
 * One postgres.js pool per server and the Drizzle handle over them. Connections open lazily
 * on first query, so without replicas creating a database opens nothing; with replicas a lag
 * check runs every `checkIntervalMs` until `close`. Writes and transactions always go to the
 * primary (Drizzle's `withReplicas`); a select goes to a replica only inside a request that
 * `readRouting` allowed to, and only to one the monitor finds current.
 */
export const createDatabase = (settings: DatabaseSettings): Database => {
  const sql = openPool(settings.url, settings, settings.applicationName);
  const primary: Db = drizzle(sql, { schema });
  const readRouting = createReadRouting();
  const replicaUrls = settings.replicas?.urls ?? [];
  if (!settings.replicas || replicaUrls.length === 0) {
    return { sql, db: primary, readRouting, close: (timeoutSeconds = 5) => sql.end({ timeout: timeoutSeconds }) };
  }

  const replicaPools = replicaUrls.map((url, index) =>
    openPool(url, settings, `${settings.applicationName}-replica-${index}`, true),
  );
  // The lag checks have connections of their own: queued behind requests in a busy pool, a
  // primary sample would be timed long before it ran, and healthy replicas would look stale.
  const checkPool = { ...settings, poolMax: 1 };
  const checkPools = [
    openPool(settings.replicas.primaryCheckUrl ?? settings.url, checkPool, `${settings.applicationName}-lag-check`),
    ...replicaUrls.map((url, index) =>
      openPool(url, checkPool, `${settings.applicationName}-replica-${index}-lag-check`, true),
    ),
  ];
  const monitor = createReplicaMonitor({
    primary: checkPools[0] ?? sql,
    replicas: replicaUrls.map((url, index) => ({ name: serverName(url), sql: checkPools[index + 1] ?? sql })),
    maxLagMs: settings.replicas.maxLagMs,
    checkIntervalMs: settings.replicas.checkIntervalMs,
    ...(settings.replicas.onLag ? { onLag: settings.replicas.onLag } : {}),
    ...(settings.replicas.logger ? { logger: settings.replicas.logger } : {}),
  });
  const replicaDbs: Db[] = replicaPools.map((pool, index) =>
    drizzle(
      withPrimaryFallback(pool, sql, (error) => {
        settings.replicas?.logger?.warn(
          { replica: serverName(replicaUrls[index] ?? ""), err: error },
          "replica could not answer: query run on the primary",
        );
        monitor.markUnavailable(index);
        readRouting.usePrimary();
      }),
      { schema },
    ),
  );
  // Drizzle's `getReplica` may return any handle of the same type: the primary when no replica may serve.
  const db = withReplicas(primary, [replicaDbs[0] ?? primary, ...replicaDbs.slice(1)], (replicas) => {
    const index = readRouting.replicaFor(monitor.pick);
    return index === undefined ? primary : (replicas[index] ?? primary);
  });
  const close = async (timeoutSeconds = 5) => {
    monitor.stop();
    await Promise.all([sql, ...replicaPools, ...checkPools].map((pool) => pool.end({ timeout: timeoutSeconds })));
  };
  return { sql, db, readRouting, close };
};

export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };

export interface Database {
  /** The primary's pool, for raw SQL (seed, health checks). */
  sql: postgres.Sql;
  db: Db;
  readRouting: ReadRouting;
  close: (timeoutSeconds?: number) => Promise<void>;
}
