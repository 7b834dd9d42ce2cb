import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiAt, createArticleAt, type RegisteredUser, registerUserAt } from "../support/api-client.ts";
import {
  appStatements,
  type ReplicaStack,
  replicaCaughtUp,
  resetStatements,
  startReplicaStack,
  testReplicaTiming,
} from "./replica-stack.ts";

const maxLagMs = Number(testReplicaTiming.DB_REPLICA_MAX_LAG_MS);
const windowMs = Number(testReplicaTiming.DB_READ_YOUR_WRITES_MS);
/** How often the poll below asks, and so how late it may notice a change. */
const pollMs = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: ReplicaStack;
let a: string;
let b: string;
let writer: RegisteredUser;
let other: RegisteredUser;

beforeAll(async () => {
  stack = await startReplicaStack({
    origins: [
      { name: "a", workers: 2, via: "direct", replica: true },
      { name: "b", workers: 2, via: "direct", replica: true },
    ],
  });
  a = stack.origins.a?.url ?? "";
  b = stack.origins.b?.url ?? "";
  writer = await registerUserAt(a, "writer");
  other = await registerUserAt(a, "other");
  await sleep(windowMs + 1_100);
});

afterAll(async () => {
  await stack?.stop();
});

const pauseReplay = () => stack.admin.replica`select pg_wal_replay_pause()`;

afterEach(async () => {
  await stack.admin.replica`select pg_wal_replay_resume()`;
  await replicaCaughtUp(stack);
});

/** Polls a read until it answers 200; every answer on the way must be the replica's 404, never an error. */
const firstSeen = async (read: () => Promise<{ status: number }>, startedAt: number, timeoutMs: number) => {
  const statuses: number[] = [];
  while (performance.now() - startedAt < timeoutMs) {
    const { status } = await read();
    statuses.push(status);
    if (status === 200) return { afterMs: performance.now() - startedAt, statuses };
    await sleep(pollMs);
  }
  return { afterMs: Number.POSITIVE_INFINITY, statuses };
};

describe("read your own writes, with the replica's replay paused", () => {
  it("the writer reads their article at once through the other instance; another user sees it within the lag bound", async () => {
    await pauseReplay();
    const article = await createArticleAt(a, writer.token);
    const wroteAt = performance.now();

    const own = await apiAt(b, "GET", `/api/articles/${article.slug}`, { token: writer.token });
    expect(own.status).toBe(200);
    const ownList = await apiAt(b, "GET", `/api/articles?author=${writer.username}`, { token: writer.token });
    expect(ownList.body.articles.map((listed: { slug: string }) => listed.slug)).toContain(article.slug);

    // Another user is served the replica's view, which lacks the article, until it ages past the bound.
    const seen = await firstSeen(
      () => apiAt(b, "GET", `/api/articles/${article.slug}`, { token: other.token }),
      wroteAt,
      maxLagMs * 3,
    );
    expect(seen.statuses[0]).toBe(404);
    expect(seen.statuses.every((status) => status === 404 || status === 200)).toBe(true);
    expect(seen.afterMs).toBeLessThanOrEqual(maxLagMs + pollMs + 250);
  });

  it("a user who just registered is known at once, though the replica has not replayed their row", async () => {
    await pauseReplay();
    const fresh = await registerUserAt(a, "fresh");
    const me = await apiAt(b, "GET", "/api/user", { token: fresh.token });
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe(fresh.username);
    const profile = await apiAt(b, "GET", `/api/profiles/${fresh.username}`, { token: fresh.token });
    expect(profile.status).toBe(200);
  });

  it("a replica paused past the bound is skipped: reads come from the primary without an error, and from the replica again once it catches up", async () => {
    await pauseReplay();
    await createArticleAt(a, writer.token);
    await sleep(maxLagMs + 500);
    await resetStatements(stack);
    for (const base of [a, b]) {
      const listed = await apiAt(base, "GET", "/api/articles?limit=5", { token: other.token });
      expect(listed.status).toBe(200);
    }
    const skipped = await Promise.all([appStatements(stack.admin.primary), appStatements(stack.admin.replica)]);
    expect(skipped[0].select).toBeGreaterThan(0);
    expect(skipped[1].total).toBe(0);

    await stack.admin.replica`select pg_wal_replay_resume()`;
    await replicaCaughtUp(stack);
    await sleep(Number(testReplicaTiming.DB_REPLICA_CHECK_INTERVAL_MS) * 3);
    await resetStatements(stack);
    for (const base of [a, b]) {
      expect((await apiAt(base, "GET", "/api/articles?limit=5", { token: other.token })).status).toBe(200);
    }
    expect((await appStatements(stack.admin.replica)).select).toBeGreaterThan(0);
    expect((await appStatements(stack.admin.primary)).total).toBe(0);
  });
});
