import { describe, expect, it } from "vitest";
import { cacheableRead } from "../../shared/http/cache-policy.ts";
import { freshnessOf, retentionSecondsOf } from "./freshness.ts";

const policy = cacheableRead({ sMaxAge: 10, staleWhileRevalidate: 60, staleIfError: 600, tags: () => [] });
const at = (ageSeconds: number) => freshnessOf(policy, 0, ageSeconds * 1_000);

describe("freshness", () => {
  it("is fresh for s-maxage", () => {
    expect(at(9.999)).toEqual({ fresh: true, servableWhileRevalidating: true, servableOnError: true });
  });

  it("is servable while revalidating for stale-while-revalidate past freshness", () => {
    expect(at(10)).toEqual({ fresh: false, servableWhileRevalidating: true, servableOnError: true });
    expect(at(69.999).servableWhileRevalidating).toBe(true);
  });

  it("is servable only on error for stale-if-error past freshness", () => {
    expect(at(70)).toEqual({ fresh: false, servableWhileRevalidating: false, servableOnError: true });
    expect(at(610).servableOnError).toBe(false);
  });

  it("is kept for the longest of its windows", () => {
    expect(retentionSecondsOf(policy)).toBe(610);
  });
});
