import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningEdge, startEdge } from "../../stack/edge.ts";
import { freePort } from "../../stack/free-port.ts";
import { apiAt, createArticleAt, registerUserAt } from "../support/api-client.ts";
import { sleep } from "../support/steady-load.ts";
import { startTcpCut, type TcpCut } from "../support/tcp-cut.ts";
import { testJwtSecret } from "../support/test-secrets.ts";
import { startTopology, type Topology } from "../support/topology.ts";

/**
 * Purges to the edges are durable jobs: an edge the origin cannot reach while writes happen
 * (the link cut, the edge still running with its cached copies) gets every purge once the
 * link is back, within one retry step, even if the origin that queued them restarted; and a
 * purge no one can deliver ends as a dead letter that the metrics show.
 */
const purgeSecret = "purge-secret-for-the-queue-tests";
const retryMaxMs = 1_000;
let topology: Topology;
let edge: RunningEdge;
let link: TcpCut;
let token: string;

beforeAll(async () => {
  const edgePort = await freePort();
  link = await startTcpCut({ host: "127.0.0.1", port: edgePort });
  topology = await startTopology({
    instances: 1,
    workers: 2,
    env: {
      EDGE_PURGE_URLS: `http://127.0.0.1:${link.port}`,
      EDGE_PURGE_SECRET: purgeSecret,
      EDGE_PURGE_RETRY_MAX_MS: String(retryMaxMs),
      EDGE_PURGE_WAIT_MS: "500",
    },
  });
  edge = await startEdge({
    runtime: "deno",
    port: edgePort,
    originUrl: origin(),
    jwtSecret: testJwtSecret,
    purgeSecret,
    output: "ignore",
  });
  token = (await registerUserAt(origin())).token;
});

afterAll(async () => {
  await edge?.stop();
  await topology?.stop();
  await link?.close();
});

const origin = () => topology.instances[0]?.url ?? "";

const metricValue = async (base: string, series: string) => {
  const text = await fetch(`${base}/metrics`).then((response) => response.text());
  const line = text.split("\n").find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
};

/** An article the edge holds in its cache, with its cached body. */
const cachedAtEdge = async (body: string) => {
  const { slug } = await createArticleAt(origin(), token, { body });
  await apiAt(edge.url, "GET", `/api/articles/${slug}`);
  const second = await apiAt(edge.url, "GET", `/api/articles/${slug}`);
  expect(second.headers.get("x-cache")).toBe("HIT");
  return slug;
};

const edgeBodyOf = async (slug: string) => (await apiAt(edge.url, "GET", `/api/articles/${slug}`)).body.article.body;

/** Polls the edge until it shows `body`, for at most `boundMs`; the time it took, or undefined. */
const timeUntilEdgeShows = async (slug: string, body: string, boundMs: number) => {
  const started = Date.now();
  while (Date.now() - started < boundMs) {
    if ((await edgeBodyOf(slug)) === body) return Date.now() - started;
    await sleep(100);
  }
  return undefined;
};

describe("an edge the origin cannot reach during writes", () => {
  it("keeps its old copy meanwhile, and gets the purge within one retry step of the link coming back", async () => {
    const slug = await cachedAtEdge("before the cut");
    link.cut();
    const started = Date.now();
    const write = await apiAt(origin(), "PUT", `/api/articles/${slug}`, {
      token,
      body: { article: { body: "after the cut" } },
    });
    expect(write.status).toBe(200);
    // The write waits for its purge only EDGE_PURGE_WAIT_MS, then answers anyway.
    expect(Date.now() - started).toBeLessThan(2_000);
    await sleep(2_500);
    expect(await edgeBodyOf(slug)).toBe("before the cut");
    link.restore();
    const took = await timeUntilEdgeShows(slug, "after the cut", retryMaxMs + 2_000);
    expect(took, "the edge never showed the write").toBeDefined();
    expect(await metricValue(origin(), 'edge_purge_jobs_total{outcome="retried"}')).toBeGreaterThan(0);
  });

  it("gets the purges an origin queued before it restarted", async () => {
    const slug = await cachedAtEdge("before the restart");
    link.cut();
    const write = await apiAt(origin(), "PUT", `/api/articles/${slug}`, {
      token,
      body: { article: { body: "queued" } },
    });
    expect(write.status).toBe(200);
    const [stopped] = topology.instances;
    const port = Number(new URL(stopped?.url ?? "").port);
    await stopped?.process.stop();
    // Nobody could deliver it while the origin was gone; a new one takes the job over.
    link.restore();
    await sleep(1_000);
    expect(await edgeBodyOf(slug)).toBe("before the restart");
    topology.instances[0] = await topology.startInstance({
      name: "origin-restarted",
      port,
      workers: 2,
      env: {
        EDGE_PURGE_URLS: `http://127.0.0.1:${link.port}`,
        EDGE_PURGE_SECRET: purgeSecret,
        EDGE_PURGE_RETRY_MAX_MS: String(retryMaxMs),
      },
    });
    const took = await timeUntilEdgeShows(slug, "queued", retryMaxMs + 5_000);
    expect(took, "the restarted origin never delivered the queued purge").toBeDefined();
  });
});

describe("a purge no one can deliver", () => {
  it("ends as a dead letter after its attempts, and the metrics show it", async () => {
    // Its own queue (Redis database 1), aimed at an address where nothing listens.
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const doomed = await topology.startInstance({
      name: "origin-dead-letters",
      workers: 1,
      env: {
        REDIS_URL: `${topology.redis.url}/1`,
        EDGE_PURGE_URLS: nowhere,
        EDGE_PURGE_SECRET: purgeSecret,
        EDGE_PURGE_ATTEMPTS: "3",
        EDGE_PURGE_RETRY_MAX_MS: "200",
        EDGE_PURGE_WAIT_MS: "0",
      },
      output: "ignore",
    });
    try {
      const { slug } = await createArticleAt(doomed.url, token);
      expect((await apiAt(doomed.url, "DELETE", `/api/articles/${slug}`, { token })).status).toBe(204);
      let dead = 0;
      for (let waited = 0; dead < 2 && waited < 10_000; waited += 250) {
        await sleep(250);
        dead = await metricValue(doomed.url, 'edge_purge_jobs_total{outcome="dead"}');
      }
      // The create and the delete each purged; both jobs gave up after 3 attempts.
      expect(dead).toBe(2);
      expect(await metricValue(doomed.url, 'edge_purge_queue_jobs{state="failed"}')).toBe(2);
      expect(await metricValue(doomed.url, 'edge_purge_jobs_total{outcome="retried"}')).toBe(4);
    } finally {
      await doomed.process.stop();
    }
  });
});
