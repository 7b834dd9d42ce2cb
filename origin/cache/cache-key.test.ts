import { describe, expect, it } from "vitest";
import { maxCacheKeyLength, responseCacheKey } from "./cache-key.ts";

const key = (url: string, known = ["tag", "limit", "offset"]) => responseCacheKey(new URL(url, "http://x"), known);

describe("responseCacheKey", () => {
  it("sorts the known parameters and drops the others", () => {
    expect(key("/api/articles?utm=1&tag=a&limit=20")).toBe("/api/articles?limit=20&tag=a");
    expect(key("/api/articles?tag=a&limit=20")).toBe(key("/api/articles?limit=20&utm=2&tag=a"));
  });

  it("keeps the path as sent, without a query when none is known", () => {
    expect(key("/api/articles/%E6%97%A5?x=1")).toBe("/api/articles/%E6%97%A5");
  });

  it("keeps values distinct that only differ in encoding-sensitive characters", () => {
    expect(key("/api/articles?tag=a%26b")).not.toBe(key("/api/articles?tag=a&b"));
  });

  it("refuses to key an overlong request", () => {
    expect(key(`/api/articles/${"x".repeat(maxCacheKeyLength)}`)).toBeUndefined();
  });
});
