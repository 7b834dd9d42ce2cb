import type { Cluster, Redis } from "ioredis";

/**
 * Who wrote within the read-your-writes window, in Redis so that every worker of every
 * instance sees it: a user's next request may land anywhere. One key per user whose TTL is
 * the window; single-key commands only, so any Redis deployment (Sentinel, Cluster) serves it.
 */
export interface RecentWriters {
  markWrote: (userId: number) => Promise<void>;
  wroteRecently: (userId: number) => Promise<boolean>;
}

const writerKey = (userId: number) => `conduit:wrote:${userId}`;

export const redisRecentWriters = (redis: Redis | Cluster, windowMs: number): RecentWriters => ({
  markWrote: async (userId) => {
    await redis.set(writerKey(userId), "1", "PX", windowMs);
  },
  wroteRecently: async (userId) => (await redis.exists(writerKey(userId))) === 1,
});
