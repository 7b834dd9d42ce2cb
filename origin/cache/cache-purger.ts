import type { Logger } from "pino";
import { formatCacheTags } from "../../shared/http/cache-policy.ts";
import type { WorkerMetrics } from "../observability/worker-metrics.ts";
import type { ResponseCache } from "./response-cache.ts";

/**
 * Purges a write's tags from the Redis cache before its response leaves. A purge that
 * cannot reach Redis must not fail a write that Postgres already committed: its tags are
 * kept and sent again every `retryIntervalMs` until Redis takes them. Stamping a tag late is
 * still correct (the stamp is newer than every entry's ticket), so the only cost of an
 * outage is that window. If too many tags pile up, one full invalidation replaces them.
 */
export interface CachePurgerDeps {
  cache: ResponseCache;
  metrics: WorkerMetrics;
  logger: Logger;
  retryIntervalMs?: number;
}

const maxOwedTags = 10_000;

export const createCachePurger = (deps: CachePurgerDeps) => {
  const owed = new Set<string>();
  let owesEverything = false;
  let retry: NodeJS.Timeout | undefined;

  const settle = async () => {
    if (owesEverything) {
      await deps.cache.invalidateAll();
      owesEverything = false;
      owed.clear();
    } else if (owed.size > 0) {
      const tags = [...owed];
      await deps.cache.purge(tags);
      for (const tag of tags) owed.delete(tag);
    }
    deps.logger.info("purges missed while redis was unreachable have been sent");
  };

  const scheduleRetry = () => {
    retry ??= setInterval(() => {
      settle().then(
        () => {
          clearInterval(retry);
          retry = undefined;
        },
        () => {},
      );
    }, deps.retryIntervalMs ?? 500);
    retry.unref();
  };

  return async (tags: readonly string[]) => {
    const encoded = tags.map((tag) => formatCacheTags([tag]));
    try {
      await deps.cache.purge(encoded);
      deps.metrics.cachePurges.inc({ result: "ok" });
    } catch (error) {
      deps.metrics.cachePurges.inc({ result: "deferred" });
      for (const tag of encoded) owed.add(tag);
      if (owed.size > maxOwedTags) owesEverything = true;
      deps.logger.warn({ err: error, tags }, "cache purge failed: retrying until redis takes it");
      scheduleRetry();
    }
  };
};
