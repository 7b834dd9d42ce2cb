import { Redis } from "ioredis";
import postgres from "postgres";
import type { CellPeaks, RedisCommandCost, ServerCounts } from "./bench-results.ts";
import { type OriginCounts, originCounts, originGauges } from "./origin-counts.ts";
import { parsePrometheusText } from "./prometheus-text.ts";

/**
 * Counters of everything behind the client: the origins' /metrics, Postgres
 * (pg_stat_statements and pg_stat_database) and Redis (INFO). A cell reads them before and
 * after its window; the difference is what reached each server because of the load.
 */
export interface CounterSources {
  originUrls: () => readonly string[];
  databaseUrl?: string | undefined;
  redisUrl?: string | undefined;
}

export interface CounterSnapshot {
  origin: OriginCounts | null;
  db: { statements: number; writeStatements: number; transactions: number; rowsWritten: number } | null;
  redis: { commands: number; byCommand: Map<string, RedisCommandCost> } | null;
}

export type GaugeSample = { [key in keyof CellPeaks]: number | null };

export interface ServerCounters {
  snapshot: () => Promise<CounterSnapshot>;
  gauges: () => Promise<GaugeSample>;
  close: () => Promise<void>;
}

const scrape = async (urls: readonly string[]) => {
  const texts = await Promise.all(
    urls.map(async (url) => {
      const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new Error(`${url}/metrics answered ${response.status}`);
      return response.text();
    }),
  );
  return texts.map(parsePrometheusText);
};

const difference = (after: number | undefined, before: number | undefined) =>
  after === undefined || before === undefined ? null : after - before;

export const counterDelta = (before: CounterSnapshot, after: CounterSnapshot): ServerCounts => ({
  originRequests: difference(after.origin?.requests, before.origin?.requests),
  originCache:
    after.origin && before.origin
      ? {
          hit: after.origin.cache.hit - before.origin.cache.hit,
          miss: after.origin.cache.miss - before.origin.cache.miss,
          coalesced: after.origin.cache.coalesced - before.origin.cache.coalesced,
          bypass: after.origin.cache.bypass - before.origin.cache.bypass,
        }
      : null,
  dbStatements: difference(after.db?.statements, before.db?.statements),
  dbWriteStatements: difference(after.db?.writeStatements, before.db?.writeStatements),
  dbTransactions: difference(after.db?.transactions, before.db?.transactions),
  dbRowsWritten: difference(after.db?.rowsWritten, before.db?.rowsWritten),
  // Our own INFO call is one command.
  redisCommands: after.redis && before.redis ? after.redis.commands - before.redis.commands - 1 : null,
  redisTopCommands: after.redis && before.redis ? topCommands(before.redis.byCommand, after.redis.byCommand) : null,
});

const topCommandCount = 6;

const topCommands = (
  before: ReadonlyMap<string, RedisCommandCost>,
  after: ReadonlyMap<string, RedisCommandCost>,
): RedisCommandCost[] =>
  [...after.values()]
    .map((entry) => {
      const earlier = before.get(entry.command);
      return {
        command: entry.command,
        calls: entry.calls - (earlier?.calls ?? 0),
        usec: entry.usec - (earlier?.usec ?? 0),
      };
    })
    .filter((entry) => entry.calls > 0 && entry.command !== "info")
    .sort((a, b) => b.usec - a.usec)
    .slice(0, topCommandCount);

/** `INFO stats` and `INFO commandstats` text: total commands, and calls and time per command. */
export const parseRedisInfo = (text: string): { commands: number; byCommand: Map<string, RedisCommandCost> } => {
  const byCommand = new Map<string, RedisCommandCost>();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    const command = match[1] as string;
    byCommand.set(command, { command, calls: Number(match[2]), usec: Number(match[3]) });
  }
  return { commands: Number(/^total_commands_processed:(\d+)/m.exec(text)?.[1] ?? 0), byCommand };
};

export const openServerCounters = async (sources: CounterSources): Promise<ServerCounters> => {
  const sql =
    sources.databaseUrl === undefined
      ? undefined
      : postgres(sources.databaseUrl, {
          max: 1,
          onnotice: () => {},
          connection: { application_name: "conduit-bench" },
        });
  if (sql) await sql`create extension if not exists pg_stat_statements`;
  const redis =
    sources.redisUrl === undefined
      ? undefined
      : new Redis(sources.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  // The stack restarts Redis between cells (resetData) and ioredis reconnects by itself;
  // without a listener each refused reconnect is printed as an unhandled error event. A count
  // asked for while Redis is away still fails, and the cell says so.
  redis?.on("error", () => {});
  await redis?.connect();

  const dbCounts = async () => {
    if (!sql) return null;
    // Our own statements (this connection's) touch pg_stat_*; the app's never do.
    const [statements] = await sql<{ calls: number; writes: number }[]>`
      select coalesce(sum(calls), 0)::float8 as calls,
             coalesce(sum(calls) filter (where query ~* '^\\s*(insert|update|delete)\\M'), 0)::float8 as writes
      from pg_stat_statements s join pg_database d on d.oid = s.dbid
      where d.datname = current_database() and s.query not ilike '%pg\\_stat%'`;
    const [database] = await sql<{ transactions: number; rows_written: number }[]>`
      select (xact_commit + xact_rollback)::float8 as transactions,
             (tup_inserted + tup_updated + tup_deleted)::float8 as rows_written
      from pg_stat_database where datname = current_database()`;
    return {
      statements: statements?.calls ?? 0,
      writeStatements: statements?.writes ?? 0,
      transactions: database?.transactions ?? 0,
      rowsWritten: database?.rows_written ?? 0,
    };
  };

  const redisCounts = async () => {
    if (!redis) return null;
    // One INFO call for both sections, so the command count and the stats agree.
    return parseRedisInfo(String(await redis.call("INFO", "stats", "commandstats")));
  };

  return {
    snapshot: async () => {
      const urls = sources.originUrls();
      const [origin, db, redisNow] = await Promise.all([
        urls.length === 0 ? Promise.resolve(null) : scrape(urls).then(originCounts),
        dbCounts(),
        redisCounts(),
      ]);
      return { origin, db, redis: redisNow };
    },
    gauges: async () => {
      const urls = sources.originUrls();
      const [origin, connections] = await Promise.all([
        urls.length === 0 ? Promise.resolve(null) : scrape(urls).then(originGauges),
        sql
          ? sql<{ count: number }[]>`
              select count(*)::int as count from pg_stat_activity
              where backend_type = 'client backend' and datname = current_database()`.then(
              (rows) => rows[0]?.count ?? 0,
            )
          : Promise.resolve(null),
      ]);
      return {
        dbConnections: connections,
        poolWaiting: origin?.poolWaiting ?? null,
        eventLoopLagP99Ms: origin?.eventLoopLagP99Ms ?? null,
      };
    },
    close: async () => {
      await sql?.end({ timeout: 1 });
      redis?.disconnect();
    },
  };
};
