import { describe, expect, it } from "vitest";
import { api, createArticle, registerUser } from "../support/api-client.ts";
import { expectError, expectJson, expectListItemShape } from "./fixtures.ts";

const feed = (token: string, query = "") => api("GET", `/api/articles/feed${query}`, { token });
const follow = (token: string, username: string) => api("POST", `/api/profiles/${username}/follow`, { token });
const slugsOf = (body: { articles: { slug: string }[] }) => body.articles.map((article) => article.slug);

describe("GET /api/articles/feed", () => {
  it("is empty for a user who follows nobody", async () => {
    const reader = await registerUser();
    const response = await feed(reader.token);
    expect(response.status).toBe(200);
    expectJson(response);
    expect(response.body).toEqual({ articles: [], articlesCount: 0 });
  });

  it("shows only followed authors' articles, newest first, without body", async () => {
    const [reader, followedA, followedB, stranger] = await Promise.all([
      registerUser(),
      registerUser(),
      registerUser(),
      registerUser(),
    ]);
    await follow(reader.token, followedA.username);
    await follow(reader.token, followedB.username);
    const a1 = await createArticle(followedA.token);
    await createArticle(stranger.token);
    const b1 = await createArticle(followedB.token);
    const a2 = await createArticle(followedA.token);
    await createArticle(reader.token);

    const response = await feed(reader.token);
    expect(slugsOf(response.body)).toEqual([a2.slug, b1.slug, a1.slug]);
    expect(response.body.articlesCount).toBe(3);
    for (const item of response.body.articles) {
      expectListItemShape(item);
      expect(item.author.following).toBe(true);
    }
  });

  it("pages with limit and offset and counts the whole feed", async () => {
    const [reader, author] = await Promise.all([registerUser(), registerUser()]);
    await follow(reader.token, author.username);
    const created = [];
    for (let index = 0; index < 3; index++) created.push(await createArticle(author.token));
    const page = await feed(reader.token, "?limit=1&offset=1");
    expect(slugsOf(page.body)).toEqual([created[1]!.slug]);
    expect(page.body.articlesCount).toBe(3);
  });

  it("pages across several authors exactly as one newest-first list, however their articles interleave", async () => {
    const [reader, busy, quiet] = await Promise.all([registerUser(), registerUser(), registerUser()]);
    await follow(reader.token, busy.username);
    await follow(reader.token, quiet.username);
    const created = [];
    for (const author of [busy, busy, quiet, busy, busy, busy, quiet, busy])
      created.push(await createArticle(author.token));
    const newestFirst = created.map((article) => article.slug).reverse();
    const pages = [];
    for (let offset = 0; offset < 9; offset += 3)
      pages.push(...slugsOf((await feed(reader.token, `?limit=3&offset=${offset}`)).body));
    expect(pages).toEqual(newestFirst);
  });

  it("drops an author's articles after unfollowing", async () => {
    const [reader, author] = await Promise.all([registerUser(), registerUser()]);
    await follow(reader.token, author.username);
    await createArticle(author.token);
    expect((await feed(reader.token)).body.articlesCount).toBe(1);
    await api("DELETE", `/api/profiles/${author.username}/follow`, { token: reader.token });
    expect((await feed(reader.token)).body).toEqual({ articles: [], articlesCount: 0 });
  });

  it("shows the reader's favorited flag", async () => {
    const [reader, author] = await Promise.all([registerUser(), registerUser()]);
    await follow(reader.token, author.username);
    const created = await createArticle(author.token);
    await api("POST", `/api/articles/${created.slug}/favorite`, { token: reader.token });
    expect((await feed(reader.token)).body.articles[0]).toMatchObject({ favorited: true, favoritesCount: 1 });
  });

  it("requires a token", async () => {
    expectError(await api("GET", "/api/articles/feed"), 401, { token: ["is missing"] });
    expectError(await feed("bad"), 401, { token: ["invalid"] });
  });

  it.each([
    ["?limit=0", { limit: ["must be between 1 and 100"] }],
    ["?limit=101", { limit: ["must be between 1 and 100"] }],
    ["?offset=-1", { offset: ["must be between 0 and 1000000"] }],
  ])("rejects %s with 422", async (query, errors) => {
    const reader = await registerUser();
    expectError(await feed(reader.token, query), 422, errors);
  });

  it("is never cacheable by shared caches", async () => {
    const reader = await registerUser();
    expect((await feed(reader.token)).headers.get("cache-control")).toBe("private, no-store");
  });
});
