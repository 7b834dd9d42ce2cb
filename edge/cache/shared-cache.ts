import { formatCacheTags, parseCacheTags } from "../../shared/http/cache-policy.ts";
import type { CachedResponse } from "./cached-response.ts";

/**
 * The runtime's Cache API (`caches.default` on Workers, `caches.open` on Deno), which every
 * isolate of a data centre (Workers) or a process (Deno) shares and which outlives a run.
 * An entry carries its tags and both instants in headers, so whichever isolate reads it can
 * check it against its own purge log.
 */
export interface SharedCache {
  get: (url: string) => Promise<CachedResponse | undefined>;
  put: (url: string, entry: CachedResponse, retentionSeconds: number) => Promise<void>;
  delete: (url: string) => Promise<void>;
}

/** What this module needs of a runtime's `Cache`; Workers' and Deno's both have it. */
export interface CacheApi {
  match: (request: Request) => Promise<Response | undefined>;
  put: (request: Request, response: Response) => Promise<void>;
  delete: (request: Request) => Promise<boolean>;
}

const meta = {
  tags: "x-edge-tags",
  storedAt: "x-edge-stored-at",
  fetchedAt: "x-edge-fetched-at",
} as const;

/**
 * Origin headers the Cache API would act on, kept under other names: its own Cache-Control
 * must span the whole stale window, not the origin's s-maxage, and a stored Vary would make
 * it compare request headers (keys carry none).
 */
const setAside = { "cache-control": "x-edge-cache-control", vary: "x-edge-vary" } as const;

/** What a runtime adds to a stored response on the way out (workerd: its cache status). */
const runtimeAnnotations = ["cf-cache-status"];

const instant = (header: string | null): number | undefined =>
  header !== null && /^\d{1,16}$/.test(header) ? Number(header) : undefined;

export const cacheApiStore = (cache: CacheApi): SharedCache => ({
  get: async (url) => {
    const response = await cache.match(new Request(url));
    if (!response) return undefined;
    const storedAt = instant(response.headers.get(meta.storedAt));
    const fetchedAt = instant(response.headers.get(meta.fetchedAt));
    if (storedAt === undefined || fetchedAt === undefined) return undefined;
    const headers = new Headers(response.headers);
    for (const [name, storedAs] of Object.entries(setAside)) {
      const value = headers.get(storedAs);
      headers.delete(storedAs);
      if (value === null) headers.delete(name);
      else headers.set(name, value);
    }
    const tags = parseCacheTags(headers.get(meta.tags));
    for (const name of [...Object.values(meta), ...runtimeAnnotations]) headers.delete(name);
    return { headers: [...headers], body: new Uint8Array(await response.arrayBuffer()), tags, storedAt, fetchedAt };
  },
  put: async (url, entry, retentionSeconds) => {
    const headers = new Headers(entry.headers);
    for (const [name, storedAs] of Object.entries(setAside)) {
      const value = headers.get(name);
      headers.delete(name);
      if (value !== null) headers.set(storedAs, value);
    }
    headers.set("cache-control", `public, max-age=${retentionSeconds}`);
    headers.set(meta.tags, formatCacheTags(entry.tags));
    headers.set(meta.storedAt, String(entry.storedAt));
    headers.set(meta.fetchedAt, String(entry.fetchedAt));
    await cache.put(new Request(url), new Response(entry.body, { status: 200, headers }));
  },
  delete: async (url) => {
    await cache.delete(new Request(url));
  },
});
