import type { CacheableRead } from "../../shared/http/cache-policy.ts";

/**
 * What a route's declared windows allow for an entry of a given age (RFC 5861): fresh for
 * `sMaxAge`; then, for `staleWhileRevalidate`, served while one background refresh runs;
 * for `staleIfError` past freshness, served when the origin fails.
 */
export interface Freshness {
  fresh: boolean;
  servableWhileRevalidating: boolean;
  servableOnError: boolean;
}

export const freshnessOf = (policy: CacheableRead, storedAt: number, now: number): Freshness => {
  const ageMs = now - storedAt;
  const pastFreshnessMs = ageMs - policy.sMaxAge * 1_000;
  return {
    fresh: pastFreshnessMs < 0,
    servableWhileRevalidating: pastFreshnessMs < policy.staleWhileRevalidate * 1_000,
    servableOnError: pastFreshnessMs < policy.staleIfError * 1_000,
  };
};

/** How long an entry can be of any use: the Cache API may drop it after this. */
export const retentionSecondsOf = (policy: CacheableRead): number =>
  policy.sMaxAge + Math.max(policy.staleWhileRevalidate, policy.staleIfError);
