import { describe, expect, it } from "vitest";
import { cacheableRead, cacheableReadHeaders, formatCacheTags, parseCacheTags } from "./cache-policy.ts";

describe("cache tag headers", () => {
  it("round-trips unicode slugs and commas in usernames", () => {
    const tags = ["article:日本語", "profile:a,b", "articles"];
    const header = formatCacheTags(tags);
    expect(header).toMatch(/^[\x21-\x7e]+$/);
    expect(parseCacheTags(header)).toEqual(tags);
  });

  it("drops duplicate tags", () => {
    expect(formatCacheTags(["tags", "tags", "articles"])).toBe("tags,articles");
  });

  it("renders freshness and stale windows for shared caches only", () => {
    const policy = cacheableRead({ sMaxAge: 10, staleWhileRevalidate: 60, staleIfError: 600, tags: () => [] });
    expect(cacheableReadHeaders(policy, ["articles"])).toEqual({
      "cache-control": "public, max-age=0, s-maxage=10, stale-while-revalidate=60, stale-if-error=600",
      "cache-tag": "articles",
    });
  });
});
