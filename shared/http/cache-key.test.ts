import { describe, expect, it } from "vitest";
import { routeTable } from "../routes/route-table.ts";
import { cacheKeyOf, declaredQueryParameters, maxCacheKeyLength } from "./cache-key.ts";

const listQuery = declaredQueryParameters(routeTable.listArticles);
const key = (url: string) => cacheKeyOf(new URL(url, "http://edge.test"), listQuery);

describe("cache keys", () => {
  it("takes the declared query parameters from the route's schema", () => {
    expect([...listQuery].sort()).toEqual(["author", "favorited", "limit", "offset", "tag"]);
    expect(declaredQueryParameters(routeTable.getArticle)).toEqual([]);
  });

  it("sorts parameters and drops undeclared ones", () => {
    expect(key("/api/articles?tag=a&limit=20&utm_source=x")).toBe("/api/articles?limit=20&tag=a");
    expect(key("/api/articles?limit=20&tag=a")).toBe(key("/api/articles?utm=1&tag=a&limit=20"));
  });

  it("keeps the order of a repeated parameter's values", () => {
    expect(key("/api/articles?tag=b&limit=1&tag=a")).toBe("/api/articles?limit=1&tag=b&tag=a");
  });

  it("encodes values so the key is a URL the origin reads back the same", () => {
    expect(key("/api/articles?tag=a+b&author=%E6%97%A5")).toBe("/api/articles?author=%E6%97%A5&tag=a%20b");
  });

  it("refuses keys past the bound", () => {
    expect(key(`/api/articles?tag=${"x".repeat(maxCacheKeyLength)}`)).toBeUndefined();
    expect(key(`/api/articles?junk=${"x".repeat(10 * maxCacheKeyLength)}`)).toBe("/api/articles");
  });
});
