import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiAt, createArticleAt, registerUserAt, unique } from "../support/api-client.ts";
import { startTopology, type Topology } from "../support/topology.ts";

/**
 * The Redis response cache is shared by every worker of every instance, and a write through
 * any of them purges what it changed before its response leaves. These tests write through
 * one instance and read, anonymously, through the other (whose two workers both serve from
 * the cache), and never accept the old value.
 */
let topology: Topology;
let writer: string;
let reader: string;

beforeAll(async () => {
  topology = await startTopology({ instances: 2, workers: 2 });
  [writer, reader] = topology.instances.map((instance) => instance.url) as [string, string];
});

afterAll(async () => {
  await topology?.stop();
});

/** Enough anonymous reads that both workers of the reading instance have served the entry. */
const warm = async (path: string) => {
  const responses = await Promise.all(Array.from({ length: 12 }, () => apiAt(reader, "GET", path)));
  return responses.map((response) => response.headers.get("x-origin-cache"));
};

describe("a write through one instance is never served stale by another", () => {
  it("serves a cached article from Redis to every worker until it changes", async () => {
    const author = await registerUserAt(writer);
    const article = await createArticleAt(writer, author.token);
    const outcomes = await warm(`/api/articles/${article.slug}`);
    expect(outcomes).toContain("HIT");
  });

  it("an edited article body is served new by every worker of the other instance at once", async () => {
    const author = await registerUserAt(writer);
    const article = await createArticleAt(writer, author.token, { body: "old body" });
    await warm(`/api/articles/${article.slug}`);
    const update = await apiAt(writer, "PUT", `/api/articles/${article.slug}`, {
      token: author.token,
      body: { article: { body: "new body" } },
    });
    expect(update.status).toBe(200);
    const after = await Promise.all(
      Array.from({ length: 12 }, () => apiAt(reader, "GET", `/api/articles/${article.slug}`)),
    );
    expect(after.map((response) => response.body.article.body)).toEqual(Array(12).fill("new body"));
  });

  it("a new article appears at once in a cached tag list and home page read through the other instance", async () => {
    const author = await registerUserAt(writer);
    const tag = unique("fresh");
    await createArticleAt(writer, author.token, { tagList: [tag] });
    await warm(`/api/articles?tag=${tag}`);
    await warm("/api/articles?limit=5");
    const created = await createArticleAt(writer, author.token, { tagList: [tag] });
    const [byTag, home] = await Promise.all([
      apiAt(reader, "GET", `/api/articles?tag=${tag}`),
      apiAt(reader, "GET", "/api/articles?limit=5"),
    ]);
    expect(byTag.body.articlesCount).toBe(2);
    expect(byTag.body.articles[0].slug).toBe(created.slug);
    expect(home.body.articles[0].slug).toBe(created.slug);
  });

  it("a bio change reaches cached lists that only show the author, through the other instance", async () => {
    const author = await registerUserAt(writer);
    await createArticleAt(writer, author.token);
    await warm(`/api/articles?author=${author.username}`);
    await apiAt(writer, "PUT", "/api/user", { token: author.token, body: { user: { bio: "changed bio" } } });
    const list = await apiAt(reader, "GET", `/api/articles?author=${author.username}`);
    expect(list.body.articles[0].author.bio).toBe("changed bio");
  });

  it("a read that races a write is not served once the write has answered", async () => {
    const author = await registerUserAt(writer);
    const article = await createArticleAt(writer, author.token, { body: "v0" });
    const path = `/api/articles/${article.slug}`;
    for (let version = 1; version <= 15; version++) {
      // Cold and warm reads race the update on both instances; whatever they stored while
      // the update was in flight must not outlive its response.
      const racing = Array.from({ length: 6 }, (_, i) => apiAt(i % 2 ? reader : writer, "GET", path));
      const update = await apiAt(writer, "PUT", path, {
        token: author.token,
        body: { article: { body: `v${version}` } },
      });
      expect(update.status).toBe(200);
      await Promise.all(racing);
      const after = await Promise.all(Array.from({ length: 6 }, (_, i) => apiAt(i % 2 ? reader : writer, "GET", path)));
      expect(
        after.map((response) => response.body.article.body),
        `after update ${version}`,
      ).toEqual(Array(6).fill(`v${version}`));
    }
  });

  it("a deleted article is 404 through the other instance right after the delete answers", async () => {
    const author = await registerUserAt(writer);
    const article = await createArticleAt(writer, author.token);
    await warm(`/api/articles/${article.slug}`);
    expect((await apiAt(writer, "DELETE", `/api/articles/${article.slug}`, { token: author.token })).status).toBe(204);
    expect((await apiAt(reader, "GET", `/api/articles/${article.slug}`)).status).toBe(404);
  });

  it("an authenticated read bypasses the shared cache: its per-user flags are never shared", async () => {
    const [author, fan] = await Promise.all([registerUserAt(writer), registerUserAt(writer)]);
    const article = await createArticleAt(writer, author.token);
    await apiAt(writer, "POST", `/api/articles/${article.slug}/favorite`, { token: fan.token });
    await warm(`/api/articles/${article.slug}`);
    const personal = await apiAt(reader, "GET", `/api/articles/${article.slug}`, { token: fan.token });
    expect(personal.headers.get("x-origin-cache")).toBeNull();
    expect(personal.body.article.favorited).toBe(true);
    const anonymous = await apiAt(reader, "GET", `/api/articles/${article.slug}`);
    expect(anonymous.body.article.favorited).toBe(false);
  });
});
