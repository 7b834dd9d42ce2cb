import type { RedisConnection } from "../redis/redis-connection.ts";

/**
 * The origin's shared response cache in Redis, invalidated by the cache tags the routes
 * declare in shared/. A plain "delete the keys of a tag" scheme can serve a stale body
 * for its whole TTL: a read that queried Postgres before a write committed may store its
 * result after the write purged. So every purge takes a number from one counter and stamps
 * each purged tag with it; a read takes a ticket (the counter's value) before it queries,
 * and its entry is served only while none of its tags was stamped after that ticket. Tags
 * that only the response reveals (the authors in a list) are covered too, because the check
 * happens when the entry is read, with the tags it was stored with.
 *
 * An epoch guards against Redis restarting (the counter would start again at 0): entries and
 * tickets carry it, and a ticket from another epoch stores nothing.
 */
export interface CacheTicket {
  epoch: string;
  sequence: string;
}

export interface CachedBody {
  body: string;
  /** Tags as `formatCacheTags` wrote them. */
  tagHeader: string;
}

const keys = {
  // One hash slot for the whole cache: the scripts read the tag stamps an entry names, which
  // Redis Cluster only allows within a slot (docs/architecture.md, Redis beyond one node).
  epoch: "{conduit-cache}:epoch",
  sequence: "{conduit-cache}:sequence",
  entry: (key: string) => `{conduit-cache}:entry:${key}`,
  lock: (key: string) => `{conduit-cache}:lock:${key}`,
  tagStampPrefix: "{conduit-cache}:tag:",
};

const ticketScript = `
local epoch = redis.call('GET', KEYS[1])
if not epoch then
  local now = redis.call('TIME')
  epoch = now[1] .. '.' .. now[2]
  redis.call('SET', KEYS[1], epoch)
end
return {epoch, redis.call('GET', KEYS[2]) or '0'}`;

const storeScript = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;

// An entry is "<epoch>\\n<ticket>\\n<tags>\\n<body>"; tags are percent-encoded, comma separated.
// The tags' stamps are read with one MGET: a list of 20 articles names about 25 tags, and one
// call instead of 25 took the script from 25.5 to 22.1 us of Redis's single thread per read
// (redis-benchmark, 3 rounds; docs/benchmarks/redis-cache-read.md). Most of what remains is the 4 KB body
// copied through Lua twice, and the tags' string handling.
const readScript = `
local entry = redis.call('GET', KEYS[1])
if not entry then return false end
local a = string.find(entry, '\\n', 1, true)
local b = string.find(entry, '\\n', a + 1, true)
local c = string.find(entry, '\\n', b + 1, true)
if redis.call('GET', KEYS[2]) ~= string.sub(entry, 1, a - 1) then return false end
local ticket = tonumber(string.sub(entry, a + 1, b - 1))
local tags = string.sub(entry, b + 1, c - 1)
local stampKeys = {}
for tag in string.gmatch(tags, '[^,]+') do stampKeys[#stampKeys + 1] = ARGV[1] .. tag end
if #stampKeys > 0 then
  local stamps = redis.call('MGET', unpack(stampKeys))
  for i = 1, #stamps do
    if stamps[i] and tonumber(stamps[i]) > ticket then return false end
  end
end
return {tags, string.sub(entry, c + 1)}`;

const purgeScript = `
local stamp = redis.call('INCR', KEYS[1])
for i = 3, #ARGV do redis.call('SET', ARGV[1] .. ARGV[i], stamp, 'EX', ARGV[2]) end
return stamp`;

interface CacheCommands {
  cacheTicket(epochKey: string, sequenceKey: string): Promise<[string, string]>;
  cacheStore(entryKey: string, epochKey: string, epoch: string, payload: string, ttlMs: number): Promise<number>;
  cacheRead(entryKey: string, epochKey: string, stampPrefix: string): Promise<[string, string] | null>;
  cachePurge(sequenceKey: string, stampPrefix: string, stampTtlSeconds: number, ...tags: string[]): Promise<number>;
}

export interface ResponseCacheOptions {
  ttlSeconds: number;
}

export const createResponseCache = (redis: RedisConnection, options: ResponseCacheOptions) => {
  redis.defineCommand("cacheTicket", { numberOfKeys: 2, lua: ticketScript });
  redis.defineCommand("cacheStore", { numberOfKeys: 2, lua: storeScript });
  redis.defineCommand("cacheRead", { numberOfKeys: 2, lua: readScript });
  redis.defineCommand("cachePurge", { numberOfKeys: 1, lua: purgeScript });
  const commands = redis as unknown as CacheCommands;
  const ttlMs = options.ttlSeconds * 1_000;
  // A stamp must outlive every entry stored before it, or that entry would look fresh again.
  const stampTtlSeconds = options.ttlSeconds * 2;

  return {
    ticket: async (): Promise<CacheTicket> => {
      const [epoch, sequence] = await commands.cacheTicket(keys.epoch, keys.sequence);
      return { epoch, sequence };
    },

    read: async (key: string): Promise<CachedBody | undefined> => {
      const found = await commands.cacheRead(keys.entry(key), keys.epoch, keys.tagStampPrefix);
      return found ? { tagHeader: found[0], body: found[1] } : undefined;
    },

    /** Stores nothing when Redis restarted since the ticket was taken. */
    store: async (key: string, ticket: CacheTicket, entry: CachedBody): Promise<boolean> => {
      const payload = `${ticket.epoch}\n${ticket.sequence}\n${entry.tagHeader}\n${entry.body}`;
      return (await commands.cacheStore(keys.entry(key), keys.epoch, ticket.epoch, payload, ttlMs)) === 1;
    },

    /** `encodedTags` as `formatCacheTags` writes them, one tag per item. */
    purge: async (encodedTags: readonly string[]): Promise<void> => {
      if (encodedTags.length === 0) return;
      await commands.cachePurge(keys.sequence, keys.tagStampPrefix, stampTtlSeconds, ...encodedTags);
    },

    /** A new epoch: every entry stored so far stops being served. */
    invalidateAll: async (): Promise<void> => {
      await redis.del(keys.epoch);
    },

    /** One filler per key across every worker and instance; the others wait for its entry. */
    tryLock: async (key: string, holdMs: number): Promise<boolean> =>
      (await redis.set(keys.lock(key), "1", "PX", holdMs, "NX")) === "OK",

    unlock: async (key: string): Promise<void> => {
      await redis.del(keys.lock(key));
    },
  };
};

export type ResponseCache = ReturnType<typeof createResponseCache>;
