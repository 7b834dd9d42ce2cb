/**
 * The key of an anonymous read: the path as sent, and only the query parameters the route
 * knows, sorted, so `?limit=20&tag=a` and `?tag=a&limit=20&utm=x` share one entry.
 * Keys past the bound are not cached at all: nothing legitimate is that long.
 */
export const maxCacheKeyLength = 1_024;

export const responseCacheKey = (url: URL, knownQuery: readonly string[]): string | undefined => {
  const query = [...url.searchParams]
    .filter(([name]) => knownQuery.includes(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join("&");
  const key = query ? `${url.pathname}?${query}` : url.pathname;
  return key.length <= maxCacheKeyLength ? key : undefined;
};
