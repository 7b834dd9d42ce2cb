import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createArticleAt, type RegisteredUser, registerUserAt } from "../support/api-client.ts";
import { startSteadyLoad } from "../support/steady-load.ts";
import {
  appStatements,
  type ReplicaStack,
  replicaCaughtUp,
  resetStatements,
  startReplicaStack,
  testReplicaTiming,
} from "./replica-stack.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: ReplicaStack;
let readers: RegisteredUser[];
let slug: string;

beforeAll(async () => {
  stack = await startReplicaStack({
    origins: [
      { name: "a", workers: 2, via: "direct", replica: true },
      { name: "b", workers: 2, via: "direct", replica: true },
    ],
  });
  const a = stack.origins.a?.url ?? "";
  readers = await Promise.all([1, 2, 3, 4].map(() => registerUserAt(a, "reader")));
  slug = (await createArticleAt(a, readers[0]?.token ?? "")).slug;
  await sleep(Number(testReplicaTiming.DB_READ_YOUR_WRITES_MS) + 1_100);
  await replicaCaughtUp(stack);
});

afterAll(async () => {
  await stack?.stop();
});

describe("a replica that goes away", () => {
  it("is skipped with no client error while it is down, and serves again once it is back", async () => {
    const bases = [stack.origins.a?.url, stack.origins.b?.url];
    const load = startSteadyLoad({
      concurrency: 8,
      next: (index) => ({
        method: "GET",
        url: `${bases[index % 2]}${index % 3 === 0 ? "/api/articles?limit=10" : `/api/articles/${slug}`}`,
        headers: { authorization: `Token ${readers[index % readers.length]?.token}` },
      }),
    });
    await sleep(1_000);
    await resetStatements(stack);
    await sleep(500);
    expect((await appStatements(stack.admin.replica)).select).toBeGreaterThan(0);

    // Fast shutdown: in-flight queries are cancelled and every pooled connection is cut.
    await stack.postgres.replica.stop();
    await sleep(2_000);
    await stack.admin.primary`select pg_stat_statements_reset()`;
    await sleep(500);
    expect((await appStatements(stack.admin.primary)).select).toBeGreaterThan(0);

    await stack.postgres.replica.start();
    await replicaCaughtUp(stack);
    // Pooled connections cut by the shutdown report it on their next use, each sending its
    // query to the primary and the replica out of rotation until the next check: back in
    // full once no stale connection is left.
    const servedByReplicaAlone = async () => {
      await resetStatements(stack);
      await sleep(300);
      const [primary, replica] = await Promise.all([
        appStatements(stack.admin.primary),
        appStatements(stack.admin.replica),
      ]);
      return primary.select === 0 && replica.select > 0;
    };
    const deadline = Date.now() + 10_000;
    let back = false;
    while (!back && Date.now() < deadline) back = await servedByReplicaAlone();
    const outcomes = await load.stop();
    expect(back).toBe(true);

    const failed = outcomes.filter((outcome) => outcome.status !== 200);
    expect(outcomes.length).toBeGreaterThan(100);
    expect(failed.map((outcome) => `${outcome.status ?? outcome.error} ${outcome.request.url}`)).toEqual([]);
  });
});
