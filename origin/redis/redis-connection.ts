import { Cluster, Redis, type RedisOptions } from "ioredis";
import type { Logger } from "pino";
import type { RedisTarget } from "./redis-url.ts";

/**
 * One Redis connection per worker, shared by the cache, the rate limiters and the queue.
 * Commands fail at once while Redis is unreachable instead of queueing (no offline queue,
 * no per-command retries): every caller has a degraded path, and a request must never wait
 * for Redis to come back. Reconnection goes on in the background with a capped backoff.
 */
export type RedisConnection = Redis | Cluster;

const reconnectDelayMs = (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 10), 2_000);

/**
 * `commands`: the fail-fast profile above. `blocking`: for the job queue's long blocking
 * reads (BullMQ), which must neither time out nor give up: they wait for Redis to return.
 */
export type RedisProfile = "commands" | "blocking";

const commandOptions = (name: string, profile: RedisProfile): RedisOptions => ({
  connectionName: name,
  connectTimeout: 1_000,
  retryStrategy: reconnectDelayMs,
  ...(profile === "commands"
    ? { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 500 }
    : { enableOfflineQueue: true, maxRetriesPerRequest: null }),
});

export const createRedisConnection = (
  target: RedisTarget,
  name: string,
  logger: Logger,
  profile: RedisProfile = "commands",
): RedisConnection => {
  const connection = open(target, name, profile);
  let down = false;
  connection.on("ready", () => {
    if (down) logger.info("redis reachable again");
    down = false;
  });
  // ioredis emits an error per failed reconnect; one line per outage is enough.
  connection.on("error", (error: Error) => {
    if (!down) logger.warn({ err: error }, "redis unreachable: degrading (cache bypassed, limiter fallback)");
    down = true;
  });
  return connection;
};

const open = (target: RedisTarget, name: string, profile: RedisProfile): RedisConnection => {
  switch (target.kind) {
    case "single":
      return new Redis(target.url, commandOptions(name, profile));
    case "sentinel":
      return new Redis({
        ...commandOptions(name, profile),
        sentinels: target.sentinels,
        name: target.masterName,
        ...(target.password ? { password: target.password, sentinelPassword: target.password } : {}),
        ...(target.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
      });
    case "cluster":
      return new Cluster(target.nodes, {
        clusterRetryStrategy: reconnectDelayMs,
        enableOfflineQueue: profile === "blocking",
        redisOptions: {
          ...commandOptions(name, profile),
          ...(target.password ? { password: target.password } : {}),
          ...(target.tls ? { tls: {} } : {}),
        },
      });
  }
};

export const isRedisReady = (connection: RedisConnection): boolean => connection.status === "ready";
