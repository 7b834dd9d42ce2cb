import { describe, expect, it } from "vitest";
import { parseConfig } from "../config.ts";

const base = { DATABASE_URL: "postgres://u:p@primary:5432/db" };
const problemsOf = (env: Record<string, string>) => {
  const result = parseConfig({ ...base, ...env });
  return result.ok ? [] : result.problems;
};

describe("database configuration", () => {
  it("reads replicas, the direct migration URL and transaction pooling", () => {
    const result = parseConfig({
      ...base,
      REDIS_URL: "redis://127.0.0.1:6379",
      DATABASE_REPLICA_URLS: " postgres://u:p@r1:5432/db, postgres://u:p@r2:5432/db ,",
      DATABASE_MIGRATION_URL: "postgres://u:p@direct:5432/db",
      DB_POOLING: "transaction",
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.database).toMatchObject({
      pooling: "transaction",
      migrationUrl: "postgres://u:p@direct:5432/db",
      replicas: { urls: ["postgres://u:p@r1:5432/db", "postgres://u:p@r2:5432/db"], maxLagMs: 2_000 },
    });
  });

  it("defaults to no replicas, session pooling and migrations over DATABASE_URL", () => {
    const result = parseConfig(base);
    expect(result.ok && result.config.database).toMatchObject({
      pooling: "session",
      migrationUrl: base.DATABASE_URL,
      replicas: { urls: [] },
    });
  });

  it("refuses replicas without Redis, where every worker records who just wrote", () => {
    expect(problemsOf({ DATABASE_REPLICA_URLS: "postgres://u:p@r1/db" })).toEqual([
      expect.stringMatching(/^REDIS_URL: is required with DATABASE_REPLICA_URLS/),
    ]);
  });

  it("refuses a read-your-writes window shorter than the lag bound, and a bound the checks cannot keep", () => {
    expect(problemsOf({ DB_REPLICA_MAX_LAG_MS: "5000", DB_READ_YOUR_WRITES_MS: "4000" })).toEqual([
      expect.stringMatching(/^DB_READ_YOUR_WRITES_MS: must be at least DB_REPLICA_MAX_LAG_MS/),
    ]);
    expect(problemsOf({ DB_REPLICA_MAX_LAG_MS: "2000", DB_REPLICA_CHECK_INTERVAL_MS: "600" })).toEqual([
      expect.stringMatching(/^DB_REPLICA_MAX_LAG_MS: must be at least 4 x DB_REPLICA_CHECK_INTERVAL_MS/),
    ]);
    expect(problemsOf({ DB_REPLICA_MAX_LAG_MS: "2000", DB_REPLICA_CHECK_INTERVAL_MS: "500" })).toEqual([]);
  });

  it("refuses migrations through transaction pooling, which cannot hold their session lock", () => {
    expect(problemsOf({ DB_POOLING: "transaction" })).toEqual([
      expect.stringMatching(/^DATABASE_MIGRATION_URL: is required with DB_POOLING=transaction/),
    ]);
    expect(problemsOf({ DB_POOLING: "transaction", MIGRATE_ON_START: "off" })).toEqual([]);
  });

  it("names a replica URL that is not Postgres", () => {
    expect(problemsOf({ REDIS_URL: "redis://r", DATABASE_REPLICA_URLS: "mysql://r1/db" })).toEqual([
      expect.stringMatching(/^DATABASE_REPLICA_URLS/),
    ]);
  });
});
