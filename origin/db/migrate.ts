import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/** Any constant works; it only has to be the same in every process that migrates. */
const migrationLockKey = 0x436f6e64;

/**
 * Applies the committed drizzle-kit migrations. Several origin instances may start at
 * once, so an advisory lock makes them take turns; the later ones find nothing to do.
 */
export const migrateDatabase = async (url: string): Promise<void> => {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${migrationLockKey})`;
    await migrate(drizzle(sql), { migrationsFolder });
    await sql`select pg_advisory_unlock(${migrationLockKey})`;
  } finally {
    await sql.end({ timeout: 5 });
  }
};
