import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiAt, createArticleAt, registerUserAt } from "../support/api-client.ts";
import { startTopology, type Topology } from "../support/topology.ts";

/**
 * Stampede protection: when a hot entry is missing (first read, or just purged), the
 * concurrent misses on every worker of every instance cause one Postgres query, and the
 * rest are answered from that one fill.
 */
let topology: Topology;
let admin: postgres.Sql;

beforeAll(async () => {
  topology = await startTopology({ instances: 2, workers: 2 });
  admin = postgres(topology.databaseUrl, { max: 1, onnotice: () => {} });
  await admin`create extension if not exists pg_stat_statements`;
});

afterAll(async () => {
  await admin?.end({ timeout: 5 });
  await topology?.stop();
});

/** Executions of the single-article read (by slug) since the last reset. */
const articleReads = async () => {
  const [row] = await admin<{ calls: number }[]>`
    select coalesce(sum(calls), 0)::int as calls from pg_stat_statements
    where query like '%from "articles"%' and query like '%where "articles"."slug" = $%'`;
  return row?.calls ?? 0;
};

const concurrentAnonymousReads = (path: string, count: number) => {
  const urls = topology.instances.map((instance) => instance.url);
  return Promise.all(Array.from({ length: count }, (_, i) => apiAt(urls[i % urls.length] ?? "", "GET", path)));
};

describe("1,000 concurrent misses on one cold key", () => {
  it("cause one query, and every one of them gets the article", async () => {
    const author = await registerUserAt(topology.instances[0]?.url ?? "");
    const article = await createArticleAt(topology.instances[0]?.url ?? "", author.token);
    await admin`select pg_stat_statements_reset()`;
    const responses = await concurrentAnonymousReads(`/api/articles/${article.slug}`, 1_000);
    expect(responses.filter((response) => response.status !== 200)).toEqual([]);
    expect(new Set(responses.map((response) => response.body.article.slug))).toEqual(new Set([article.slug]));
    expect(await articleReads()).toBe(1);
  });

  it("and again right after a write purged the entry", async () => {
    const origin = topology.instances[0]?.url ?? "";
    const author = await registerUserAt(origin);
    const article = await createArticleAt(origin, author.token);
    await concurrentAnonymousReads(`/api/articles/${article.slug}`, 20);
    await apiAt(origin, "PUT", `/api/articles/${article.slug}`, {
      token: author.token,
      body: { article: { body: "new" } },
    });
    await admin`select pg_stat_statements_reset()`;
    const responses = await concurrentAnonymousReads(`/api/articles/${article.slug}`, 1_000);
    expect(responses.map((response) => response.body.article.body)).toEqual(Array(1_000).fill("new"));
    expect(await articleReads()).toBe(1);
  });
});
