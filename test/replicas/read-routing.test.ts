import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiAt, createArticleAt, type RegisteredUser, registerUserAt } from "../support/api-client.ts";
import {
  appStatements,
  type ReplicaStack,
  replicaCaughtUp,
  resetStatements,
  startReplicaStack,
  testReplicaTiming,
} from "./replica-stack.ts";

const windowMs = Number(testReplicaTiming.DB_READ_YOUR_WRITES_MS);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: ReplicaStack;
let a: string;
let b: string;
let author: RegisteredUser;
let reader: RegisteredUser;
let slug: string;

beforeAll(async () => {
  stack = await startReplicaStack({
    origins: [
      { name: "a", workers: 2, via: "direct", replica: true },
      { name: "b", workers: 2, via: "direct", replica: true },
    ],
  });
  a = stack.origins.a?.url ?? "";
  b = stack.origins.b?.url ?? "";
  author = await registerUserAt(a, "author");
  reader = await registerUserAt(a, "reader");
  slug = (await createArticleAt(a, author.token)).slug;
  // Fresh tokens and fresh writes read from the primary for the window; these tests start after it.
  await sleep(windowMs + 1_100);
  await replicaCaughtUp(stack);
});

afterAll(async () => {
  await stack?.stop();
});

const signedInReads = async (token: string, rounds: number) => {
  for (let round = 0; round < rounds; round++) {
    for (const base of [a, b]) {
      expect((await apiAt(base, "GET", `/api/articles/${slug}`, { token })).status).toBe(200);
    }
  }
};

describe("selects through Drizzle's withReplicas", () => {
  it("serve a signed-in user's reads from the replica, through every instance", async () => {
    await resetStatements(stack);
    await signedInReads(reader.token, 10);
    const list = await apiAt(b, "GET", `/api/articles?author=${author.username}`, { token: reader.token });
    expect(list.status).toBe(200);
    expect(list.body.articles.map((article: { slug: string }) => article.slug)).toEqual([slug]);

    const [primary, replica] = await Promise.all([
      appStatements(stack.admin.primary),
      appStatements(stack.admin.replica),
    ]);
    expect(replica.select).toBeGreaterThanOrEqual(21);
    expect(primary.total).toBe(0);
  });

  it("send writes and the writer's next reads to the primary, and the writer back to the replica after the window", async () => {
    await resetStatements(stack);
    expect((await apiAt(a, "POST", `/api/articles/${slug}/favorite`, { token: reader.token })).status).toBe(200);
    const fresh = await apiAt(b, "GET", `/api/articles/${slug}`, { token: reader.token });
    expect(fresh.body.article.favorited).toBe(true);
    const duringWindow = await Promise.all([appStatements(stack.admin.primary), appStatements(stack.admin.replica)]);
    expect(duringWindow[0].insert).toBeGreaterThanOrEqual(1);
    expect(duringWindow[0].select).toBeGreaterThanOrEqual(1);
    expect(duringWindow[1].total).toBe(0);

    await sleep(windowMs + 200);
    await resetStatements(stack);
    await signedInReads(reader.token, 2);
    const afterWindow = await Promise.all([appStatements(stack.admin.primary), appStatements(stack.admin.replica)]);
    expect(afterWindow[0].total).toBe(0);
    expect(afterWindow[1].select).toBeGreaterThan(0);
  });

  it("build anonymous reads of cacheable routes from the primary: shared caches keep them past any purge", async () => {
    await resetStatements(stack);
    for (const base of [a, b]) {
      expect((await apiAt(base, "GET", `/api/articles/${slug}`, {})).status).toBe(200);
      expect((await apiAt(base, "GET", "/api/tags", {})).status).toBe(200);
    }
    const [primary, replica] = await Promise.all([
      appStatements(stack.admin.primary),
      appStatements(stack.admin.replica),
    ]);
    expect(primary.select).toBeGreaterThan(0);
    expect(replica.total).toBe(0);
  });
});
