import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Logger } from "pino";
import type { AppEnv } from "../../shared/app/app-env.ts";
import { cacheKeyOf } from "../../shared/http/cache-key.ts";
import { type CacheableRead, cacheableReadHeaders, parseCacheTags } from "../../shared/http/cache-policy.ts";
import type { WorkerMetrics } from "../observability/worker-metrics.ts";
import type { CachedBody, ResponseCache } from "./response-cache.ts";

/**
 * Cache-aside for one cacheable route, for anonymous GETs: a hit answers from Redis; a miss
 * is filled by one request per key across the whole cluster. In this worker, concurrent
 * misses share one fill; across workers and instances, a short Redis lock elects the filler
 * and the others poll for its entry. If Redis is unreachable, every step degrades to
 * answering from Postgres.
 */
export interface ReadThroughOptions {
  policy: CacheableRead;
  cache: ResponseCache;
  metrics: WorkerMetrics;
  logger: Logger;
  knownQuery: readonly string[];
}

/** Longer than any honest fill; a filler that dies only delays the others this long. */
const fillLockMs = 3_000;
const pollIntervalMs = 15;

const originCacheHeader = "x-origin-cache";

export const readThroughCache = (options: ReadThroughOptions): MiddlewareHandler<AppEnv> => {
  const fillsInFlight = new Map<string, Promise<CachedBody | undefined>>();
  const { cache, metrics, logger, policy } = options;
  // A hit skips the handler and the cache-header middleware after this one, so it carries
  // the headers that middleware would have written for the same tags.
  const answer = (c: Context<AppEnv>, entry: CachedBody) =>
    c.body(entry.body, 200, {
      "content-type": "application/json; charset=utf-8",
      ...cacheableReadHeaders(policy, parseCacheTags(entry.tagHeader)),
      vary: "Authorization",
      [originCacheHeader]: "HIT",
    });

  const quietly = async <T>(step: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await step();
    } catch (error) {
      logger.debug({ err: error }, "response cache step failed: answering without it");
      return undefined;
    }
  };

  /** Waits for another worker's fill, up to the lock's life; `undefined` if none came. */
  const awaitOtherFill = async (key: string): Promise<CachedBody | undefined> => {
    const deadline = Date.now() + fillLockMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
      const entry = await quietly(() => cache.read(key));
      if (entry) return entry;
    }
    return undefined;
  };

  return async (c, next) => {
    const route = routePath(c, -1);
    const count = (outcome: string) => metrics.cacheRequests.inc({ route, outcome });
    const key =
      c.req.method === "GET" && c.get("auth") === null ? cacheKeyOf(new URL(c.req.url), options.knownQuery) : undefined;
    if (key === undefined) {
      count("bypass");
      return next();
    }
    const hit = await quietly(() => cache.read(key));
    if (hit) {
      count("hit");
      return answer(c, hit);
    }

    const running = fillsInFlight.get(key);
    if (running) {
      const shared = await running;
      if (shared) {
        count("coalesced");
        return answer(c, shared);
      }
      // The fill produced nothing cacheable (an error, a 404): answer this one ourselves.
      count("miss");
      return next();
    }

    let resolveFill: (entry: CachedBody | undefined) => void = () => {};
    fillsInFlight.set(
      key,
      new Promise((resolve) => {
        resolveFill = resolve;
      }),
    );
    try {
      // Taken before Postgres is asked: a purge after this point makes the entry unservable.
      const ticket = await quietly(() => cache.ticket());
      const locked = ticket ? await quietly(() => cache.tryLock(key, fillLockMs)) : undefined;
      // Another worker may have filled the entry and let go of the lock between our first
      // read and our lock, and a lock taken then must not cause a second query.
      const filled =
        locked === false ? await awaitOtherFill(key) : locked ? await quietly(() => cache.read(key)) : undefined;
      if (filled) {
        if (locked) await quietly(() => cache.unlock(key));
        resolveFill(filled);
        count("coalesced");
        return answer(c, filled);
      }
      count("miss");
      await next();
      const entry = c.res.status === 200 ? await cacheableEntry(c.res) : undefined;
      if (entry && ticket) await quietly(() => cache.store(key, ticket, entry));
      if (locked) await quietly(() => cache.unlock(key));
      resolveFill(entry);
      c.res.headers.set(originCacheHeader, "MISS");
    } finally {
      resolveFill(undefined);
      fillsInFlight.delete(key);
    }
  };
};

/** The body to store; the tags are computed by the cache-header middleware from the same declaration. */
const cacheableEntry = async (response: Response): Promise<CachedBody | undefined> => {
  const tagHeader = response.headers.get("cache-tag");
  return tagHeader === null ? undefined : { body: await response.clone().text(), tagHeader };
};
