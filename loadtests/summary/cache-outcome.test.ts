import { describe, expect, it } from "vitest";
import { cacheOutcome } from "./cache-outcome.ts";

describe("cacheOutcome", () => {
  it("reads RFC 9211 Cache-Status: only an explicit hit parameter is a hit", () => {
    expect(cacheOutcome({ "Cache-Status": "conduit-edge; hit; ttl=30" })).toBe(true);
    expect(cacheOutcome({ "cache-status": "conduit-edge; fwd=miss; stored" })).toBe(false);
    expect(cacheOutcome({ "cache-status": "conduit-edge; fwd=stale" })).toBe(false);
  });

  it("reads the X-Cache family as NGINX and CDNs write it", () => {
    expect(cacheOutcome({ "X-Cache-Status": "HIT" })).toBe(true);
    expect(cacheOutcome({ "x-cache-status": "STALE" })).toBe(true);
    expect(cacheOutcome({ "X-Cache": "TCP_HIT" })).toBe(true);
    expect(cacheOutcome({ "X-Cache": "Hit from cloudfront" })).toBe(true);
    expect(cacheOutcome({ "X-Cache": "MISS" })).toBe(false);
    expect(cacheOutcome({ "CF-Cache-Status": "BYPASS" })).toBe(false);
    expect(cacheOutcome({ "x-cache": ["MISS", "HIT"] })).toBe(true);
  });

  it("has no opinion when no cache header is present", () => {
    expect(cacheOutcome({ "content-type": "application/json" })).toBeUndefined();
  });
});
