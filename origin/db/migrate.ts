import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/** Any constant works; it only has to be the same in every process that migrates. */
const migrationLockKey = 0x436f6e64;

/**
 * Applies the committed drizzle-kit migrations. Several origin instances may start at
 * once, so an advisory lock makes them take turns; the later ones find nothing to do. The
 * lock belongs to the session, so `url` must reach Postgres itself: through PgBouncer's
 * transaction pooling the unlock could run on another server connection than the lock.
 */
export const migrateDatabase = async (url: string): Promise<void> => {
  const sql = postgres(url, {
    max: 1,
    onnotice: () => {},
    // A role-level statement_timeout (set for the pooled app) must not cut an index build short.
    connection: { statement_timeout: 0 },
  });
  try {
    await sql`select pg_advisory_lock(${migrationLockKey})`;
    await migrate(drizzle(sql), { migrationsFolder });
    await sql`select pg_advisory_unlock(${migrationLockKey})`;
  } finally {
    await sql.end({ timeout: 5 });
  }
};
