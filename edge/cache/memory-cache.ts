import type { CachedResponse } from "./cached-response.ts";

/**
 * The in-isolate hot-key cache in front of the Cache API (whose hit path design.md measured
 * at a fraction of a `Map` lookup): least recently used first out, bounded by entries and by
 * bytes, with a tag index so a purge frees what it voids at once.
 */
export interface MemoryCache {
  get: (key: string) => CachedResponse | undefined;
  set: (key: string, entry: CachedResponse) => void;
  delete: (key: string) => void;
  /** Drops every entry carrying one of `tags` and returns their keys. */
  purge: (tags: readonly string[]) => string[];
  readonly size: number;
  readonly bytes: number;
}

export interface MemoryCacheOptions {
  maxEntries: number;
  maxBytes: number;
}

/** Headers and bookkeeping beside the body, roughly; the bound is about bodies anyway. */
const overheadBytes = 512;

const sizeOf = (key: string, entry: CachedResponse) => key.length + entry.body.byteLength + overheadBytes;

export const createMemoryCache = (options: MemoryCacheOptions): MemoryCache => {
  // Map iteration follows insertion order: re-inserting on every hit keeps the least
  // recently used entry first.
  const entries = new Map<string, CachedResponse>();
  const keysByTag = new Map<string, Set<string>>();
  let bytes = 0;

  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= sizeOf(key, entry);
    for (const tag of entry.tags) {
      const keys = keysByTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) keysByTag.delete(tag);
    }
  };

  const evictUntilWithinBounds = () => {
    while (entries.size > options.maxEntries || bytes > options.maxBytes) {
      const oldest = entries.keys().next();
      if (oldest.done) return;
      remove(oldest.value);
    }
  };

  return {
    get: (key) => {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      entries.set(key, entry);
      return entry;
    },
    set: (key, entry) => {
      remove(key);
      // One entry may not take more than a tenth of the cache: it would evict a crowd of hot keys.
      if (options.maxEntries === 0 || sizeOf(key, entry) > options.maxBytes / 10) return;
      entries.set(key, entry);
      bytes += sizeOf(key, entry);
      for (const tag of entry.tags) {
        let keys = keysByTag.get(tag);
        if (!keys) {
          keys = new Set();
          keysByTag.set(tag, keys);
        }
        keys.add(key);
      }
      evictUntilWithinBounds();
    },
    delete: remove,
    purge: (tags) => {
      const purged = new Set<string>();
      for (const tag of tags) for (const key of keysByTag.get(tag) ?? []) purged.add(key);
      for (const key of purged) remove(key);
      return [...purged];
    },
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
  };
};
