import postgres from "postgres";

/** Drizzle wraps driver errors; the Postgres error (with its SQLSTATE) is in the cause chain. */
export const postgresErrorOf = (error: unknown): postgres.PostgresError | undefined => {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof postgres.PostgresError) return current;
  }
  return undefined;
};

export const isUniqueViolation = (error: unknown, constraint: string): boolean => {
  const pgError = postgresErrorOf(error);
  return pgError?.code === "23505" && pgError.constraint_name === constraint;
};

/** Deadlocks and serialization failures are safe to retry as a whole transaction. */
export const isRetryableTransactionError = (error: unknown): boolean => {
  const code = postgresErrorOf(error)?.code;
  return code === "40P01" || code === "40001";
};

const unavailableSqlStates = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
  "57014", // query_canceled: our statement_timeout, a sign of overload
]);

const unavailableDriverCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  // A write to a socket the server has just closed (a query sent as Postgres shuts down).
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/** True when the database could not answer at all, as opposed to rejecting the query. */
export const isDatabaseUnavailable = (error: unknown): boolean => {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code !== "string") continue;
    if (unavailableDriverCodes.has(code) || unavailableSqlStates.has(code) || code.startsWith("08")) return true;
  }
  return false;
};

/**
 * A replica that cannot answer now, where the primary could: unreachable or restarting, or a
 * query cancelled because WAL replay needed what it was reading (40001 on a standby). Not a
 * statement timeout: a query too slow for the replica would only burden the primary as well.
 */
export const isReplicaUnavailable = (error: unknown): boolean => {
  const code = postgresErrorOf(error)?.code;
  return code === "40001" || (code !== "57014" && isDatabaseUnavailable(error));
};

export const withTransactionRetry = async <T>(attempt: () => Promise<T>, attempts = 3): Promise<T> => {
  for (let remaining = attempts; ; remaining--) {
    try {
      return await attempt();
    } catch (error) {
      if (remaining <= 1 || !isRetryableTransactionError(error)) throw error;
    }
  }
};
