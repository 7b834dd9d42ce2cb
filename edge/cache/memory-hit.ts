import type { Context, MiddlewareHandler } from "hono";
import type { AuthRule } from "../../shared/http/auth-rule.ts";
import type { CacheableRead } from "../../shared/http/cache-policy.ts";
import type { EdgeEnv } from "../edge-env.ts";
import type { EdgeCors } from "../http/edge-cors.ts";
import { serverTimingOf } from "../http/edge-timing.ts";
import { requestIdFor, requestIdHeader } from "../http/request-id.ts";
import { cacheTargetOf } from "./cache-target.ts";
import type { CachedAnswer } from "./cached-response.ts";
import type { EdgeCache } from "./edge-cache.ts";
import { freshnessOf } from "./freshness.ts";

/**
 * The hot path, first in a cacheable route's chain: an anonymous GET whose entry is fresh
 * in this isolate's memory (and passes the purge log, as every read must) is answered
 * before any other middleware runs, never touching the Cache API: a clone of the entry's
 * Response (cached-response.ts) with what every edge answer carries (CORS, X-Cache, Age,
 * X-Request-ID, Server-Timing), each written once. Anything else (no entry, a stale one, a
 * token to check, HEAD) goes on down the chain, which gives the same answer the slow way.
 */
export interface CacheableRoute {
  policy: CacheableRead;
  declaredQuery: readonly string[];
  auth: AuthRule;
}

export interface MemoryHitParts {
  cache: EdgeCache;
  answer: CachedAnswer;
  /** The route's CORS, if its path has any (`/api/*`). */
  cors: EdgeCors | undefined;
  /** The edge's clock for this request (tests may skew it). */
  now: (c: Context<EdgeEnv>) => number;
}

export const memoryHit =
  (route: CacheableRoute, { cache, answer: cachedAnswer, cors, now }: MemoryHitParts): MiddlewareHandler<EdgeEnv> =>
  async (c, next) => {
    const started = performance.now();
    // Under `none` the route ignores the header; otherwise a present one is the auth rule's to judge.
    const anonymous = route.auth === "none" || !c.req.raw.headers.has("authorization");
    if (c.req.method !== "GET" || !anonymous) return next();
    const target = cacheTargetOf(c.req.url, route.declaredQuery);
    const entry = target && cache.lookupInMemory(target.key);
    const at = now(c);
    if (!entry || !freshnessOf(route.policy, entry.storedAt, at).fresh) return next();
    const answer = cachedAnswer(entry, "HIT", at);
    cors?.writeHeaders(answer.headers, c.req.header("origin"));
    answer.headers.set(requestIdHeader, requestIdFor(c.req.header(requestIdHeader)));
    answer.headers.append("server-timing", serverTimingOf(performance.now() - started, "HIT"));
    return answer;
  };
