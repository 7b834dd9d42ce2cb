import { z } from "zod";

/**
 * The database settings whose validity depends on each other, for origin/config.ts: the
 * read-your-writes window against the replica lag bound, and what transaction pooling rules
 * out. Each problem names the variable to change.
 */
export const postgresUrl = z.url({ protocol: /^postgres(ql)?$/ });

/** A comma-separated list of Postgres URLs; empty means none. */
export const postgresUrlList = z
  .string()
  .default("")
  .transform((value) =>
    value
      .split(",")
      .map((url) => url.trim())
      .filter(Boolean),
  )
  .pipe(z.array(postgresUrl));

export interface DatabaseConfigInput {
  DATABASE_REPLICA_URLS: string[];
  DATABASE_MIGRATION_URL?: string | undefined;
  DB_POOLING: "session" | "transaction";
  DB_REPLICA_MAX_LAG_MS: number;
  DB_REPLICA_CHECK_INTERVAL_MS: number;
  DB_READ_YOUR_WRITES_MS: number;
  MIGRATE_ON_START: boolean;
  /** Whether REDIS_URL is set. */
  redis: boolean;
}

export interface ConfigProblem {
  path: [string];
  message: string;
}

export const databaseConfigProblems = (env: DatabaseConfigInput): ConfigProblem[] => {
  const problems: ConfigProblem[] = [];
  const replicas = env.DATABASE_REPLICA_URLS.length > 0;
  if (replicas && !env.redis) {
    problems.push({
      path: ["REDIS_URL"],
      message: "is required with DATABASE_REPLICA_URLS: who just wrote is recorded in Redis, for every worker to see",
    });
  }
  if (env.DB_READ_YOUR_WRITES_MS < env.DB_REPLICA_MAX_LAG_MS) {
    problems.push({
      path: ["DB_READ_YOUR_WRITES_MS"],
      message:
        "must be at least DB_REPLICA_MAX_LAG_MS: after the window a writer may read any replica within the bound",
    });
  }
  if (env.DB_REPLICA_MAX_LAG_MS < 4 * env.DB_REPLICA_CHECK_INTERVAL_MS) {
    problems.push({
      path: ["DB_REPLICA_MAX_LAG_MS"],
      message:
        "must be at least 4 x DB_REPLICA_CHECK_INTERVAL_MS: a caught-up replica's view ages by an interval between checks, and checks run late under load",
    });
  }
  if (env.DB_POOLING === "transaction" && env.MIGRATE_ON_START && env.DATABASE_MIGRATION_URL === undefined) {
    problems.push({
      path: ["DATABASE_MIGRATION_URL"],
      message:
        "is required with DB_POOLING=transaction and MIGRATE_ON_START=on: migrations hold a session lock, so they need Postgres itself",
    });
  }
  return problems;
};
