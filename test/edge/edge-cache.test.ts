import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiAt, createArticleAt, registerUserAt, unique } from "../support/api-client.ts";
import { later, pause, windowsOf } from "./support/edge-requests.ts";
import { type EdgeStack, edgeRuntimes, settled, startEdgeStack } from "./support/edge-stack.ts";

/**
 * Cacheable anonymous reads at the edge, under workerd and under Deno alike: hits, misses,
 * key normalisation, coalescing, stale-while-revalidate and stale-if-error, against a real
 * origin whose request log tells what reached it. The origin's own Redis cache is off here,
 * so every request that reaches it is a Postgres read, and stopping Postgres gives real 5xx.
 */
let stack: EdgeStack;

beforeAll(async () => {
  stack = await startEdgeStack({ runtimes: edgeRuntimes, originKnowsEdges: false, originEnv: { ORIGIN_CACHE: "off" } });
});

afterAll(async () => {
  await stack?.stop();
});

const article = windowsOf("getArticle");

/** An article created at the origin, which no edge has seen yet. */
const freshArticle = async () => {
  const author = await registerUserAt(stack.originUrl);
  return { author, article: await createArticleAt(stack.originUrl, author.token) };
};

describe.each(edgeRuntimes)("under %s", (runtime) => {
  const edge = () => stack.edges[runtime].url;
  const get = (path: string, headers: Record<string, string> = {}) => apiAt(edge(), "GET", path, { headers });

  it("an anonymous read misses once, then hits with its age, and the origin sees one request", async () => {
    const { article: created } = await freshArticle();
    const path = `/api/articles/${created.slug}`;
    const miss = await get(path);
    const hit = await get(path);
    const older = await get(path, later(30));
    expect([miss.status, miss.headers.get("x-cache"), miss.headers.get("age")]).toEqual([200, "MISS", "0"]);
    expect([hit.headers.get("x-cache"), older.headers.get("x-cache"), Number(older.headers.get("age"))]).toEqual([
      "HIT",
      "HIT",
      30,
    ]);
    expect(hit.body).toEqual(miss.body);
    // The origin's cache headers travel with the stored copy, so a client cannot tell it apart.
    for (const name of ["cache-control", "cache-tag", "content-type", "vary"]) {
      expect(hit.headers.get(name)).toBe(miss.headers.get(name));
    }
    expect(miss.headers.get("server-timing")).toMatch(/^edge;dur=[\d.]+;desc="MISS", origin;dur=[\d.]+$/);
    expect(hit.headers.get("server-timing")).toMatch(/^edge;dur=[\d.]+;desc="HIT"$/);
    expect(await settled(() => stack.originRequests("GET", path))).toBe(1);
  });

  it("query parameters are sorted and undeclared ones dropped: one entry for every spelling", async () => {
    const { author } = await freshArticle();
    const first = await get(`/api/articles?author=${author.username}&limit=5`);
    const reordered = await get(`/api/articles?limit=5&utm_source=mail&author=${author.username}`);
    const other = await get(`/api/articles?author=${author.username}&limit=6`);
    expect([first.headers.get("x-cache"), reordered.headers.get("x-cache"), other.headers.get("x-cache")]).toEqual([
      "MISS",
      "HIT",
      "MISS",
    ]);
    expect(reordered.body).toEqual(first.body);
  });

  it("a key past the length bound is never cached: forwarded as sent, BYPASS every time", async () => {
    const path = `/api/articles?tag=${"t".repeat(1_100)}`;
    const responses = [await get(path), await get(path)];
    expect(responses.map((response) => response.headers.get("x-cache"))).toEqual(["BYPASS", "BYPASS"]);
    expect(responses[0]?.status).toBeLessThan(500);
  });

  it("a signed-in read bypasses the cache and reaches the origin every time", async () => {
    const { author, article: created } = await freshArticle();
    const path = `/api/articles/${created.slug}`;
    await get(path);
    const responses = [
      await apiAt(edge(), "GET", path, { token: author.token }),
      await apiAt(edge(), "GET", path, { token: author.token }),
    ];
    expect(responses.map((response) => [response.status, response.headers.get("x-cache")])).toEqual([
      [200, "BYPASS"],
      [200, "BYPASS"],
    ]);
    expect(responses[0]?.headers.get("cache-control")).toBe("private, no-store");
    expect(await settled(() => stack.originRequests("GET", path))).toBe(3);
  });

  it("errors and other non-200 answers are never stored", async () => {
    const paths = [`/api/articles/${unique("missing")}`, `/api/profiles/${unique("nobody")}`, "/api/articles?limit=0"];
    for (const path of paths) {
      const responses = [await get(path), await get(path)];
      expect(
        responses.map((response) => response.headers.get("x-cache")),
        path,
      ).toEqual(["MISS", "MISS"]);
      expect(responses[0]?.status, path).toBeGreaterThanOrEqual(400);
    }
    expect(await settled(() => stack.originRequests("GET", paths[0] ?? ""))).toBe(2);
  });

  it("concurrent misses for one key are coalesced into one origin request", async () => {
    const { article: created } = await freshArticle();
    const path = `/api/articles/${created.slug}`;
    stack.stallOrigin();
    const pending = Array.from({ length: 20 }, () => get(path));
    await pause(500);
    stack.resumeOrigin();
    const responses = await Promise.all(pending);
    expect(new Set(responses.map((response) => `${response.status} ${response.headers.get("x-cache")}`))).toEqual(
      new Set(["200 MISS"]),
    );
    expect(await settled(() => stack.originRequests("GET", path))).toBe(1);
  });

  it("stale-while-revalidate: a stale entry is served at once, and one background request refreshes it", async () => {
    const { article: created } = await freshArticle();
    const path = `/api/articles/${created.slug}`;
    await get(path);
    const stale = later(article.sMaxAge + 1);
    stack.stallOrigin();
    try {
      // The origin cannot answer now: these return only because the edge does not wait for it.
      const responses = await Promise.all(Array.from({ length: 10 }, () => get(path, stale)));
      expect(new Set(responses.map((response) => response.headers.get("x-cache")))).toEqual(new Set(["STALE"]));
      expect(Number(responses[0]?.headers.get("age"))).toBeGreaterThanOrEqual(article.sMaxAge + 1);
    } finally {
      stack.resumeOrigin();
    }
    await expect.poll(() => stack.originRequests("GET", path), { timeout: 10_000 }).toBe(2);
    expect(await settled(() => stack.originRequests("GET", path))).toBe(2);
    const refreshed = await get(path, stale);
    expect([refreshed.headers.get("x-cache"), refreshed.headers.get("age")]).toEqual(["HIT", "0"]);
  });

  it("stale-if-error: with the origin down, a stale entry is served within the window, a 503 past it", async () => {
    const { article: created } = await freshArticle();
    const path = `/api/articles/${created.slug}`;
    const cached = await get(path);
    const unseen = await freshArticle();
    await stack.stopOrigin();
    try {
      const withinWindow = await get(path, later(article.sMaxAge + article.staleWhileRevalidate + 5));
      expect([withinWindow.status, withinWindow.headers.get("x-cache")]).toEqual([200, "STALE"]);
      expect(withinWindow.body).toEqual(cached.body);
      const pastWindow = await get(path, later(article.sMaxAge + article.staleIfError + 5));
      expect([pastWindow.status, pastWindow.body]).toEqual([503, { errors: { origin: ["unavailable, retry later"] } }]);
      expect(pastWindow.headers.get("retry-after")).toBe("5");
      expect((await get(`/api/articles/${unseen.article.slug}`)).status).toBe(503);
    } finally {
      await stack.startOrigin();
    }
    // The 503 was not stored: the origin is back, and so is the article nobody had cached.
    expect((await get(`/api/articles/${unseen.article.slug}`)).status).toBe(200);
  });

  it("stale-if-error: a 5xx from the origin (Postgres down) is answered with the stale entry", async () => {
    const { article: created } = await freshArticle();
    const path = `/api/articles/${created.slug}`;
    await get(path);
    const unseen = await freshArticle();
    await stack.topology.stopPostgres();
    try {
      const stale = await get(path, later(article.sMaxAge + article.staleWhileRevalidate + 5));
      expect([stale.status, stale.headers.get("x-cache")]).toEqual([200, "STALE"]);
      const failing = await get(`/api/articles/${unseen.article.slug}`);
      expect([failing.status, failing.headers.get("x-cache")]).toEqual([503, "MISS"]);
    } finally {
      await stack.topology.startPostgres();
    }
    await expect
      .poll(async () => (await get(`/api/articles/${unseen.article.slug}`)).status, { timeout: 20_000 })
      .toBe(200);
  });

  it("a writer reads its own write at once, though the origin does not tell this edge of it", async () => {
    const { author, article: created } = await freshArticle();
    const path = `/api/articles/${created.slug}`;
    await get(path);
    expect((await get(path)).headers.get("x-cache")).toBe("HIT");
    const update = await apiAt(edge(), "PUT", path, { token: author.token, body: { article: { body: "edited" } } });
    expect(update.status).toBe(200);
    const afterUpdate = await get(path);
    expect([afterUpdate.headers.get("x-cache"), afterUpdate.body.article.body]).toEqual(["MISS", "edited"]);

    await apiAt(edge(), "POST", `${path}/comments`, { token: author.token, body: { comment: { body: "first" } } });
    expect((await get(`${path}/comments`)).body.comments).toHaveLength(1);
    const comment = await apiAt(edge(), "POST", `${path}/comments`, {
      token: author.token,
      body: { comment: { body: "second" } },
    });
    expect((await get(`${path}/comments`)).body.comments).toHaveLength(2);
    await apiAt(edge(), "DELETE", `${path}/comments/${comment.body.comment.id}`, { token: author.token });
    expect((await get(`${path}/comments`)).body.comments).toHaveLength(1);

    expect((await apiAt(edge(), "DELETE", path, { token: author.token })).status).toBe(204);
    expect((await get(path)).status).toBe(404);
  });

  it("an edge the origin cannot tell serves another client's write for at most s-maxage, then once stale", async () => {
    const { author, article: created } = await freshArticle();
    const path = `/api/articles/${created.slug}`;
    const original = (await get(path)).body.article.body;
    await apiAt(stack.originUrl, "PUT", path, {
      token: author.token,
      body: { article: { body: "changed elsewhere" } },
    });
    const justFresh = await get(path, later(article.sMaxAge - 1));
    expect([justFresh.headers.get("x-cache"), justFresh.body.article.body]).toEqual(["HIT", original]);
    const firstStale = await get(path, later(article.sMaxAge + 1));
    expect([firstStale.headers.get("x-cache"), firstStale.body.article.body]).toEqual(["STALE", original]);
    await expect
      .poll(async () => (await get(path, later(article.sMaxAge + 1))).body.article.body, { timeout: 10_000 })
      .toBe("changed elsewhere");
  });
});
