import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../stack/free-port.ts";
import { type RunningNginx, startNginx } from "../../stack/nginx.ts";
import { createArticleAt, registerUserAt } from "../support/api-client.ts";
import { childPids, waitUntilReaped } from "../support/child-pids.ts";
import { describeOutcomes, failuresOf, type Outcome, sleep, startSteadyLoad } from "../support/steady-load.ts";
import { startTopology, type Topology } from "../support/topology.ts";

/**
 * The operator's view: a steady load of reads and writes through NGINX in front of two
 * clustered instances, while workers are killed, reloaded and instances stopped.
 */
let topology: Topology;
let nginx: RunningNginx;
let nginxDir: string;
let slug: string;
let token: string;

beforeAll(async () => {
  topology = await startTopology({ instances: 2, workers: 2 });
  nginxDir = await mkdtemp(path.join(tmpdir(), "conduit-nginx-"));
  nginx = await startNginx({
    port: await freePort(),
    upstreams: topology.instances.map((instance) => ({ host: "127.0.0.1", port: Number(new URL(instance.url).port) })),
    rateLimit: false,
    prefixDir: nginxDir,
    output: "ignore",
  });
  const author = await registerUserAt(nginx.url);
  token = author.token;
  slug = (await createArticleAt(nginx.url, author.token)).slug;
});

afterAll(async () => {
  await nginx?.stop();
  await topology?.stop();
  if (nginxDir) await rm(nginxDir, { recursive: true, force: true });
});

/** Anonymous and signed-in reads, favorite toggles and new comments, as a browsing crowd sends them. */
const crowd = (concurrency: number) =>
  startSteadyLoad({
    concurrency,
    next: (i) => {
      const auth = { authorization: `Token ${token}` };
      if (i % 10 === 0) {
        return {
          method: "POST",
          url: `${nginx.url}/api/articles/${slug}/comments`,
          headers: { ...auth, "content-type": "application/json" },
          body: JSON.stringify({ comment: { body: `load ${i}` } }),
        };
      }
      if (i % 10 === 5)
        return {
          method: i % 20 === 5 ? "POST" : "DELETE",
          url: `${nginx.url}/api/articles/${slug}/favorite`,
          headers: auth,
        };
      if (i % 3 === 0) return { method: "GET", url: `${nginx.url}/api/articles/${slug}`, headers: auth };
      return { method: "GET", url: `${nginx.url}/api/articles?limit=10&offset=${i % 4}` };
    },
  });

const isIdempotent = (outcome: Outcome) => outcome.request.method === "GET";

describe("through NGINX, under a steady load", () => {
  it("a rolling reload (SIGHUP) of both instances, one after the other, fails no request", async () => {
    const load = crowd(12);
    await sleep(1_000);
    for (const instance of topology.instances) {
      const before = childPids(instance.process.child.pid);
      instance.process.child.kill("SIGHUP");
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const now = childPids(instance.process.child.pid);
        if (now.length === before.length && now.every((pid) => !before.includes(pid))) break;
        await sleep(200);
      }
    }
    await sleep(1_000);
    const outcomes = await load.stop();
    expect(failuresOf(outcomes), describeOutcomes(failuresOf(outcomes))).toEqual([]);
    expect(outcomes.filter((outcome) => outcome.status !== 200 && outcome.status !== 201)).toEqual([]);
    expect(outcomes.filter((outcome) => outcome.request.method === "POST").length).toBeGreaterThan(20);
  });

  it("kill -9 of one worker fails only writes that reached it before it was reaped; every read is retried elsewhere", async () => {
    const load = crowd(12);
    await sleep(1_000);
    const primary = topology.instances[0]?.process.child.pid;
    const [victim] = childPids(primary);
    process.kill(victim ?? 0, "SIGKILL");
    const reapedAt = await waitUntilReaped(primary, victim ?? 0);
    await sleep(3_000);
    const outcomes = await load.stop();
    const failed = failuresOf(outcomes);
    expect(failed.filter(isIdempotent), describeOutcomes(failed)).toEqual([]);
    // NGINX never retries a request that may have changed something: those that reached the
    // killed worker before its primary reaped it fail (502); none sent later does.
    expect(
      failed.filter((outcome) => outcome.startedAt >= reapedAt),
      describeOutcomes(failed),
    ).toEqual([]);
    for (const outcome of failed) expect(outcome.status).toBe(502);
  });

  it("SIGTERM of one whole instance fails no idempotent request, and NGINX routes around it", async () => {
    // The kill -9 above made NGINX take that instance out for fail_timeout (5 s, after 2
    // failures): stopping the other one within that time would leave none in rotation.
    await sleep(6_000);
    const stopped = topology.instances[1];
    const load = crowd(12);
    await sleep(1_000);
    stopped?.process.child.kill("SIGTERM");
    await stopped?.process.exited;
    const exitedAt = Date.now();
    const startedAfterExit = () => load.outcomes.filter((outcome) => outcome.startedAt >= exitedAt);
    for (let waited = 0; startedAfterExit().length < 30 && waited < 15_000; waited += 100) await sleep(100);
    const outcomes = await load.stop();
    const failed = failuresOf(outcomes);
    expect(failed.filter(isIdempotent), describeOutcomes(failed)).toEqual([]);
    // Once the instance is gone, NGINX sends everything to the other one: nothing fails.
    const afterExit = outcomes.filter((outcome) => outcome.startedAt >= exitedAt);
    expect(afterExit.length).toBeGreaterThanOrEqual(30);
    expect(afterExit.filter((outcome) => outcome.status === undefined || outcome.status >= 500)).toEqual([]);
    // Bring the instance back for whatever runs next.
    if (stopped) {
      const port = Number(new URL(stopped.url).port);
      topology.instances[1] = await topology.startInstance({
        name: "origin-1",
        port,
        workers: 2,
        env: { LOG_LEVEL: "warn" },
        output: "ignore",
      });
    }
  });
});
