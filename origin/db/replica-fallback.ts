import type postgres from "postgres";
import { isReplicaUnavailable } from "./postgres-errors.ts";

/**
 * A replica's client as Drizzle sees it, whose queries run again on the primary when the
 * replica cannot answer (stopped, restarting, or a query cancelled by WAL replay). Between a
 * replica going away and the monitor noticing, reads routed to it would otherwise fail;
 * replicas only ever get selects, so running one again on the primary is always safe.
 *
 * Drizzle's postgres-js session sends every query through `client.unsafe(text, params,
 * options)`, awaited directly or through `.values()`; that call is the one replaced here.
 */
export const withPrimaryFallback = (
  replica: postgres.Sql,
  primary: postgres.Sql,
  onReplicaUnavailable: (error: unknown) => void,
): postgres.Sql => {
  const unsafe = (...query: Parameters<postgres.Sql["unsafe"]>) => {
    const attempt = <T>(run: (sql: postgres.Sql) => Promise<T>): Promise<T> =>
      run(replica).catch((error: unknown) => {
        if (!isReplicaUnavailable(error)) throw error;
        onReplicaUnavailable(error);
        return run(primary);
      });
    const rows = () => attempt((sql) => sql.unsafe(...query));
    const pending = {
      // biome-ignore lint/suspicious/noThenProperty: Drizzle awaits the query itself, so it must be a thenable.
      then: (resolve: (value: unknown) => unknown, reject: (reason: unknown) => unknown) =>
        rows().then(resolve, reject),
      values: () => attempt((sql) => sql.unsafe(...query).values()),
    };
    return pending as unknown as ReturnType<postgres.Sql["unsafe"]>;
  };
  return new Proxy(replica, {
    get: (target, property, receiver) => (property === "unsafe" ? unsafe : Reflect.get(target, property, receiver)),
  });
};
