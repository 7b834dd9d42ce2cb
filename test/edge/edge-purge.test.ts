import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { edgePurgePath, edgePurgeSecretHeader } from "../../shared/http/edge-endpoints.ts";
import { apiAt, createArticleAt, registerUserAt } from "../support/api-client.ts";
import { pause } from "./support/edge-requests.ts";
import { type EdgeStack, edgeRuntimes, settled, startEdgeStack, testPurgeSecret } from "./support/edge-stack.ts";

/**
 * Invalidation across tiers: the origin fans every write out to the edges it knows before
 * the write's response returns; the edge's purge endpoint admits only the secret's holder;
 * and an origin read that raced a purge is answered but never stored.
 */
let stack: EdgeStack;

beforeAll(async () => {
  stack = await startEdgeStack({ runtimes: edgeRuntimes, originKnowsEdges: true });
});

afterAll(async () => {
  await stack?.stop();
});

const freshArticle = async () => {
  const author = await registerUserAt(stack.originUrl);
  return { author, article: await createArticleAt(stack.originUrl, author.token) };
};

const purge = (edge: string, body: unknown, secret?: string) =>
  apiAt(edge, "POST", edgePurgePath, {
    body,
    headers: secret === undefined ? {} : { [edgePurgeSecretHeader]: secret },
  });

describe("a write made at the origin", () => {
  it("is purged from every edge before its response returns: the next read anywhere sees it", async () => {
    const { author, article } = await freshArticle();
    const path = `/api/articles/${article.slug}`;
    for (const runtime of edgeRuntimes) {
      await apiAt(stack.edges[runtime].url, "GET", path);
      expect((await apiAt(stack.edges[runtime].url, "GET", path)).headers.get("x-cache")).toBe("HIT");
    }
    await apiAt(stack.originUrl, "PUT", path, { token: author.token, body: { article: { body: "new at origin" } } });
    for (const runtime of edgeRuntimes) {
      const read = await apiAt(stack.edges[runtime].url, "GET", path);
      expect([runtime, read.headers.get("x-cache"), read.body.article.body]).toEqual([
        runtime,
        "MISS",
        "new at origin",
      ]);
    }
  });

  it("made through one edge reaches the other edge as well", async () => {
    const { author, article } = await freshArticle();
    const path = `/api/articles/${article.slug}`;
    const [writer, reader] = [stack.edges.wrangler.url, stack.edges.deno.url];
    await apiAt(reader, "GET", path);
    await apiAt(writer, "PUT", path, { token: author.token, body: { article: { body: "via the other edge" } } });
    expect((await apiAt(reader, "GET", path)).body.article.body).toBe("via the other edge");
  });
});

describe.each(edgeRuntimes)("the purge endpoint under %s", (runtime) => {
  const edge = () => stack.edges[runtime].url;

  it("refuses a caller without the secret or with a wrong one, and the entry stays", async () => {
    const { article } = await freshArticle();
    const path = `/api/articles/${article.slug}`;
    await apiAt(edge(), "GET", path);
    const tags = [`article:${article.slug}`];
    const missing = await purge(edge(), { tags });
    const wrong = await purge(edge(), { tags }, `${testPurgeSecret}-not`);
    expect([missing.status, missing.body]).toEqual([401, { errors: { token: ["is missing"] } }]);
    expect([wrong.status, wrong.body]).toEqual([401, { errors: { token: ["invalid"] } }]);
    expect((await apiAt(edge(), "GET", path)).headers.get("x-cache")).toBe("HIT");
  });

  it("with the secret purges every entry of the tags, and refuses a body it cannot read", async () => {
    const { article } = await freshArticle();
    const path = `/api/articles/${article.slug}`;
    await apiAt(edge(), "GET", path);
    expect((await purge(edge(), { tags: [`article:${article.slug}`] }, testPurgeSecret)).body).toEqual({ purged: 1 });
    expect((await apiAt(edge(), "GET", path)).headers.get("x-cache")).toBe("MISS");
    expect((await purge(edge(), { tags: "articles" }, testPurgeSecret)).status).toBe(422);
    expect(
      (
        await apiAt(edge(), "POST", edgePurgePath, {
          rawBody: "{",
          headers: { "content-type": "application/json", [edgePurgeSecretHeader]: testPurgeSecret },
        })
      ).status,
    ).toBe(400);
  });

  it("an origin read that raced a purge is answered, but not stored", async () => {
    const { article } = await freshArticle();
    const path = `/api/articles/${article.slug}`;
    stack.stallOrigin();
    const racing = apiAt(edge(), "GET", path);
    await pause(300);
    // The write this purge stands for committed after the racing read's query may have run.
    expect((await purge(edge(), { tags: [`article:${article.slug}`] }, testPurgeSecret)).status).toBe(200);
    stack.resumeOrigin();
    expect((await racing).headers.get("x-cache")).toBe("MISS");
    expect((await apiAt(edge(), "GET", path)).headers.get("x-cache")).toBe("MISS");
    expect((await apiAt(edge(), "GET", path)).headers.get("x-cache")).toBe("HIT");
    expect(await settled(() => stack.originRequests("GET", path))).toBe(2);
  });

  it("a reader arriving after a purge does not join an origin read from before it", async () => {
    const { article } = await freshArticle();
    const path = `/api/articles/${article.slug}`;
    stack.stallOrigin();
    const before = apiAt(edge(), "GET", path);
    await pause(300);
    await purge(edge(), { tags: [`article:${article.slug}`] }, testPurgeSecret);
    const after = apiAt(edge(), "GET", path);
    await pause(300);
    stack.resumeOrigin();
    expect([(await before).status, (await after).status]).toEqual([200, 200]);
    expect(await settled(() => stack.originRequests("GET", path))).toBe(2);
    // The later read started after the purge, so its answer was kept.
    expect((await apiAt(edge(), "GET", path)).headers.get("x-cache")).toBe("HIT");
  });
});
