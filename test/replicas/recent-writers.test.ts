import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisRecentWriters } from "../../origin/consistency/recent-writers.ts";
import { freePort } from "../../stack/free-port.ts";
import { type RunningRedis, startRedisServer } from "../../stack/redis-server.ts";

let dir: string;
let redis: RunningRedis;
let clients: Redis[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "conduit-writers-"));
  redis = await startRedisServer({ port: await freePort(), dir });
  // Two connections stand for two workers (or instances): what one records, the other sees.
  clients = [new Redis(redis.url), new Redis(redis.url)];
});

afterAll(async () => {
  for (const client of clients ?? []) client.disconnect();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("who just wrote, in Redis", () => {
  it("is seen by every connection for the window, for that user only, and forgotten after it", async () => {
    const windowMs = 400;
    const [one, other] = clients.map((client) => redisRecentWriters(client, windowMs));
    await one?.markWrote(41);
    expect(await other?.wroteRecently(41)).toBe(true);
    expect(await other?.wroteRecently(42)).toBe(false);
    const ttl = await clients[0]?.pttl("conduit:wrote:41");
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(windowMs);
    await new Promise((resolve) => setTimeout(resolve, windowMs + 50));
    expect(await other?.wroteRecently(41)).toBe(false);
  });

  it("restarts the window on every write", async () => {
    const writers = redisRecentWriters(clients[0] as Redis, 300);
    await writers.markWrote(43);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await writers.markWrote(43);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await writers.wroteRecently(43)).toBe(true);
  });
});
