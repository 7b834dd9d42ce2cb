import { Hono } from "hono";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../shared/app/app-env.ts";
import { createTokenService } from "../../shared/auth/token.ts";
import { createReadRouting } from "../db/read-routing.ts";
import { readYourWrites } from "./read-your-writes.ts";
import type { RecentWriters } from "./recent-writers.ts";

const windowMs = 2_000;
const tokens = createTokenService({
  secret: "a-unit-test-secret-of-at-least-32-chars",
  ttlSeconds: 3_600,
  issuer: "t",
});

/** Who wrote, kept in memory on the test's clock; the Redis one is tested against a real Redis in test/replicas. */
const memoryWriters = (now: () => number): RecentWriters & { marked: number[] } => {
  const until = new Map<number, number>();
  const marked: number[] = [];
  return {
    marked,
    markWrote: async (userId) => {
      marked.push(userId);
      until.set(userId, now() + windowMs);
    },
    wroteRecently: async (userId) => (until.get(userId) ?? 0) > now(),
  };
};

const appWith = (recentWriters: RecentWriters, now: () => number) => {
  const readRouting = createReadRouting();
  const app = new Hono<AppEnv>();
  app.use(readYourWrites({ readRouting, recentWriters, tokens, windowMs, logger: pino({ level: "silent" }), now }));
  const target = () => (readRouting.replicaFor(() => 0) === 0 ? "replica" : "primary");
  app.get("/read", (c) => c.text(target()));
  app.post("/write", (c) => c.text(target()));
  return app;
};

const call = async (app: Hono<AppEnv>, method: string, path: string, token?: string) => {
  const response = await app.request(path, { method, headers: token ? { authorization: `Token ${token}` } : {} });
  return response.text();
};

describe("readYourWrites", () => {
  it("lets anonymous reads and signed-in reads outside any window use a replica", async () => {
    let clock = Date.now();
    const now = () => clock;
    const app = appWith(memoryWriters(now), now);
    const token = await tokens.sign(7);
    expect(await call(app, "GET", "/read")).toBe("replica");
    clock += windowMs + 1_000;
    expect(await call(app, "GET", "/read", token)).toBe("replica");
  });

  it("sends every query of a write to the primary and records the writer, whose reads alone stay on the primary for the window", async () => {
    let clock = Date.now();
    const now = () => clock;
    const writers = memoryWriters(now);
    const app = appWith(writers, now);
    const token = await tokens.sign(7);
    clock += windowMs + 1_000;
    expect(await call(app, "POST", "/write", token)).toBe("primary");
    expect(writers.marked).toEqual([7]);
    expect(await call(app, "GET", "/read", token)).toBe("primary");
    // The window is the writer's: another user (whose token the advanced clock makes old) reads a replica.
    expect(await call(app, "GET", "/read", await tokens.sign(8))).toBe("replica");
    clock += windowMs;
    expect(await call(app, "GET", "/read", token)).toBe("replica");
  });

  it("keeps the holder of a freshly issued token on the primary: registration writes before any user id is known", async () => {
    let clock = Date.now();
    const now = () => clock;
    const app = appWith(memoryWriters(now), now);
    const token = await tokens.sign(9);
    expect(await call(app, "GET", "/read", token)).toBe("primary");
    clock += windowMs + 1_000;
    expect(await call(app, "GET", "/read", token)).toBe("replica");
  });

  it("reads from the primary when Redis cannot say who wrote, and answers a write even if recording it fails", async () => {
    const failing: RecentWriters = {
      markWrote: () => Promise.reject(new Error("redis down")),
      wroteRecently: () => Promise.reject(new Error("redis down")),
    };
    const later = () => Date.now() + windowMs + 1_000;
    const app = appWith(failing, later);
    const token = await tokens.sign(7);
    expect(await call(app, "GET", "/read", token)).toBe("primary");
    expect(await call(app, "POST", "/write", token)).toBe("primary");
    expect(await call(app, "GET", "/read")).toBe("replica");
  });

  it("ignores a token it cannot verify: the request reads like an anonymous one and the route's auth rule refuses it", async () => {
    const clock = Date.now() + windowMs + 1_000;
    const writers = memoryWriters(() => clock);
    const app = appWith(writers, () => clock);
    const forged = `${(await tokens.sign(7)).slice(0, -2)}xx`;
    expect(await call(app, "GET", "/read", forged)).toBe("replica");
    await call(app, "POST", "/write", forged);
    expect(writers.marked).toEqual([]);
  });
});
