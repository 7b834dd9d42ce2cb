import type { Logger } from "pino";
import { formatCacheTags } from "../../shared/http/cache-policy.ts";
import type { WorkerMetrics } from "../observability/worker-metrics.ts";
import type { RedisConnection } from "../redis/redis-connection.ts";
import type { ResponseCache } from "./response-cache.ts";

/**
 * Purges a write's tags from the Redis cache before its response leaves. A purge that
 * cannot reach Redis must not fail a write that Postgres already committed; instead this
 * worker owes a full invalidation and pays it (a new cache epoch) as soon as Redis answers
 * again, so entries that missed the purge are never served once Redis is back.
 */
export const createCachePurger = (deps: {
  cache: ResponseCache;
  redis: RedisConnection;
  metrics: WorkerMetrics;
  logger: Logger;
}) => {
  let owesFullInvalidation = false;
  deps.redis.on("ready", () => {
    if (!owesFullInvalidation) return;
    deps.cache.invalidateAll().then(
      () => {
        owesFullInvalidation = false;
        deps.logger.info("purges were missed while redis was down: invalidated the whole response cache");
      },
      (error: unknown) =>
        deps.logger.warn({ err: error }, "full cache invalidation failed; retrying on next reconnect"),
    );
  });
  return async (tags: readonly string[]) => {
    try {
      await deps.cache.purge(tags.map((tag) => formatCacheTags([tag])));
      deps.metrics.cachePurges.inc({ result: "ok" });
    } catch (error) {
      owesFullInvalidation = true;
      deps.metrics.cachePurges.inc({ result: "failed" });
      deps.logger.warn({ err: error, tags }, "cache purge failed: full invalidation owed when redis returns");
    }
  };
};
