import type { Logger } from "pino";
import type postgres from "postgres";
import { type PrimarySample, parseWalPosition, replicaViewAsOf } from "./wal-position.ts";

/**
 * Decides which replicas may serve a read now. Each check samples the primary's WAL position
 * (with the time it asked), then asks every replica how far it has replayed; a replica's
 * view is "as of" the newest sample it has passed. A replica may serve while its view is at
 * most `maxLagMs` old, judged when a read picks it, so the bound holds between checks too:
 * a replica that stops answering, stops replaying, or a monitor that stops checking (the
 * primary is down) ages out by itself. Idle primaries are no trap: their position stands
 * still, so a replica that has replayed it stays current.
 */
export interface MonitoredReplica {
  /** For logs and the lag metric: host:port/database, never the password. */
  name: string;
  sql: postgres.Sql;
}

export interface ReplicaMonitorOptions {
  primary: postgres.Sql;
  replicas: readonly MonitoredReplica[];
  maxLagMs: number;
  checkIntervalMs: number;
  /** Seconds each replica's view is behind the primary, after every check; Infinity when it cannot answer. */
  onLag?: (replica: string, seconds: number) => void;
  logger?: Pick<Logger, "info" | "warn">;
}

export interface ReplicaMonitor {
  /** The index of a replica that may serve a read now (round robin), or `undefined`: use the primary. */
  pick: () => number | undefined;
  /** A query on it just failed: skip it until a check sees it answer again. */
  markUnavailable: (index: number) => void;
  stop: () => void;
}

/** Samples older than this cannot make a replica usable again; keeping some lets the lag metric read past the bound. */
const sampleRetentionFactor = 10;

const withTimeout = async <T>(query: postgres.PendingQuery<postgres.Row[]>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return (await Promise.race([query, timeout])) as T;
  } catch (error) {
    query.cancel();
    throw error;
  } finally {
    clearTimeout(timer);
  }
};

export const createReplicaMonitor = (options: ReplicaMonitorOptions): ReplicaMonitor => {
  const now = () => performance.now();
  // A check slower than the bound could not keep a replica in rotation anyway.
  const queryTimeoutMs = options.maxLagMs;
  const retentionMs = options.maxLagMs * sampleRetentionFactor;
  const samples: PrimarySample[] = [];
  const viewAsOf = options.replicas.map(() => Number.NEGATIVE_INFINITY);
  const wasUsable = options.replicas.map(() => false);
  const checking = new Set<number>();
  let next = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const usable = (index: number) => now() - (viewAsOf[index] ?? Number.NEGATIVE_INFINITY) <= options.maxLagMs;

  const samplePrimary = async () => {
    const at = now();
    try {
      const [row] = await withTimeout<{ position: string }[]>(
        options.primary`select pg_current_wal_lsn()::text as position`,
        queryTimeoutMs,
      );
      if (row) samples.push({ at, position: parseWalPosition(row.position) });
    } catch {
      // No sample: replicas' views stop advancing and age out if the primary stays silent.
    }
    while (samples.length > 1 && (samples[0]?.at ?? at) < at - retentionMs) samples.shift();
  };

  const checkReplica = async (replica: MonitoredReplica, index: number) => {
    try {
      const [row] = await withTimeout<{ recovering: boolean; replayed: string | null }[]>(
        replica.sql`select pg_is_in_recovery() as recovering, pg_last_wal_replay_lsn()::text as replayed`,
        queryTimeoutMs,
      );
      // A promoted server is no longer a copy of the primary: its data may have diverged.
      if (!row?.recovering || row.replayed === null) {
        viewAsOf[index] = Number.NEGATIVE_INFINITY;
        return;
      }
      const asOf = replicaViewAsOf(samples, parseWalPosition(row.replayed));
      if (asOf !== undefined) viewAsOf[index] = Math.max(viewAsOf[index] ?? asOf, asOf);
    } catch {
      viewAsOf[index] = Number.NEGATIVE_INFINITY;
    }
  };

  const report = (replica: MonitoredReplica, index: number) => {
    const lagMs = now() - (viewAsOf[index] ?? Number.NEGATIVE_INFINITY);
    options.onLag?.(replica.name, lagMs / 1_000);
    const isUsable = lagMs <= options.maxLagMs;
    if (isUsable !== wasUsable[index]) {
      if (isUsable) options.logger?.info({ replica: replica.name }, "replica serving reads");
      else {
        // Infinite: it did not answer, or answered as a primary.
        const lag = Number.isFinite(lagMs) ? Math.round(lagMs) : "unknown";
        options.logger?.warn({ replica: replica.name, lagMs: lag, maxLagMs: options.maxLagMs }, "replica skipped");
      }
    }
    wasUsable[index] = isUsable;
  };

  // The next sample never waits for a replica: one that hangs would stop every other
  // replica's view from advancing. A replica still being checked is skipped this round.
  const check = async () => {
    await samplePrimary();
    options.replicas.forEach((replica, index) => {
      if (checking.has(index)) return;
      checking.add(index);
      void checkReplica(replica, index).finally(() => {
        checking.delete(index);
        // Pools close after `stop`: the failures that follow are no news.
        if (!stopped) report(replica, index);
      });
    });
  };

  const loop = async () => {
    await check();
    if (stopped) return;
    timer = setTimeout(loop, options.checkIntervalMs);
    timer.unref();
  };
  void loop();

  return {
    pick: () => {
      for (let tried = 0; tried < options.replicas.length; tried++) {
        const index = next;
        next = (next + 1) % options.replicas.length;
        if (usable(index)) return index;
      }
      return undefined;
    },
    markUnavailable: (index) => {
      viewAsOf[index] = Number.NEGATIVE_INFINITY;
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
};
