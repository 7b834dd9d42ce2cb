import type { Database } from "../db/client.ts";

/**
 * Resolves true once Postgres answers a trivial query, retrying until the deadline. A new
 * worker reports ready only then, so a rolling reload never drains an old worker for one
 * that cannot serve.
 */
export const whenDatabaseAnswers = async (database: Database, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await database.sql`select 1`;
      return true;
    } catch {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
};
