import type { CachedResponse } from "./cached-response.ts";
import type { MemoryCache } from "./memory-cache.ts";
import type { PurgeLog } from "./purge-log.ts";
import type { SharedCache } from "./shared-cache.ts";

/**
 * The edge's two cache layers behind one face: the isolate's memory first, the Cache API
 * behind it, and every entry from either checked against the isolate's purge log before it
 * is used (see purge-log.ts for why that one check is enough). Keys are URLs: the request's
 * origin and the normalised path and query.
 */
export type WaitUntil = (work: Promise<unknown>) => void;

export interface EdgeCache {
  lookup: (key: string) => Promise<CachedResponse | undefined>;
  /** The memory layer alone, answered at once: the hot path never awaits the Cache API. */
  lookupInMemory: (key: string) => CachedResponse | undefined;
  /** Stores an origin answer, unless a purge of its tags came in while it was fetched. */
  store: (key: string, entry: CachedResponse, retentionSeconds: number, waitUntil: WaitUntil) => void;
  /** Voids `tags` in this isolate as of wall-clock `at`; other isolates hear of it through the purge bus. */
  purge: (tags: readonly string[], at: number, waitUntil: WaitUntil) => void;
  /** Changes with every purge; see coalescer.ts. */
  readonly generation: number;
}

export interface EdgeCacheParts {
  memory: MemoryCache;
  shared: SharedCache | undefined;
  purgeLog: PurgeLog;
  onSharedCacheError: (error: unknown) => void;
}

export const createEdgeCache = ({ memory, shared, purgeLog, onSharedCacheError }: EdgeCacheParts): EdgeCache => {
  // The Cache API is an optimisation: when it fails, the edge answers as if it missed.
  const quietly = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      onSharedCacheError(error);
      return undefined;
    }
  };
  const usable = (entry: CachedResponse) => purgeLog.allows(entry.tags, entry.fetchedAt);

  const lookupInMemory = (key: string) => {
    const inMemory = memory.get(key);
    if (inMemory && usable(inMemory)) return inMemory;
    if (inMemory) memory.delete(key);
    return undefined;
  };

  return {
    lookupInMemory,
    lookup: async (key) => {
      const inMemory = lookupInMemory(key);
      if (inMemory) return inMemory;
      if (!shared) return undefined;
      const stored = await quietly(() => shared.get(key));
      if (!stored || !usable(stored)) return undefined;
      memory.set(key, stored);
      return stored;
    },
    store: (key, entry, retentionSeconds, waitUntil) => {
      if (!usable(entry)) return;
      memory.set(key, entry);
      if (shared) waitUntil(quietly(() => shared.put(key, entry, retentionSeconds)));
    },
    purge: (tags, at, waitUntil) => {
      purgeLog.record(tags, at);
      const keys = memory.purge(tags);
      // Only hygiene: readers check the log, so a copy left in the Cache API (put by another
      // isolate, or by this one before its memory evicted it) is never served.
      if (shared) for (const key of keys) waitUntil(quietly(() => shared.delete(key)));
    },
    get generation() {
      return purgeLog.generation;
    },
  };
};
