import type { MiddlewareHandler } from "hono";
import type { Cluster, Redis } from "ioredis";
import type { Logger } from "pino";
import type { AppEnv } from "../../shared/app/app-env.ts";
import type { TokenService } from "../../shared/auth/token.ts";
import type { RouteContract } from "../../shared/routes/route-contract.ts";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import { readYourWrites, sharedCacheReadsFromPrimary } from "./read-your-writes.ts";
import { redisRecentWriters } from "./recent-writers.ts";

export interface ReplicaReadRoutingDeps {
  config: Config;
  database: Database;
  redis: Redis | Cluster | undefined;
  tokens: TokenService;
  logger: Logger;
}

export interface ReplicaReadRouting {
  /** For every request, before routing. */
  middleware: MiddlewareHandler<AppEnv>[];
  /** For each route, after its auth rule. */
  forRoute: (contract: RouteContract) => MiddlewareHandler<AppEnv>[];
}

/** The middleware that lets requests read from replicas; none without replicas (the config requires Redis with them). */
export const replicaReadRouting = ({
  config,
  database,
  redis,
  tokens,
  logger,
}: ReplicaReadRoutingDeps): ReplicaReadRouting => {
  const { replicas } = config.database;
  if (!redis || replicas.urls.length === 0) return { middleware: [], forRoute: () => [] };
  const readRouting = database.readRouting;
  const recentWriters = redisRecentWriters(redis, replicas.readYourWritesMs);
  return {
    middleware: [readYourWrites({ readRouting, recentWriters, tokens, windowMs: replicas.readYourWritesMs, logger })],
    forRoute: (contract) => sharedCacheReadsFromPrimary(contract, readRouting),
  };
};
