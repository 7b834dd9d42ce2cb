import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CachedResponse } from "./cache/cached-response.ts";
import type { SharedCache } from "./cache/shared-cache.ts";
import { createEdgeApp } from "./edge-app.ts";
import { parseEdgeConfig } from "./edge-config.ts";
import { singleIsolateBus } from "./purge/purge-bus.ts";

/**
 * The memory hit answers before the rest of the chain; these prove it answers as the rest
 * would (the same headers as a Cache API hit and as the miss before it), never asks the
 * Cache API, and leaves auth and purges where they were. The origin is a stand-in for
 * `fetch`; test/edge runs the same paths against real origins under Deno and workerd.
 */
const purgeSecret = "p".repeat(16);
const originHeaders = (tags: string) => ({
  "content-type": "application/json; charset=utf-8",
  "cache-control": "public, max-age=0, s-maxage=60, stale-while-revalidate=600, stale-if-error=86400",
  "cache-tag": tags,
  vary: "Authorization",
  "x-content-type-options": "nosniff",
  "access-control-allow-origin": "*",
});
const originAnswer = (path: string) =>
  path === "/api/tags"
    ? new Response(JSON.stringify({ tags: ["edge"] }), { headers: originHeaders("tags") })
    : new Response(JSON.stringify({ article: { slug: "a", author: { username: "ann" } } }), {
        headers: originHeaders("article:a,profile:ann"),
      });

let originReads: string[] = [];
beforeEach(() => {
  originReads = [];
  vi.stubGlobal("fetch", async (url: string) => {
    const path = new URL(url).pathname;
    originReads.push(path);
    return originAnswer(path);
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** The Cache API as a Map, counting reads. */
const mapSharedCache = () => {
  const entries = new Map<string, CachedResponse>();
  const reads = { count: 0 };
  const shared: SharedCache = {
    get: async (url) => {
      reads.count++;
      return entries.get(url);
    },
    put: async (url, entry) => void entries.set(url, entry),
    delete: async (url) => void entries.delete(url),
  };
  return { shared, reads };
};

const edge = (responsesOutliveRequests: boolean, settings: Record<string, string> = {}) => {
  const parsed = parseEdgeConfig({
    JWT_SECRET: "j".repeat(32),
    PURGE_SECRET: purgeSecret,
    ORIGIN_URL: "http://origin.test",
    ...settings,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  const { shared, reads } = mapSharedCache();
  const pending: Promise<unknown>[] = [];
  const app = createEdgeApp({
    config: parsed.config,
    sharedCache: shared,
    purgeBus: singleIsolateBus,
    responsesOutliveRequests,
    knownSince: Date.now() - 1,
    background: (work) => void pending.push(work),
    log: () => {},
  });
  const request = async (path: string, init: RequestInit = {}) => {
    const response = await app.request(`http://edge.test${path}`, init, {
      clientAddress: "203.0.113.7",
      waitUntil: (work: Promise<unknown>) => void pending.push(work),
    });
    await Promise.all(pending.splice(0));
    return response;
  };
  return { request, sharedReads: reads };
};

/** Headers that differ between any two answers, whatever served them. */
const perAnswer = new Set(["x-cache", "age", "x-request-id", "server-timing", "content-length"]);
const lasting = (response: Response) => [...response.headers].filter(([name]) => !perAnswer.has(name));

// Both ways of building answers: templates (Deno) and afresh from the bytes (Workers).
describe.each([
  { runtime: "Deno", outlive: true },
  { runtime: "Workers", outlive: false },
])("the memory hit, answers built as on $runtime", ({ outlive }) => {
  it("answers with what a Cache API hit and the miss before it answer, and never asks the Cache API", async () => {
    const memory = edge(outlive);
    const miss = await memory.request("/api/tags", { headers: { origin: "https://app.example" } });
    const readsAfterMiss = memory.sharedReads.count;
    const hit = await memory.request("/api/tags", { headers: { origin: "https://app.example" } });

    const cacheApiOnly = edge(outlive, { MEMORY_CACHE_ENTRIES: "0" });
    await cacheApiOnly.request("/api/tags");
    const cacheApiHit = await cacheApiOnly.request("/api/tags", { headers: { origin: "https://app.example" } });

    expect([miss.headers.get("x-cache"), hit.headers.get("x-cache"), cacheApiHit.headers.get("x-cache")]).toEqual([
      "MISS",
      "HIT",
      "HIT",
    ]);
    expect(lasting(hit)).toEqual(lasting(cacheApiHit));
    expect(lasting(hit)).toEqual(lasting(miss));
    expect(await hit.text()).toBe(await cacheApiHit.text());
    expect(hit.headers.get("server-timing")).toMatch(/^edge;dur=[\d.]+;desc="HIT"$/);
    expect(memory.sharedReads.count).toBe(readsAfterMiss);
    expect(originReads).toEqual(["/api/tags", "/api/tags"]);
  });

  it("keeps the client's request id when it is plain, as every other answer does", async () => {
    const { request } = edge(outlive);
    await request("/api/tags");
    const hit = await request("/api/tags", { headers: { "x-request-id": "abc-123" } });
    expect([hit.headers.get("x-cache"), hit.headers.get("x-request-id")]).toEqual(["HIT", "abc-123"]);
  });

  it("leaves a token to the route's auth rule: a bad one is refused, not served from memory", async () => {
    const { request } = edge(outlive);
    await request("/api/articles/a");
    expect((await request("/api/articles/a")).headers.get("x-cache")).toBe("HIT");
    const withBadToken = await request("/api/articles/a", { headers: { authorization: "Token not-a-jwt" } });
    expect(withBadToken.status).toBe(401);
  });

  it("ignores a token where the route does (auth none)", async () => {
    const { request } = edge(outlive);
    await request("/api/tags");
    const hit = await request("/api/tags", { headers: { authorization: "Token not-a-jwt" } });
    expect([hit.status, hit.headers.get("x-cache")]).toEqual([200, "HIT"]);
  });

  it("serves nothing a purge voided", async () => {
    const { request } = edge(outlive);
    await request("/api/articles/a");
    const purge = await request("/__edge/purge", {
      method: "POST",
      headers: { "content-type": "application/json", "x-edge-purge-secret": purgeSecret },
      body: JSON.stringify({ tags: ["profile:ann"] }),
    });
    expect(purge.status).toBe(200);
    expect((await request("/api/articles/a")).headers.get("x-cache")).toBe("MISS");
    expect(originReads).toEqual(["/api/articles/a", "/api/articles/a"]);
  });

  it("leaves HEAD to the chain, which forwards it", async () => {
    const { request } = edge(outlive);
    await request("/api/tags");
    const head = await request("/api/tags", { method: "HEAD" });
    expect(head.headers.get("x-cache")).toBe("BYPASS");
  });
});
