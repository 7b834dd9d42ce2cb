import { cacheKeyOf } from "../../shared/http/cache-key.ts";

/**
 * Where a cacheable read lives in the cache: the request's URL, the normalised path and query
 * (shared/http/cache-key.ts) and the key, the two joined. `undefined` when the key would be
 * too long to cache.
 */
export interface CacheTarget {
  url: URL;
  pathAndQuery: string;
  key: string;
}

export const cacheTargetOf = (requestUrl: string, declaredQuery: readonly string[]): CacheTarget | undefined => {
  const url = new URL(requestUrl);
  const pathAndQuery = cacheKeyOf(url, declaredQuery);
  return pathAndQuery === undefined ? undefined : { url, pathAndQuery, key: `${url.origin}${pathAndQuery}` };
};
