import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "../../origin/db/client.ts";
import { apiAt, type RegisteredUser, registerUserAt } from "../support/api-client.ts";
import {
  appStatements,
  type ReplicaStack,
  replicaCaughtUp,
  resetStatements,
  startReplicaStack,
  testReplicaTiming,
} from "./replica-stack.ts";

const poolSize = 3;
const workers = 2;
const poolMax = 10;

let stack: ReplicaStack;
let origin: string;
/** Registered before the tests, so its reads are past the read-your-writes window and may use the replica. */
let crowd: RegisteredUser;

beforeAll(async () => {
  stack = await startReplicaStack({
    pgbouncerPoolSize: poolSize,
    origins: [{ name: "pooled", workers, via: "pgbouncer", replica: true, env: { DB_POOL_MAX: String(poolMax) } }],
  });
  origin = stack.origins.pooled?.url ?? "";
  crowd = await registerUserAt(origin, "crowd");
  await new Promise((resolve) => setTimeout(resolve, Number(testReplicaTiming.DB_READ_YOUR_WRITES_MS) + 1_100));
  await replicaCaughtUp(stack);
});

afterAll(async () => {
  await stack?.stop();
});

/** PgBouncer's admin console speaks only the simple query protocol, without the type lookup postgres.js starts with. */
const pgbouncerShow = async (what: "pools" | "clients" | "servers") => {
  const admin = postgres(stack.pgbouncer.adminUrl, { max: 1, fetch_types: false, onnotice: () => {} });
  try {
    return (await admin.unsafe(`show ${what}`).simple()) as unknown as Record<string, string | number>[];
  } finally {
    await admin.end({ timeout: 1 });
  }
};

describe("PgBouncer in transaction pooling", () => {
  it("serves the whole API flow: register, sign in, write, list, favorite, comment, follow, feed", async () => {
    const author = await registerUserAt(origin, "author");
    const reader = await registerUserAt(origin, "reader");
    const login = await apiAt(origin, "POST", "/api/users/login", {
      body: { user: { email: reader.email, password: reader.password } },
    });
    expect(login.status).toBe(200);
    const created = await apiAt(origin, "POST", "/api/articles", {
      token: author.token,
      body: { article: { title: `Pooled ${author.username}`, description: "d", body: "b", tagList: ["pooled"] } },
    });
    expect(created.status).toBe(201);
    const slug = created.body.article.slug;

    expect((await apiAt(origin, "GET", "/api/articles?tag=pooled")).body.articles).toHaveLength(1);
    expect((await apiAt(origin, "POST", `/api/articles/${slug}/favorite`, { token: reader.token })).status).toBe(200);
    const favorited = await apiAt(origin, "GET", `/api/articles/${slug}`, { token: reader.token });
    expect(favorited.body.article).toMatchObject({ favorited: true, favoritesCount: 1 });
    const comment = await apiAt(origin, "POST", `/api/articles/${slug}/comments`, {
      token: reader.token,
      body: { comment: { body: "through the pooler" } },
    });
    expect(comment.status).toBe(201);
    expect(
      (await apiAt(origin, "POST", `/api/profiles/${author.username}/follow`, { token: reader.token })).status,
    ).toBe(200);
    const feed = await apiAt(origin, "GET", "/api/articles/feed", { token: reader.token });
    expect(feed.body.articles.map((article: { slug: string }) => article.slug)).toEqual([slug]);
  });

  it("lets many origin connections share a few server connections per database", async () => {
    await resetStatements(stack);
    const reads = Array.from({ length: 200 }, () =>
      apiAt(origin, "GET", "/api/articles?limit=20", { token: crowd.token }),
    );
    expect((await Promise.all(reads)).every((response) => response.status === 200)).toBe(true);

    const clients = await pgbouncerShow("clients");
    const servers = await pgbouncerShow("servers");
    for (const database of ["primary", "replica"]) {
      expect(servers.filter((server) => server.database === database).length).toBeLessThanOrEqual(poolSize);
    }
    const originClients = clients.filter((client) => client.database === "primary" || client.database === "replica");
    expect(originClients.length).toBeGreaterThan(2 * poolSize);
    expect(originClients.length).toBeLessThanOrEqual(2 * workers * poolMax);
    // The pooled reads still reached the replica behind PgBouncer.
    expect((await appStatements(stack.admin.replica)).select).toBeGreaterThan(0);
  });

  it("needs DB_POOLING=transaction: the driver's session defaults are refused, the pooled settings apply", async () => {
    const settings = {
      url: stack.pgbouncer.url("primary"),
      poolMax: 1,
      statementTimeoutMs: 5_000,
      connectTimeoutSeconds: 2,
      applicationName: "pooling-check",
    };
    const direct = createDatabase({ ...settings, pooling: "session" });
    await expect(direct.sql`select 1`).rejects.toThrow(/unsupported startup parameter/);
    await direct.close();

    const pooled = createDatabase({ ...settings, pooling: "transaction" });
    const [timeout] = await pooled.sql<{ statement_timeout: string }[]>`show statement_timeout`;
    expect(timeout?.statement_timeout).toBe("5s");
    await pooled.close();
  });
});
