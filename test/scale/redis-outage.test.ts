import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../stack/free-port.ts";
import { apiAt, createArticleAt, registerUserAt } from "../support/api-client.ts";
import { describeOutcomes, failuresOf, sleep, startSteadyLoad } from "../support/steady-load.ts";
import { startTcpCut } from "../support/tcp-cut.ts";
import { startTopology, type Topology } from "../support/topology.ts";

/**
 * Redis holds only what can be rebuilt: with it gone, every request is still answered from
 * Postgres (the cache bypassed, the limiter on its per-worker fallback), and once it is
 * back the cache fills and serves again by itself.
 */
let topology: Topology;
let slugs: string[];
let token: string;

beforeAll(async () => {
  topology = await startTopology({
    instances: 2,
    workers: 2,
    env: { RATE_LIMIT: "on", RATE_LIMIT_IP_POINTS: "1000000", RATE_LIMIT_USER_POINTS: "1000000" },
  });
  const origin = topology.instances[0]?.url ?? "";
  const author = await registerUserAt(origin);
  token = author.token;
  slugs = [];
  for (let i = 0; i < 5; i++) slugs.push((await createArticleAt(origin, author.token)).slug);
});

afterAll(async () => {
  await topology?.stop();
});

const readLoad = () =>
  startSteadyLoad({
    concurrency: 8,
    next: (i) => ({
      method: "GET",
      url: `${topology.instances[i % 2]?.url}/api/articles/${slugs[i % slugs.length]}`,
    }),
  });

const hitRatio = (outcomes: { headers?: Headers }[]) =>
  outcomes.filter((outcome) => outcome.headers?.get("x-origin-cache") === "HIT").length / Math.max(outcomes.length, 1);

describe("Redis stopped mid-load", () => {
  it("costs no 5xx, writes still land, and the hit ratio recovers when Redis returns", async () => {
    const load = readLoad();
    await sleep(1_500);
    const before = load.outcomes.length;
    await topology.redis.stop();
    await sleep(2_000);
    // A write while Redis is gone: it must succeed, and must not be hidden by a stale
    // entry once Redis is back (the purge it could not send is made up for).
    const write = await apiAt(topology.instances[0]?.url ?? "", "PUT", `/api/articles/${slugs[0]}`, {
      token,
      body: { article: { body: "written while redis was down" } },
    });
    expect(write.status).toBe(200);
    const duringOutage = load.outcomes.slice(before);
    await topology.restartRedis();
    await sleep(4_000);
    const recovered = load.outcomes.length;
    await sleep(2_000);
    const outcomes = await load.stop();

    expect(failuresOf(outcomes), describeOutcomes(failuresOf(outcomes))).toEqual([]);
    expect(outcomes.filter((outcome) => outcome.status !== 200)).toEqual([]);
    expect(duringOutage.length).toBeGreaterThan(50);
    expect(hitRatio(outcomes.slice(0, before))).toBeGreaterThan(0.8);
    expect(hitRatio(outcomes.slice(recovered))).toBeGreaterThan(0.8);
    const after = await apiAt(topology.instances[1]?.url ?? "", "GET", `/api/articles/${slugs[0]}`);
    expect(after.body.article.body).toBe("written while redis was down");
  });

  it("reports Redis down in /metrics without failing readiness: Postgres still serves", async () => {
    await topology.redis.stop();
    try {
      await sleep(1_000);
      const ready = await apiAt(topology.instances[0]?.url ?? "", "GET", "/readyz");
      expect(ready.status).toBe(200);
      const metrics = await fetch(`${topology.instances[0]?.url}/metrics`).then((response) => response.text());
      expect(metrics).toMatch(/^redis_up 0$/m);
    } finally {
      await topology.restartRedis();
    }
    await sleep(2_000);
    const metrics = await fetch(`${topology.instances[0]?.url}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(/^redis_up 1$/m);
  });
});

describe("Redis unreachable but still running, with its entries", () => {
  it("a purge it missed is sent once it answers: no stale read past the retry interval", async () => {
    const link = await startTcpCut({ host: "127.0.0.1", port: topology.redisPort });
    const instance = await topology.startInstance({
      name: "origin-behind-cut",
      workers: 1,
      env: { LOG_LEVEL: "warn", REDIS_URL: `redis://127.0.0.1:${link.port}` },
      output: "ignore",
    });
    try {
      const path = `/api/articles/${slugs[1]}`;
      await Promise.all(Array.from({ length: 4 }, () => apiAt(instance.url, "GET", path)));
      expect((await apiAt(instance.url, "GET", path)).headers.get("x-origin-cache")).toBe("HIT");
      link.cut();
      // Postgres takes the write; the purge cannot reach Redis, which keeps the old entry.
      const write = await apiAt(instance.url, "PUT", path, { token, body: { article: { body: "purged late" } } });
      expect(write.status).toBe(200);
      link.restore();
      // Reconnection backoff (at most 2 s) plus the purge retry interval (0.5 s).
      await sleep(3_000);
      const readers = [instance.url, ...topology.instances.map((other) => other.url)];
      const reads = await Promise.all(readers.map((base) => apiAt(base, "GET", path)));
      expect(reads.map((response) => response.body.article.body)).toEqual(Array(readers.length).fill("purged late"));
    } finally {
      await instance.process.stop();
      await link.close();
    }
  });
});

describe("rate limits Redis cannot decide", () => {
  it.each([
    ["local", { 200: 5, 429: 3 }],
    ["allow", { 200: 8 }],
  ])("follow RATE_LIMIT_WHEN_REDIS_DOWN=%s, and each decision is counted", async (policy, expected) => {
    const instance = await topology.startInstance({
      name: `limits-${policy}`,
      workers: 1,
      env: {
        RATE_LIMIT: "on",
        RATE_LIMIT_IP_POINTS: "5",
        RATE_LIMIT_WHEN_REDIS_DOWN: policy,
        // Nothing listens there: Redis is away for this instance's whole life.
        REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      },
      output: "ignore",
    });
    try {
      const statuses: Record<number, number> = {};
      for (let i = 0; i < 8; i++) {
        const response = await apiAt(instance.url, "GET", "/api/tags");
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
      expect(statuses).toEqual(expected);
      const metrics = await fetch(`${instance.url}/metrics`).then((response) => response.text());
      expect(metrics).toMatch(/^rate_limit_fallbacks_total\{limiter="ip"\} 8$/m);
    } finally {
      await instance.process.stop();
    }
  });
});
