/**
 * Whether a response came from a cache, read from the header the cache in front set:
 * RFC 9211 `Cache-Status` (`conduit-edge; hit`), or the common `X-Cache`,
 * `X-Cache-Status` (NGINX's $upstream_cache_status), `CF-Cache-Status`.
 * No such header means no cache spoke, and the response is left out of the hit ratio.
 */
const cacheHeaders = ["cache-status", "x-cache-status", "x-cache", "cf-cache-status"];

// RFC 9211 marks a hit with a `hit` parameter; `fwd=stale` means it went to the origin.
const rfcHit = /(^|;)\s*hit\s*(;|,|$)/i;
// NGINX and CDNs: HIT, TCP_HIT, "Hit from cloudfront"; STALE and UPDATING are served from cache too.
const legacyHit = /(^|[^a-z])(hit|stale|updating)([^a-z]|$)/i;

export const cacheOutcome = (headers: Readonly<Record<string, string | string[] | undefined>>): boolean | undefined => {
  const byName = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  for (const header of cacheHeaders) {
    const value = byName.get(header);
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(", ") : value;
    return (header === "cache-status" ? rfcHit : legacyHit).test(text);
  }
  return undefined;
};
