import type { RouteContract } from "../routes/route-contract.ts";

/**
 * The key of an anonymous read in any shared cache: the path as sent and only the query
 * parameters the route declares, sorted by name (values of a repeated name keep their
 * order), so `?limit=20&tag=a` and `?tag=a&limit=20&utm=x` share one entry. A key past the
 * bound is not cached at all: nothing legitimate is that long.
 */
export const maxCacheKeyLength = 1_024;

/** The query parameters a route's schema declares: the only ones that may vary its key. */
export const declaredQueryParameters = (contract: RouteContract): string[] => {
  const query = contract.route.request?.query;
  return query && "shape" in query ? Object.keys(query.shape as object) : [];
};

export const cacheKeyOf = (url: URL, declaredQuery: readonly string[]): string | undefined => {
  const query = [...url.searchParams]
    .filter(([name]) => declaredQuery.includes(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join("&");
  const key = query ? `${url.pathname}?${query}` : url.pathname;
  return key.length <= maxCacheKeyLength ? key : undefined;
};
