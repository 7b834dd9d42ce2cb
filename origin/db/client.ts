import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema.ts";

export interface DatabaseSettings {
  url: string;
  poolMax: number;
  statementTimeoutMs: number;
  connectTimeoutSeconds: number;
  applicationName: string;
}

/**
 * One postgres.js pool and its Drizzle handle. Connections open lazily on first query,
 * so creating a database opens nothing; `close` ends the pool gracefully.
 */
export const createDatabase = (settings: DatabaseSettings) => {
  const sql = postgres(settings.url, {
    max: settings.poolMax,
    connect_timeout: settings.connectTimeoutSeconds,
    // Idle connections are released so a scaled-down cluster gives slots back to Postgres.
    idle_timeout: 30,
    max_lifetime: 60 * 30,
    onnotice: () => {},
    connection: {
      application_name: settings.applicationName,
      statement_timeout: settings.statementTimeoutMs,
      plan_cache_mode: "force_custom_plan",
    },
  });
  const db = drizzle(sql, { schema });
  return { sql, db, close: (timeoutSeconds = 5) => sql.end({ timeout: timeoutSeconds }) };
};

export type Database = ReturnType<typeof createDatabase>;
export type Db = Database["db"];
