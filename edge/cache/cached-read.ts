import { AppError } from "../../shared/errors/app-error.ts";
import type { CacheableRead } from "../../shared/http/cache-policy.ts";
import type { RequestFacts } from "../http/origin-client.ts";
import { type CachedAnswer, cacheStatusHeader } from "./cached-response.ts";
import type { Coalescer } from "./coalescer.ts";
import type { EdgeCache, WaitUntil } from "./edge-cache.ts";
import { freshnessOf, retentionSecondsOf } from "./freshness.ts";
import type { FillOutcome, FillRequest } from "./origin-fill.ts";

/**
 * An anonymous GET of a cacheable route: fresh entry → HIT; stale within
 * stale-while-revalidate → STALE now and one background refresh; otherwise one origin
 * request per key however many readers wait (MISS), and if the origin is down or answers
 * 5xx, a stale entry within stale-if-error → STALE.
 */
export interface CachedReadParts {
  cache: EdgeCache;
  coalescer: Coalescer<FillOutcome>;
  fill: (request: FillRequest) => Promise<FillOutcome>;
  answer: CachedAnswer;
}

export interface CachedReadRequest {
  /** The cache key: the request's origin and the normalised path and query. */
  key: string;
  pathAndQuery: string;
  policy: CacheableRead;
  params: Record<string, string>;
  facts: RequestFacts;
  now: number;
  waitUntil: WaitUntil;
}

const nullBodyStatuses = new Set([204, 205, 304]);

const fromOrigin = (outcome: Extract<FillOutcome, { kind: "answered" }>) => {
  const headers = new Headers(outcome.headers);
  headers.set(cacheStatusHeader, "MISS");
  headers.set("age", "0");
  // Coalesced readers share `outcome.body`: the Fetch standard has each Response copy it.
  const body = nullBodyStatuses.has(outcome.status) ? null : outcome.body;
  return new Response(body, { status: outcome.status, headers });
};

const failed = (outcome: FillOutcome) => outcome.kind === "unreachable" || outcome.status >= 500;

export const createCachedRead = ({ cache, coalescer, fill, answer }: CachedReadParts) => {
  const fillOnce = (request: CachedReadRequest) =>
    coalescer.run(request.key, cache.generation, async () => {
      const outcome = await fill(request);
      if (outcome.kind === "answered" && outcome.entry) {
        cache.store(request.key, outcome.entry, retentionSecondsOf(request.policy), request.waitUntil);
      }
      return outcome;
    });

  return async (request: CachedReadRequest): Promise<Response> => {
    const entry = await cache.lookup(request.key);
    const freshness = entry && freshnessOf(request.policy, entry.storedAt, request.now);
    if (entry && freshness?.fresh) return answer(entry, "HIT", request.now);
    if (entry && freshness?.servableWhileRevalidating) {
      // Joins a refresh already running for this key, so a crowd of stale hits costs one.
      request.waitUntil(fillOnce(request));
      return answer(entry, "STALE", request.now);
    }
    const outcome = await fillOnce(request);
    if (entry && freshness?.servableOnError && failed(outcome)) return answer(entry, "STALE", request.now);
    if (outcome.kind === "unreachable") throw new AppError("originUnavailable", { retryAfterSeconds: 5 });
    return fromOrigin(outcome);
  };
};
