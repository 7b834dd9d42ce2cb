import { describe, expect, it } from "vitest";
import type { CachedResponse } from "./cached-response.ts";
import { createMemoryCache } from "./memory-cache.ts";

const entry = (tags: string[], bytes = 10): CachedResponse => ({
  headers: [["content-type", "application/json"]],
  body: new Uint8Array(bytes),
  tags,
  storedAt: 0,
  fetchedAt: 0,
});

describe("memory cache", () => {
  it("evicts the least recently used entry first", () => {
    const cache = createMemoryCache({ maxEntries: 2, maxBytes: 1_000_000 });
    cache.set("a", entry([]));
    cache.set("b", entry([]));
    cache.get("a");
    cache.set("c", entry([]));
    expect([cache.get("a"), cache.get("b"), cache.get("c")].map(Boolean)).toEqual([true, false, true]);
  });

  it("stays within its byte bound", () => {
    const cache = createMemoryCache({ maxEntries: 100, maxBytes: 10_000 });
    for (let index = 0; index < 50; index++) cache.set(`k${index}`, entry([], 400));
    expect(cache.bytes).toBeLessThanOrEqual(10_000);
    expect(cache.get("k49")).toBeDefined();
  });

  it("does not keep an entry larger than a tenth of its bytes", () => {
    const cache = createMemoryCache({ maxEntries: 100, maxBytes: 10_000 });
    cache.set("big", entry([], 2_000));
    expect(cache.get("big")).toBeUndefined();
  });

  it("purges every entry carrying one of the tags, and only those", () => {
    const cache = createMemoryCache({ maxEntries: 100, maxBytes: 1_000_000 });
    cache.set("list", entry(["articles", "article:a"]));
    cache.set("a", entry(["article:a"]));
    cache.set("b", entry(["article:b"]));
    expect(cache.purge(["article:a"]).sort()).toEqual(["a", "list"]);
    expect([cache.get("list"), cache.get("a"), cache.get("b")].map(Boolean)).toEqual([false, false, true]);
  });

  it("forgets the tags of an entry it replaced or evicted", () => {
    const cache = createMemoryCache({ maxEntries: 1, maxBytes: 1_000_000 });
    cache.set("a", entry(["old"]));
    cache.set("a", entry(["new"]));
    expect(cache.purge(["old"])).toEqual([]);
    cache.set("b", entry(["other"]));
    expect(cache.purge(["new"])).toEqual([]);
  });

  it("holds nothing when sized to zero entries", () => {
    const cache = createMemoryCache({ maxEntries: 0, maxBytes: 1_000_000 });
    cache.set("a", entry([]));
    expect(cache.size).toBe(0);
  });
});
