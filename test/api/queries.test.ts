import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../../stack/free-port.ts";
import { type OriginInstance, startOriginInstance } from "../../stack/origin-instance.ts";
import { unique } from "../support/api-client.ts";
import { testJwtSecret } from "../support/test-secrets.ts";

/**
 * Statement counts per request, read from pg_stat_statements. Other test files share the
 * test Postgres and run in parallel, so this file gives its own origin (a cluster of two
 * workers, like the shared one) its own database in that server: every statement recorded
 * under that database is one this file caused, N+1 queries of any shape included.
 */
const databaseName = unique("conduit_queries_").toLowerCase();
let admin: postgres.Sql;
let origin: OriginInstance;
const originLog: string[] = [];

const request = async (method: string, path: string, options: { token?: string; body?: unknown } = {}) => {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Token ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${origin.url}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
};

const register = async (prefix: string) => {
  const username = unique(prefix);
  const response = await request("POST", "/api/users", {
    body: { user: { username, email: `${username}@example.test`, password: "long enough" } },
  });
  expect(response.status).toBe(201);
  return { username, token: response.body.user.token as string };
};

interface Recorded {
  query: string;
  calls: number;
}

/** Every statement the origin ran for one request, Postgres's own catalog lookups aside. */
const statementsOf = async (method: string, path: string, token?: string): Promise<Recorded[]> => {
  await admin`select pg_stat_statements_reset(0, oid, 0) from pg_database where datname = ${databaseName}`;
  const response = await request(method, path, token ? { token } : {});
  expect(response.status, `${method} ${path}`).toBe(200);
  return admin<Recorded[]>`
    select s.query, s.calls::int as calls
    from pg_stat_statements s join pg_database d on d.oid = s.dbid
    where d.datname = ${databaseName} and s.query not ilike '%pg_catalog%'
    order by s.query`;
};

const totalCalls = (statements: Recorded[]) => statements.reduce((sum, statement) => sum + statement.calls, 0);

/** A signed-in request also looks up its token's user once (origin/auth/known-user-tokens.ts). */
const tokenUserLookup = 1;

/**
 * The same request for a page of 1 and a page of 100 runs the same statements: `expected`
 * for the route itself, plus the token's user lookup when signed in.
 */
const expectFixedStatements = async (path: (limit: number) => string, expected: number, token?: string) => {
  const small = await statementsOf("GET", path(1), token);
  const large = await statementsOf("GET", path(100), token);
  const total = expected + (token ? tokenUserLookup : 0);
  expect({ small: totalCalls(small), large: totalCalls(large) }, JSON.stringify({ small, large }, null, 1)).toEqual({
    small: total,
    large: total,
  });
  expect(large.map((statement) => statement.query)).toEqual(small.map((statement) => statement.query));
};

let author: { username: string; token: string };
let reader: { username: string; token: string };
let tag: string;
let quietSlug: string;
let busySlug: string;

beforeAll(async () => {
  admin = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
  await admin`create extension if not exists pg_stat_statements`;
  await admin.unsafe(`create database "${databaseName}"`);
  const url = new URL(inject("databaseUrl"));
  url.pathname = `/${databaseName}`;
  try {
    origin = await startOriginInstance({
      name: "queries-origin",
      port: await freePort(),
      databaseUrl: url.toString(),
      workers: 2,
      env: { JWT_SECRET: testJwtSecret, LOG_LEVEL: "warn", NODE_ENV: "test" },
      output: (line) => originLog.push(line),
    });
  } catch (error) {
    console.error(originLog.join("\n"));
    throw error;
  }

  [author, reader] = [await register("author"), await register("reader")];
  const commenters = await Promise.all(Array.from({ length: 5 }, () => register("commenter")));
  tag = unique("bulk");
  const slugs: string[] = [];
  for (let batch = 0; batch < 11; batch++) {
    const created = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        request("POST", "/api/articles", {
          token: author.token,
          body: {
            article: { title: `Bulk ${batch}-${index}`, description: "d", body: "b", tagList: [tag, `t${index}`] },
          },
        }),
      ),
    );
    for (const response of created) {
      expect(response.status).toBe(201);
      slugs.push(response.body.article.slug);
    }
  }
  await request("POST", `/api/profiles/${author.username}/follow`, { token: reader.token });
  await Promise.all(slugs.map((slug) => request("POST", `/api/articles/${slug}/favorite`, { token: reader.token })));
  [quietSlug, busySlug] = [slugs[0]!, slugs[1]!];
  await request("POST", `/api/articles/${quietSlug}/comments`, {
    token: author.token,
    body: { comment: { body: "one" } },
  });
  for (const commenter of commenters) {
    await request("POST", `/api/articles/${busySlug}/comments`, {
      token: commenter.token,
      body: { comment: { body: "many" } },
    });
  }
}, 120_000);

afterAll(async () => {
  await origin?.process.stop();
  await admin?.unsafe(`drop database if exists "${databaseName}" with (force)`);
  await admin?.end({ timeout: 5 });
});

describe("statements per request do not grow with the page (no N+1)", () => {
  it("the seeded author has 110 articles, so a page of 100 is full", async () => {
    const response = await request("GET", `/api/articles?author=${author.username}&limit=100`);
    expect(response.body.articles).toHaveLength(100);
    expect(response.body.articlesCount).toBe(110);
  });

  it("GET /api/articles?author= runs 2 statements (page and count) for 1 or 100 items", async () => {
    await expectFixedStatements((limit) => `/api/articles?author=${author.username}&limit=${limit}`, 2);
  });

  it("the same list for a signed-in reader (favorited and following flags) still runs 2", async () => {
    await expectFixedStatements((limit) => `/api/articles?author=${author.username}&limit=${limit}`, 2, reader.token);
  });

  it("GET /api/articles?tag= runs 2", async () => {
    await expectFixedStatements((limit) => `/api/articles?tag=${tag}&limit=${limit}`, 2);
  });

  it("GET /api/articles?favorited= runs 2", async () => {
    await expectFixedStatements(
      (limit) => `/api/articles?favorited=${reader.username}&limit=${limit}`,
      2,
      reader.token,
    );
  });

  it("GET /api/articles/feed runs 2", async () => {
    await expectFixedStatements((limit) => `/api/articles/feed?limit=${limit}`, 2, reader.token);
  });

  it("GET /api/articles/:slug/comments runs the same 2 for 1 comment or 5", async () => {
    const quiet = await statementsOf("GET", `/api/articles/${quietSlug}/comments`, reader.token);
    const busy = await statementsOf("GET", `/api/articles/${busySlug}/comments`, reader.token);
    const expected = 2 + tokenUserLookup;
    expect({ quiet: totalCalls(quiet), busy: totalCalls(busy) }).toEqual({ quiet: expected, busy: expected });
  });

  it("GET /api/articles/:slug runs 1 and GET /api/tags runs 1", async () => {
    expect(totalCalls(await statementsOf("GET", `/api/articles/${busySlug}`, reader.token))).toBe(1 + tokenUserLookup);
    expect(totalCalls(await statementsOf("GET", "/api/tags"))).toBe(1);
  });
});
