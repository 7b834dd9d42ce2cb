import type { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { AppEnv } from "../../shared/app/app-env.ts";
import { createApp } from "../../shared/app/create-app.ts";
import { mountOpenApiDocument } from "../../shared/app/openapi-document.ts";
import type { TokenService } from "../../shared/auth/token.ts";
import { AppError } from "../../shared/errors/app-error.ts";
import { declaredQueryParameters } from "../../shared/http/cache-key.ts";
import { knownUserTokens } from "../auth/known-user-tokens.ts";
import { createLoginGuard } from "../auth/login-guard.ts";
import { createPasswordHasher } from "../auth/password.ts";
import { createCachePurger } from "../cache/cache-purger.ts";
import { readThroughCache } from "../cache/read-through.ts";
import { createResponseCache } from "../cache/response-cache.ts";
import type { Config } from "../config.ts";
import { replicaReadRouting } from "../consistency/replica-read-routing.ts";
import type { Database } from "../db/client.ts";
import { isDatabaseUnavailable } from "../db/postgres-errors.ts";
import { mountApiReference } from "../http/api-reference.ts";
import { clientAddressResolver } from "../http/client-address.ts";
import { mountHealthRoutes } from "../http/health-routes.ts";
import { createRateLimits } from "../http/rate-limits.ts";
import { requestLog } from "../http/request-log.ts";
import type { WorkerMetrics } from "../observability/worker-metrics.ts";
import type { EdgePurger } from "../purge/edge-purger.ts";
import type { RedisConnection } from "../redis/redis-connection.ts";
import { createArticleHandlers } from "../routes/articles/articles.handlers.ts";
import { createCommentHandlers } from "../routes/comments/comments.handlers.ts";
import { createFavoriteHandlers } from "../routes/favorites/favorites.handlers.ts";
import { createProfileHandlers } from "../routes/profiles/profiles.handlers.ts";
import { createTagHandlers } from "../routes/tags/tags.handlers.ts";
import { createUserHandlers } from "../routes/users/users.handlers.ts";

export interface OriginAppDeps {
  config: Config;
  database: Database;
  tokens: TokenService;
  logger: Logger;
  /** `undefined` without REDIS_URL: no response cache, rate limits per worker. */
  redis: RedisConnection | undefined;
  metrics: WorkerMetrics;
  /** Tells the edges what a write changed (origin/purge/); never fails the write. */
  edgePurger: EdgePurger;
}

/** Health, metrics and docs are not rate limited: probes and scrapers must always get through. */
const apiOnly =
  (middleware: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> =>
  (c, next) =>
    c.req.path.startsWith("/api/") ? middleware(c, next) : next();

/** Seconds a client should wait before retrying when Postgres is down. */
const databaseRetryAfterSeconds = 5;

/** The origin tier's app: the shared API with Postgres-backed handlers, health and docs. */
export const createOriginApp = ({
  config,
  database,
  tokens,
  logger,
  redis,
  metrics,
  edgePurger,
}: OriginAppDeps): OpenAPIHono<AppEnv> => {
  const deps = { db: database.db, tokens, passwords: createPasswordHasher(config.passwords) };
  const requestTokens = knownUserTokens(tokens, database.db);
  const clientAddressOf = clientAddressResolver(config.trustedProxies);
  const replicaReads = replicaReadRouting({ config, database, redis, tokens, logger });
  const rateLimits = createRateLimits({ config: config.rateLimit, redis, metrics, logger, clientAddressOf });
  const loginGuard = createLoginGuard({ config: config.loginGuard, redis, metrics, clientAddressOf });
  const cache =
    redis && config.cache.enabled ? createResponseCache(redis, { ttlSeconds: config.cache.ttlSeconds }) : undefined;
  const purgeCache = cache ? createCachePurger({ cache, metrics, logger }) : async () => {};
  const app = createApp({
    handlers: {
      ...createUserHandlers(deps),
      ...createProfileHandlers(deps),
      ...createArticleHandlers(deps),
      ...createFavoriteHandlers(deps),
      ...createCommentHandlers(deps),
      ...createTagHandlers(deps),
    },
    tokens: requestTokens,
    bodyLimitBytes: config.http.bodyLimitBytes,
    corsOrigins: config.http.corsOrigins,
    onPurge: async (tags) => {
      await purgeCache(tags);
      // After our own cache: an edge that refetches at once must not get the old entry.
      await edgePurger.purge(tags);
    },
    middleware: [requestLog(logger, metrics, clientAddressOf), apiOnly(rateLimits.perIp), ...replicaReads.middleware],
    routeMiddleware: (name, contract) => [
      ...(name === "login" ? [loginGuard] : []),
      rateLimits.perUser,
      ...replicaReads.forRoute(contract),
      ...(cache && contract.cache.kind === "cacheable"
        ? [
            readThroughCache({
              policy: contract.cache,
              cache,
              metrics,
              logger,
              knownQuery: declaredQueryParameters(contract),
            }),
          ]
        : []),
    ],
    errors: {
      translate: (error) =>
        isDatabaseUnavailable(error)
          ? new AppError("databaseUnavailable", { retryAfterSeconds: databaseRetryAfterSeconds })
          : undefined,
      onUnexpected: (error, c) =>
        logger.error(
          { err: error, requestId: c.get("requestId"), method: c.req.method, path: c.req.path },
          "unexpected error",
        ),
    },
  });
  mountHealthRoutes(app, database);
  mountOpenApiDocument(app);
  mountApiReference(app);
  return app;
};
